"""The web fact sections carry the case format v2: partial dates, typed proofs, sources and
disputed versions, the new sections, and cases stored under schema 1."""

from __future__ import annotations

from django.urls import reverse

from discretion.web.cases.models import Case, ScreeningRecord


def _url(case, section):
    return reverse("cases:section", kwargs={"code": case.code, "section": section})


def test_a_partial_date_is_kept_as_typed(client, alice, case):
    client.force_login(alice)

    r = client.post(
        _url(case, "entry"),
        {"version": case.version, "entry.first_entry_on": "2004-11", "entry.manner": "without_inspection"},
    )

    assert r.status_code == 302
    case.refresh_from_db()
    assert case.facts["entry"]["first_entry_on"] == "2004-11"
    page = client.get(_url(case, "entry")).content.decode()
    assert 'value="2004-11"' in page
    assert (
        'placeholder="MM/DD/YYYY, MM/YYYY or YYYY"' in page
    )  # a text input: a date picker cannot hold a month


def test_a_bad_partial_date_names_the_field(client, alice, case):
    client.force_login(alice)

    r = client.post(_url(case, "entry"), {"version": case.version, "entry.first_entry_on": "2004-13"})

    assert r.status_code == 400
    body = r.content.decode()
    assert 'id="e-entry-first-entry-on"' in body and "only the month (03/2009) or the year" in body
    assert "2004-13" in body
    assert Case.objects.get(pk=case.pk).facts["entry"] == {"first_entry_on": "2004-11-03"}


def test_proofs_typed_on_one_line_become_one_entry_each(client, alice, case):
    client.force_login(alice)

    r = client.post(
        _url(case, "presence"),
        {
            "version": case.version,
            "presence.proofs.0.kind": "pay_stub",
            "presence.proofs.0.dated_from": "2021-03",
            "presence.proofs.__line": "lease 2019, tax returns 2020; school record",
        },
    )

    assert r.status_code == 302
    case.refresh_from_db()
    proofs = case.facts["presence"]["proofs"]
    assert [p["kind"] for p in proofs] == ["pay_stub", "lease", "tax_return", "school_record"]
    assert proofs[1]["dated_from"] == "2019" and proofs[2]["dated_from"] == "2020"


def test_sources_record_a_basis_and_a_disputed_version_and_the_screen_reports_it(client, alice, case):
    client.force_login(alice)

    r = client.post(
        _url(case, "sources"),
        {
            "version": case.version,
            "date_basis.0.fact": "entry.first_entry_on",
            "date_basis.0.basis": "claimed",
            "disputes.0.fact": "entry.first_entry_on",
            "disputes.0.value": "2021-06-01",
            "disputes.0.source": "CBP FOIA (I-213)",
            "disputes.0.basis": "documented",
            "disputes.0.recorded_source": "client interview",
        },
    )

    assert r.status_code == 302, r.content.decode()[:2000]
    case.refresh_from_db()
    assert case.facts["date_basis"] == {"entry.first_entry_on": "claimed"}
    assert case.facts["disputes"] == [
        {
            "fact": "entry.first_entry_on",
            "recorded_source": "client interview",
            "versions": [{"value": "2021-06-01", "source": "CBP FOIA (I-213)", "basis": "documented"}],
        }
    ]
    latest = ScreeningRecord.objects.filter(case=case).order_by("-pk").first()
    assert latest is not None
    assert latest.result["disputes"][0]["fact"] == "entry.first_entry_on"
    detail = client.get(reverse("cases:detail", kwargs={"code": case.code})).content.decode()
    assert 'id="disputed-facts"' in detail and "Entry: first entry on" in detail
    # The form shows the rows back.
    page = client.get(_url(case, "sources")).content.decode()
    assert "CBP FOIA (I-213)" in page


def test_a_disputed_version_that_is_not_a_valid_value_is_refused(client, alice, case):
    client.force_login(alice)

    r = client.post(
        _url(case, "sources"),
        {
            "version": case.version,
            "disputes.0.fact": "entry.first_entry_on",
            "disputes.0.value": "last spring",
        },
    )

    assert r.status_code == 400
    assert "disputes[0].versions[0].value" in r.content.decode()
    assert "disputes" not in Case.objects.get(pk=case.pk).facts


def test_the_new_sections_save(client, alice, case):
    client.force_login(alice)

    r = client.post(
        _url(case, "supervision"),
        {
            "version": case.version,
            "supervision.release_document": "order_of_recognizance",
            "supervision.atd": "yes",
            "supervision.atd_kind": "smartlink",
            "supervision.check_ins.0.on": "2025-02",
            "supervision.check_ins.0.attended": "yes",
        },
    )
    assert r.status_code == 302
    case.refresh_from_db()
    r = client.post(
        _url(case, "tps"),
        {
            "version": case.version,
            "tps.country": "Honduras",
            "tps.status": "granted",
            "tps.valid_until": "2025-07-05",
        },
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.facts["supervision"]["check_ins"] == [{"on": "2025-02", "attended": True}]
    assert case.facts["tps"] == {"country": "Honduras", "status": "granted", "valid_until": "2025-07-05"}


def test_a_case_stored_under_schema_1_opens_and_saves_as_schema_2(client, alice, case):
    Case.objects.filter(pk=case.pk).update(
        facts={
            "schema_version": 1,
            "entry": {"first_entry_on": "2004-11-03", "parole_ends_on": "2025-06-30", "manner": "paroled"},
            "presence": {"evidence": ["leases", "pay stubs"]},
        }
    )
    case.refresh_from_db()
    client.force_login(alice)

    assert client.get(reverse("cases:detail", kwargs={"code": case.code})).status_code == 200
    page = client.get(_url(case, "presence")).content.decode()
    assert "leases" in page

    r = client.post(
        _url(case, "request"), {"version": case.version, "case_id": "ALPHA-1", "notes": "FOIA sent"}
    )

    assert r.status_code == 302
    case.refresh_from_db()
    assert case.facts["schema_version"] == 2
    assert case.facts["notes"] == "FOIA sent"
    assert case.facts["entry"]["paroles"] == [{"ends_on": "2025-06-30"}]
    assert [p["kind"] for p in case.facts["presence"]["proofs"]] == ["lease", "pay_stub"]


def test_the_intake_takes_a_month_and_year_and_shows_it_back():
    from discretion.web.intake.questions import Invalid, question, read_value, show_value

    q = question("entry.first_entry_on")
    assert q is not None and q.kind == "date"
    assert read_value(q, "03/2009") == "2009-03"
    assert read_value(q, "2009") == "2009"
    assert read_value(q, "03/15/2009") == "2009-03-15"
    assert show_value(q, "2009-03") == "03/2009" and show_value(q, "2009") == "2009"
    try:
        read_value(q, "13/2009")
    except Invalid:
        pass
    else:
        raise AssertionError("month 13 was accepted")
    # The next hearing is scheduled: it must be a full date.
    hearing = question("proceedings.next_hearing.date")
    assert hearing is not None
    try:
        read_value(hearing, "03/2027")
    except Invalid:
        pass
    else:
        raise AssertionError("a partial hearing date was accepted")
