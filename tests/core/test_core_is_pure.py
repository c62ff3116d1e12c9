import subprocess
import sys


def test_importing_the_core_and_its_cli_does_not_import_django():
    code = (
        "import sys, discretion, discretion.cli, discretion.screening, discretion.policies;"
        "from discretion import predicates; predicates.names();"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'));"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
