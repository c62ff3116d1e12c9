"""The core and the CLI never import Django: every module under src/discretion/ outside web/ is
imported in a fresh interpreter (letters, packets and evidence included), and the set of modules
it loaded is checked."""

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "discretion"


def core_modules() -> list[str]:
    names = []
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(CORE.parent).with_suffix("").parts
        if parts[1:2] == ("web",):
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_list_of_core_modules_is_the_whole_core():
    names = core_modules()
    # A guard against a walk that finds nothing: the layers the issue names are all there.
    for expected in ("discretion.screening", "discretion.letters.content", "discretion.packets.build",
                     "discretion.evidence", "discretion.cli", "discretion.predicates.relief"):  # fmt: skip
        assert expected in names
    assert not any(n.startswith("discretion.web") for n in names)


def test_importing_every_core_module_does_not_import_django():
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from discretion import predicates\n"
        "predicates.names()\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
        f"assert all(name in sys.modules for name in {modules!r})\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
