"""A case's status follows its PD requests; closing takes a reason; the dashboard counts agree
with the case list they link to."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from web_builders import make_case

from discretion.web.cases.models import Case, StatusChange
from discretion.web.tracking.actions import status_for_requests
from discretion.web.tracking.models import PDRequest


def _new(client, case, **overrides):
    data = {"kind": "dismissal", "office": "OPLA Chicago", "channel": "email", "sent_on": ""} | overrides
    return client.post(reverse("cases:request_new", kwargs={"code": case.code}), data)


def _event(client, pd, status, **extra):
    from django.utils.timezone import localdate

    data = {"new_status": status, "on": localdate().isoformat()} | extra
    r = client.post(reverse("tracking:request_event", kwargs={"code": pd.code}), data)
    assert r.status_code == 302, r.content.decode()[-2000:]
    return r


def _status(case):
    return Case.objects.get(pk=case.pk).status


def test_it_moves_with_the_request_from_draft_to_decision(client, alice, case):
    client.force_login(alice)
    assert _status(case) == "intake"

    r = _new(client, case)
    assert _status(case) == "preparing"
    assert "The case is now “Preparing request”" in client.get(r["Location"]).content.decode()

    pd = PDRequest.objects.get(case=case)
    _event(client, pd, "sent")
    assert _status(case) == "submitted"
    _event(client, pd, "acknowledged")
    assert _status(case) == "submitted"
    _event(client, pd, "granted", outcome="dismissal")
    assert _status(case) == "decided"

    history = list(StatusChange.objects.filter(case=case).order_by("created", "id"))
    assert [(c.old_status, c.new_status) for c in history] == [
        ("intake", "preparing"),
        ("preparing", "submitted"),
        ("submitted", "decided"),
    ]
    assert history[-1].reason == "OPLA granted the PD request" and history[-1].by == alice
    page = client.get(reverse("cases:detail", kwargs={"code": case.code})).content.decode()
    assert "OPLA granted the PD request" in page and 'id="status-history"' in page


def test_a_request_sent_at_once_makes_the_case_submitted_and_a_note_moves_nothing(client, alice, case):
    client.force_login(alice)
    _new(client, case, sent_on="2026-01-02")
    assert _status(case) == "submitted"
    pd = PDRequest.objects.get(case=case)
    _event(client, pd, "", note="Called the OPLA office")
    assert _status(case) == "submitted"
    assert StatusChange.objects.filter(case=case).count() == 1


def test_a_closed_case_stays_closed_whatever_the_requests_do(client, alice, case):
    client.force_login(alice)
    _new(client, case, sent_on="2026-01-02")
    r = client.post(
        reverse("cases:settings", kwargs={"code": case.code}),
        {"status": "closed", "closing_reason": "representation_ended", "version": case.version},
    )
    assert r.status_code == 302 and _status(case) == "closed"
    assert StatusChange.objects.filter(case=case).first().reason == "Closed: Representation ended"
    _event(client, PDRequest.objects.get(case=case), "denied")
    assert _status(case) == "closed"


def test_closing_needs_a_reason_and_other_needs_words(client, alice, case):
    client.force_login(alice)
    url = reverse("cases:settings", kwargs={"code": case.code})
    r = client.post(url, {"status": "closed", "version": case.version}, follow=True)
    assert "Why is it closed: Choose why the case is closed." in r.content.decode()
    assert _status(case) == "intake"
    r = client.post(
        url, {"status": "closed", "closing_reason": "other", "version": case.version}, follow=True
    )
    assert "Note: Say why the case is closed." in r.content.decode()
    client.post(
        url, {"status": "closed", "closing_reason": "other", "why": "Client moved abroad", "version": 1}
    )
    assert _status(case) == "closed"
    assert StatusChange.objects.get(case=case).reason == "Closed: Client moved abroad"


@pytest.mark.parametrize(
    ("current", "newest_first", "expected"),
    [
        ("intake", [], "intake"),
        ("preparing", [], "preparing"),
        ("submitted", [], "preparing"),  # its only request was deleted
        ("intake", ["drafted"], "preparing"),
        ("intake", ["sent"], "submitted"),
        ("decided", ["drafted", "denied"], "preparing"),  # a new request after a denial
        ("submitted", ["drafted", "sent"], "submitted"),  # one is still out with OPLA
        ("submitted", ["no_response"], "submitted"),
        ("submitted", ["drafted", "no_response"], "preparing"),  # asking again
        ("submitted", ["granted"], "decided"),
        ("submitted", ["withdrawn"], "preparing"),
        ("decided", ["withdrawn", "denied"], "decided"),
        ("closed", ["sent"], "closed"),
    ],
)
def test_the_rule(current, newest_first, expected):
    assert status_for_requests(current, newest_first) == expected


def test_the_dashboard_counts_are_the_case_list_it_links_to(client, alice, bob, alpha):
    client.force_login(alice)
    for i in range(3):
        make_case(alpha, by=alice, assigned_to=alice, identity={"name": f"Mine {i}"})
    other = make_case(alpha, by=alice, assigned_to=None, identity={"name": "Nobody's"})
    sent = make_case(alpha, by=alice, assigned_to=alice, identity={"name": "Sent One"})
    _new(client, sent, sent_on="2026-01-02")
    _new(client, other)

    for scope in ("mine", "all"):
        page = client.get(reverse("tracking:dashboard"), {"scope": scope}).content.decode()
        counts = dict(
            re.findall(r'data-status="(\w+)"><span class="count">(\d+)</span>', page.replace("&amp;", "&"))
        )
        for status, shown in counts.items():
            query = {"status": status} | ({"assignee": "me"} if scope == "mine" else {})
            listed = client.get(reverse("cases:list"), query).content.decode()
            found = re.search(r"(\d+) cases? found", listed)
            assert int(shown) == int(found.group(1)), (scope, status)
        assert counts["submitted"] == "1" and counts["intake"] == ("3" if scope == "mine" else "3")
        assert counts["preparing"] == ("0" if scope == "mine" else "1")


def test_the_upgrade_brings_existing_cases_in_line(alice, case, alpha):
    """The data migration's rule on rows written before status followed the work."""
    import importlib

    migration = importlib.import_module(
        "discretion.web.tracking.migrations.0003_case_status_follows_requests"
    )
    from django.apps import apps

    pd = PDRequest.objects.create(case=case, kind="dismissal")
    pd.set_status("sent", by=alice)
    untouched = make_case(alpha, identity={"name": "No request"})
    closed = make_case(alpha, identity={"name": "Closed one"})
    Case.objects.filter(pk=closed.pk).update(status="closed")
    PDRequest.objects.create(case=closed, kind="dismissal", status="sent")

    from types import SimpleNamespace

    from django.db import connection

    # The migration reads its database from the schema editor's connection (the owner's, when
    # migrations run as the owner): give it the test's.
    migration.forwards(apps, SimpleNamespace(connection=connection))

    assert _status(case) == "submitted" and _status(untouched) == "intake" and _status(closed) == "closed"
    assert StatusChange.objects.get(case=case).reason.startswith("Brought in line")
