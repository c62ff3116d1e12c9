from __future__ import annotations

import pytest
from django.urls import reverse

from discretion.web.cases.models import ImmutableError, ScreeningRecord


def test_it_stores_a_snapshot_as_of_the_chosen_date(client, alice, case):
    client.force_login(alice)

    r = client.post(reverse("cases:screen", kwargs={"code": case.code}), {"on": "2020-03-01"})

    assert r.status_code == 302
    snap = ScreeningRecord.objects.filter(case=case).first()
    assert snap.policy_id == "tiny"
    assert str(snap.on) == "2020-03-01"
    assert snap.case_version == case.version
    assert snap.result["policy"]["sha256"] == snap.policy_sha256
    (finding,) = snap.result["findings"]
    assert finding["outcome"] == "met"  # since 2004: more than 10 years by 2020


def test_the_case_page_shows_findings_with_citations_and_confidence(client, alice, case):
    client.force_login(alice)
    r = client.get(reverse("cases:detail", kwargs={"code": case.code}))
    body = r.content.decode()
    assert "A stricter test policy" in body
    assert "Long presence" in body
    assert "Second test memo" in body and "§ 3" in body
    assert "UNVERIFIED" in body  # the stricter policy's source is unverified


def test_a_date_with_no_policy_gives_a_message_not_a_traceback(client, alice, case):
    client.force_login(alice)
    before = ScreeningRecord.objects.count()

    r = client.post(reverse("cases:screen", kwargs={"code": case.code}), {"on": "2020-06-15"}, follow=True)

    assert r.status_code == 200
    assert "was suspended from 2020-06-01" in r.content.decode()
    assert ScreeningRecord.objects.count() == before


def test_a_bad_as_of_date_names_the_field(client, alice, case):
    client.force_login(alice)
    r = client.post(reverse("cases:screen", kwargs={"code": case.code}), {"on": "yesterday"}, follow=True)
    assert "As of: enter a date written YYYY-MM-DD." in r.content.decode()


def test_snapshots_never_change(case):
    snap = case.latest_screening()
    snap.summary = "edited"
    with pytest.raises(ImmutableError):
        snap.save()


def test_it_compares_with_another_policy_side_by_side(client, alice, case):
    client.force_login(alice)

    r = client.get(reverse("cases:compare", kwargs={"code": case.code}), {"on": "2020-03-01"})

    assert r.status_code == 200
    (row,) = [row for row in r.context["rows"] if row["label"] == "Long presence"]
    assert row["a"]["outcome"] == "met" and row["b"]["outcome"] == "met"
    assert "A tiny test policy" in r.content.decode()
    assert ScreeningRecord.objects.filter(case=case).count() == 1  # a what-if is not stored


def test_compare_shows_differences(client, alice, alpha):
    from web_builders import make_case

    case = make_case(alpha, by=alice, screen=True, entry={"first_entry_on": "2010-01-01"})
    client.force_login(alice)
    r = client.get(
        reverse("cases:compare", kwargs={"code": case.code}), {"on": "2020-03-01", "policy": "tiny"}
    )
    (row,) = [row for row in r.context["rows"] if row["label"] == "Long presence"]
    assert row["differs"]  # 15 years: not met under 'stricter' (20), met under 'tiny' (10)


def test_compare_with_bad_input_says_which_field(client, alice, case):
    client.force_login(alice)
    r = client.get(reverse("cases:compare", kwargs={"code": case.code}), {"on": "31/12/2020"})
    assert r.status_code == 400
    assert "As of: enter a date" in r.content.decode()
    r = client.get(reverse("cases:compare", kwargs={"code": case.code}), {"on": "2020-06-15"})
    assert r.status_code == 400
    assert "suspended" in r.content.decode()


def test_export_gives_a_case_file(client, alice, case):
    import json

    client.force_login(alice)
    r = client.get(reverse("cases:export", kwargs={"code": case.code}))
    assert json.loads(r.content)["identity"]["a_number"] == "208555014"


def test_compare_with_an_unknown_policy_names_the_policy_field(client, alice, case):
    client.force_login(alice)
    r = client.get(
        reverse("cases:compare", kwargs={"code": case.code}), {"on": "2020-03-01", "policy": "nope"}
    )
    assert r.status_code == 400
    assert "Policy: Select a valid choice." in r.content.decode()


def test_the_screening_downloads_as_a_report_on_the_snapshot_facts(client, alice, case):
    from discretion.facts import CaseFacts
    from discretion.web.audit.models import AuditEvent
    from discretion.web.cases import actions

    # The facts change after the snapshot, without a new screening.
    changed = CaseFacts.model_validate(case.facts | {"identity": {"name": "Changed Later"}})
    actions.save_facts(case, facts=changed, base_version=case.version, section="identity", by=alice)
    client.force_login(alice)

    r = client.get(reverse("cases:screening_report", kwargs={"code": case.code}))

    assert r.status_code == 200
    body = r.content.decode()
    assert body.startswith("# Prosecutorial discretion screening")
    assert "A stricter test policy" in body
    assert "Alma Quintero Sol" in body and "Changed Later" not in body
    assert AuditEvent.objects.filter(action="export", case=case).exists()


def test_no_report_before_a_screening(client, alice, alpha):
    from web_builders import make_case

    unscreened = make_case(alpha, by=alice)
    client.force_login(alice)
    assert client.get(reverse("cases:screening_report", kwargs={"code": unscreened.code})).status_code == 404


def test_the_case_page_draws_a_snapshot_once_then_serves_it_from_the_cache(client, alice, case, monkeypatch):
    import django.template.loader as loader

    client.force_login(alice)
    url = reverse("cases:detail", kwargs={"code": case.code})
    calls = []

    original = loader.render_to_string

    def counting(name, *args, **kwargs):
        if name == "cases/_screening.html":
            calls.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(loader, "render_to_string", counting)
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert len(calls) <= 1  # 0 if an earlier request already drew this snapshot
    assert "Long presence" in first and "Long presence" in second
    assert first.count("screening-result") == second.count("screening-result") == 1

    # A new snapshot is a new record: it is drawn afresh, never the old HTML.
    client.post(reverse("cases:screen", kwargs={"code": case.code}), {"on": "2020-03-01"})
    calls.clear()
    third = client.get(url).content.decode()
    assert calls == ["cases/_screening.html"]
    assert "as of 2020-03-01" in third
