"""Property-based fuzzing of case files, docket CSVs and manifests (issue 9); see ``fuzzing.py``.

Each run prints how many inputs were tried, how many failed and the slowest one; the
benchmark ``benchmarks/fuzz.py`` runs the same properties on many more inputs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import fuzzing
import packet_fixtures as fx
import pytest
from hypothesis import HealthCheck, given, settings


def fuzz_settings(examples: int) -> settings:
    return settings(SETTINGS, max_examples=examples)


SETTINGS = settings(
    database=None,  # nothing written into the checkout; a failure prints its input to replay
    deadline=dt.timedelta(seconds=fuzzing.MAX_SECONDS),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module", autouse=True)
def report(request):
    yield
    # Printed past pytest's capture, so every run shows its figures (not only failing ones).
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        for stats in fuzzing.STATS.values():
            if stats.tried:
                print("\n" + stats.line(), end="")
        print()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def exhibits(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-exhibits")
    for name in ("lease", "acta", "acta-en"):
        fx.text_pdf(folder / f"{name}.pdf", 1, title=name.upper())
    return folder


def test_case_files(scratch):
    folder = scratch / "case"
    folder.mkdir()

    @fuzz_settings(300)
    @given(fuzzing.case_inputs())
    def run(case):
        fuzzing.check_case(*case, folder)

    run()


def test_docket_csv_rows(scratch):
    folder = scratch / "csv"
    folder.mkdir()

    @fuzz_settings(80)
    @given(fuzzing.docket())
    def run(data):
        fuzzing.check_docket(data, folder)

    run()


def test_manifests(exhibits):
    @fuzz_settings(150)
    @given(fuzzing.manifest_inputs())
    def run(data):
        fuzzing.check_manifest(data, exhibits)

    run()
