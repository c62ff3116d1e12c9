"""Crash safety (issue 9): a CLI killed with SIGKILL mid-packet leaves scratch folders and
.part files that the next run sweeps; a live run's are never touched; SIGTERM cleans at once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import packet_fixtures as fx
import pytest

from discretion import scratch

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "maria-lopez.yaml"


@pytest.fixture(scope="module")
def heavy(tmp_path_factory) -> Path:
    """Enough phone photos and PNG scans that converting them takes a few seconds."""
    folder = tmp_path_factory.mktemp("heavy") / "exhibits"
    folder.mkdir()
    for n in range(6):
        fx.scan(folder / f"{n:02d} - Scan.png", dpi=150, kind="png")
        fx.scan(folder / f"{n + 10:02d} - Photo.jpg", dpi=150)
    return folder


def _cli(tmp: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    code = "import sys; from discretion.cli import main; sys.argv = ['discretion', *sys.argv[1:]]; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _packet_args(folder: Path, cover: Path, out: Path) -> list[str]:
    return ["packet", str(EXAMPLE), "--exhibits", str(folder), "--cover", str(cover), "-o", str(out),
            "--as-of", "2026-03-01"]  # fmt: skip


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in task.read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _leftovers(tmp: Path, out_dir: Path) -> list[str]:
    return sorted(
        [p.name for p in tmp.iterdir() if p.name.startswith("discretion-")]
        + [p.name for p in out_dir.iterdir() if p.name.endswith((".part", ".tmp"))]
    )


@pytest.mark.parametrize("moment", ["converting", "binding"])
def test_kill_9_mid_packet_leaves_nothing_after_the_next_run(tmp_path, heavy, moment):
    tmp, out_dir = tmp_path / "tmp", tmp_path / "out"
    tmp.mkdir()
    out_dir.mkdir()
    cover = fx.text_pdf(tmp_path / "cover.pdf", 1, title="COVER")
    out = out_dir / "packet.pdf"
    run = _cli(tmp, *_packet_args(heavy, cover, out))
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and run.poll() is None:
        folders = list(tmp.glob("discretion-packet-*"))
        converted = [f for folder in folders for f in folder.glob("*.pdf")]
        parts = list(out_dir.glob(".packet.pdf.*.part"))
        if (moment == "converting" and converted) or (moment == "binding" and parts):
            workers = _children(run.pid)
            run.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    run.wait(30)
    if run.returncode != -signal.SIGKILL:
        pytest.skip(f"the build finished before it could be killed while {moment}")
    left = _leftovers(tmp, out_dir)
    assert left, "a killed run leaves its scratch behind (what the sweep is for)"
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)], "no worker outlives the killed CLI"
    assert not out.exists()
    # The next run, of any command, sweeps the dead run's scratch; a packet run its .part too.
    again = _cli(tmp, *_packet_args(heavy, cover, out))
    assert again.wait(300) == 0, again.stderr.read() if again.stderr else ""
    assert _leftovers(tmp, out_dir) == []
    assert out.exists()


def test_sigterm_cleans_up_at_once(tmp_path, heavy):
    tmp, out_dir = tmp_path / "tmp", tmp_path / "out"
    tmp.mkdir()
    out_dir.mkdir()
    cover = fx.text_pdf(tmp_path / "cover.pdf", 1, title="COVER")
    run = _cli(tmp, *_packet_args(heavy, cover, out_dir / "packet.pdf"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if [f for folder in tmp.glob("discretion-packet-*") for f in folder.glob("*.pdf")]:
            run.send_signal(signal.SIGTERM)
            break
        time.sleep(0.005)
    code = run.wait(60)
    if code == 0:
        pytest.skip(f"the build finished before SIGTERM: {run.stderr.read() if run.stderr else ''}")
    assert code == 128 + signal.SIGTERM
    assert _leftovers(tmp, out_dir) == []


def test_the_sweep_keeps_what_a_living_process_holds(tmp_path):
    out = tmp_path / "results.csv"
    with scratch.scratch_dir("packet", root=tmp_path) as live, scratch.staged(out) as (fd, temp):
        dead = tmp_path / "discretion-packet-dead"
        dead.mkdir()
        (dead / scratch.LOCK_NAME).touch()  # a lock file nobody holds: its maker died
        orphan = tmp_path / ".results.csv.abc123.tmp"
        orphan.touch()
        other = tmp_path / "discretion-someone-elses"  # no lock file: not ours to remove
        other.mkdir()
        assert scratch.sweep(tmp_path) == [dead]
        assert scratch.sweep_beside(out) == [orphan]
        assert live.is_dir() and temp.exists() and other.is_dir()
        os.close(fd)
    assert not live.exists() and not temp.exists()
    shutil.rmtree(other)


def test_a_worker_whose_owner_is_gone_stops_and_one_whose_owner_lives_works_on():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    for owner, expected in ((gone.pid, 1), (os.getpid(), 0)):
        child = os.fork()
        if child == 0:  # the worker: a pid 1 parent (a container's CLI) is no reason to stop
            scratch.die_with_parent(owner)
            os._exit(0)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == expected
