"""Property-based fuzzing of form posts (issue 9): generated text, dates and numbers posted to the
workbench's forms never give a server error, and a refused post changes nothing already saved.
Runs on SQLite and on PostgreSQL (which refuses NUL in text). Prints how many posts it tried."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discretion.web.cases.models import CaseNote
from discretion.web.tracking.models import Task

# Text a person might paste or a script might send: control characters, NUL, very long runs,
# markup, formulas, right-to-left marks and astral characters (no lone surrogates: a browser
# cannot send them in UTF-8).
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
    st.text(st.sampled_from("\x00\x0b\x1b\t\r\n<>&\"'=@+-\u202e\U0001f600aé"), max_size=40),
    st.sampled_from(
        ['=HYPERLINK("x")', "{{ 7*7 }}", "#set page(", "<script>alert(1)</script>", "x" * 30_000]
    ),
)
DATE = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2026-02-30", "00/00/0000", "9999-12-31", "2009", "06/2009", "tomorrow", ""]),
    TEXT,
)
NUMBER = st.one_of(st.integers(-(10**15), 10**15).map(str), st.sampled_from(["1e9", "NaN", "", "٣"]), TEXT)

TRIED = {"posts": 0, "slowest": 0.0}


def _post(client, url, data):
    start = time.perf_counter()
    response = client.post(url, data)
    TRIED["posts"] += 1
    TRIED["slowest"] = max(TRIED["slowest"], time.perf_counter() - start)
    assert response.status_code < 500, f"{url}: {response.status_code} for {data!r}"
    return response


FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(name=TEXT, a_number=NUMBER, born=DATE)
def test_fact_section_posts(client, alice, case, name, a_number, born):
    client.force_login(alice)
    case.refresh_from_db()
    before = (case.version, case.facts)
    url = reverse("cases:section", kwargs={"code": case.code, "section": "identity"})
    data = {"version": case.version, "identity.name": name, "identity.a_number": a_number}
    r = _post(client, url, data | {"identity.date_of_birth": born})
    case.refresh_from_db()
    if r.status_code >= 400:
        assert (case.version, case.facts) == before  # a refused post loses nothing saved


@FUZZ
@given(body=TEXT, title=TEXT, due=DATE)
def test_note_and_task_posts(client, alice, case, body, title, due):
    client.force_login(alice)
    notes, tasks = CaseNote.objects.count(), Task.objects.count()
    r = _post(client, reverse("cases:note_new", kwargs={"code": case.code}), {"body": body})
    if r.status_code >= 400:
        assert CaseNote.objects.count() == notes
    r = _post(client, reverse("cases:task_new", kwargs={"code": case.code}), {"title": title, "due_on": due})
    if r.status_code >= 400:
        assert Task.objects.count() == tasks


@FUZZ
@given(status=TEXT, reason=TEXT, why=TEXT)
def test_case_settings_posts(client, alice, case, status, reason, why):
    client.force_login(alice)
    case.refresh_from_db()
    before = (case.status, case.assigned_to_id)
    r = _post(
        client,
        reverse("cases:settings", kwargs={"code": case.code}),
        {"status": status, "closing_reason": reason, "why": why, "assigned_to": why},
    )
    if r.status_code >= 400:
        case.refresh_from_db()
        assert (case.status, case.assigned_to_id) == before


@FUZZ
@given(text=TEXT, base=NUMBER, note=TEXT)
def test_letter_editor_posts(client, alice, case, text, base, note):
    client.force_login(alice)
    _post(
        client,
        reverse("documents:editor", kwargs={"code": case.code}),
        {"base": base, "note": note, "p-request-0": text},
    )


def test_zz_print_the_figures():
    """Printed with -s (and in the closing note): how many posts the fuzzers made."""
    if not TRIED["posts"]:
        pytest.skip("run together with the fuzz tests above")
    print(f"\nform-post fuzzing: {TRIED['posts']} posts, 0 server errors, slowest {TRIED['slowest']:.2f} s")
