"""Exhibit files made ready for binding: each as a PDF on Letter paper, with its page sizes.

Images are converted (and with ``--compress`` scans downsampled, and non-Letter PDFs refitted)
into a scratch folder. That is most of a packet's CPU time outside qpdf, and each file is
independent, so when there are several to do they go to a pool of worker processes, one per
core, started before anything else is typeset so the work overlaps the index and tab pages.
Results come back in exhibit order; an error names the file, as it does in-process. A worker
holds one file at a time, so memory stays flat with the page count.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pikepdf

from discretion import scratch
from discretion.errors import DocumentError
from discretion.packets import binding, compression, paper
from discretion.packets.sources import Source, UnusableFile, to_pdf

# Below this many files to convert, starting workers (a fork each, ~10-30 ms) costs more than
# it saves; they are converted in-process instead.
MIN_PARALLEL = 4


@dataclass(frozen=True)
class Ready:
    """A source as the packet files it: ``path`` (the upload itself, or a converted copy)."""

    path: Path
    shapes: tuple[tuple[float, float], ...]  # displayed size of each page
    size: int
    saving: compression.Saving | None = None


def needs_work(source: Source, compress_dpi: int | None) -> bool:
    """Whether ``source`` must be rewritten: always, since every PDF page is refitted into the
    stamp-safe area of an upright portrait Letter page and every image converted."""
    return True


def prepare(source: Source, target: Path, compress_dpi: int | None, turn: int = 0) -> Ready:
    """The PDF holding ``source``'s pages on Letter paper: the upload itself, or a copy made at
    ``target``. Raises DocumentError naming the file. Runs in a worker process or in-process."""
    saving = None
    try:
        if compress_dpi is not None:
            path, saving = compression.compress(source, compress_dpi, target)
        else:
            path = to_pdf(source, target) if source.is_image else source.path
        # Every page, scanned or converted, goes upright into the stamp-safe area of portrait
        # Letter: /Rotate and EXIF turns baked in, landscape and other sizes fitted.
        fitted = target.with_name(f"{target.stem}-letter.pdf")
        paper.fit_upright(path, fitted, turn)
        path = fitted
        shapes = tuple(binding.page_sizes(path))
    except UnusableFile as exc:
        raise DocumentError(f"{source.path.name}: {exc}") from None
    except pikepdf.PdfError as exc:
        raise DocumentError(f"{source.path.name}: could not be read again ({exc})") from None
    if len(shapes) != source.pages:
        raise DocumentError(
            f"{source.path.name}: has {len(shapes)} pages now but had {source.pages} at preflight; "
            "was it changed during the build?"
        )
    return Ready(path, shapes, path.stat().st_size, saving)


class Preparer:
    """Prepares ``jobs`` (source, target, turn) in the background from construction on; iterate
    ``results()`` for them in order. Use as a context manager: leaving it stops the workers."""

    def __init__(self, jobs: Sequence[tuple[Source, Path, int]], compress_dpi: int | None) -> None:
        self._jobs = list(jobs)
        self._dpi = compress_dpi
        heavy = [n for n, (source, _, _) in enumerate(self._jobs) if needs_work(source, compress_dpi)]
        workers = min(_cores(), len(heavy))
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[int, Future[Ready]] = {}
        # A daemonic process (a multiprocessing worker) may not have children of its own.
        parallel = workers > 1 and len(heavy) >= MIN_PARALLEL and not multiprocessing.current_process().daemon
        context = _context() if parallel else None
        if context is not None:
            try:
                self._pool = ProcessPoolExecutor(
                    workers, mp_context=context, initializer=scratch.die_with_parent, initargs=(os.getpid(),)
                )
                for n in heavy:
                    source, target, turn = self._jobs[n]
                    self._futures[n] = self._pool.submit(prepare, source, target, compress_dpi, turn)
            except OSError:  # no processes to be had (a process limit): convert in-process
                self.close()
                self._futures.clear()

    def results(self) -> Iterator[Ready]:
        for n, (source, target, turn) in enumerate(self._jobs):
            future = self._futures.get(n)
            if future is None:
                yield prepare(source, target, self._dpi, turn)
                continue
            try:
                # A worker's DocumentError comes back as itself (pickled), still naming the file.
                yield future.result()
            except BrokenProcessPool:
                raise DocumentError(
                    f"{source.path.name}: the worker process converting it stopped (out of memory?)"
                ) from None
        # All in: stop the workers now rather than after binding, so their memory is not held
        # while qpdf writes the packet.
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Preparer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext | None:
    # fork is fastest (workers inherit the imported modules) but is only safe while this
    # process has a single thread: a lock held by another thread at fork time stays held in the
    # child for ever. Typst starts threads on first use, and a web server builds packets from a
    # background thread, so then the workers come from a forkserver instead (a clean process
    # that imports this module once and forks workers from itself).
    # Where neither exists (Windows), files are converted in-process.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _single_threaded():
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _single_threaded() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1  # native threads too (Typst's, qpdf's)
    except OSError:  # no /proc: only Python's own threads can be seen, so do not rely on fork
        return False
