"""The pages a packet adds around the exhibits, typeset by Typst from ``templates/*.typ``.

Data goes to Typst as JSON through ``sys.inputs``, so descriptions typed by people (with
``#``, ``*`` or ``$`` in them) are never read as markup. Each function returns PDF bytes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import as_file, files
from typing import Any

import typst

from discretion.errors import DocumentError

BATES_DIGITS = 6


@dataclass(frozen=True)
class Caption:
    """Who the packet is about, printed at the head of the index and every tab page."""

    name: str
    a_number: str
    reference: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "a_number": self.a_number, "reference": self.reference}


@dataclass(frozen=True)
class IndexRow:
    tab: str
    description: str
    date: str
    pages: str
    translation: str | None = None


def bates(prefix: str, number: int) -> str:
    """``LOPEZ-`` and 123 -> ``LOPEZ-000123``."""
    return f"{prefix}{number:0{BATES_DIGITS}d}"


def page_range(first: int, count: int) -> str:
    return f"{first}" if count == 1 else f"{first}–{first + count - 1}"


def index_pdf(caption: Caption, rows: Sequence[IndexRow], *, subtitle: str | None, footnote: str) -> bytes:
    data = {
        "title": "Index of exhibits",
        "caption": caption.to_dict(),
        "subtitle": subtitle,
        "rows": [row.__dict__ for row in rows],
        "footnote": footnote,
    }
    return _compile("index.typ", data)


def tabs_pdf(caption: Caption, tabs: Sequence[dict[str, Any]]) -> bytes:
    """One separator page per entry of ``tabs`` (tab, description, date, pages, translation)."""
    return _compile("tabs.typ", {"caption": caption.to_dict(), "tabs": list(tabs)})


def stamps_pdf(sizes: Sequence[tuple[float, float]], *, prefix: str) -> bytes:
    """The overlay: page i is sized ``sizes[i]`` and says "Page i of N" and the Bates number."""
    data = {
        "sizes": [list(s) for s in sizes],
        "start": 1,
        "total": len(sizes),
        "prefix": prefix,
        "digits": BATES_DIGITS,
    }
    return _compile("stamps.typ", data)


def _compile(template: str, data: dict[str, Any]) -> bytes:
    # as_file: the templates import common.typ, so Typst needs a real directory as its root.
    with as_file(files("discretion.packets") / "templates") as folder:
        try:
            result = _compiler(str(folder)).compile(
                input=str(folder / template), format="pdf", sys_inputs={"data": json.dumps(data)}
            )
        except Exception as exc:  # typst raises its own error types; none is the user's fault
            raise DocumentError(f"could not typeset the packet's {template[:-4]} pages: {exc}") from None
    assert isinstance(result, bytes)
    return result


_local = threading.local()


def _compiler(root: str) -> typst.Compiler:
    """This thread's Typst compiler for ``root``, made once and reused.

    ``typst.compile`` builds a new compiler each call (searching the system fonts again) and the
    memory of each stays with the process: a packet's four compiles cost ~25% more time and
    ~60 MiB more peak memory than one reused compiler. One per thread, because a compiler is a
    native object the web app's worker threads should not share.
    """
    compilers: dict[str, typst.Compiler] = _local.__dict__.setdefault("compilers", {})
    if root not in compilers:
        compilers[root] = typst.Compiler(root=root)
    return compilers[root]
