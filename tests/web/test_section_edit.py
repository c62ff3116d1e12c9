from __future__ import annotations

from django.urls import reverse

from discretion.web.audit.models import AuditEvent
from discretion.web.cases.models import Case, CaseRevision, ScreeningRecord, name_tokens
from discretion.web.files import sealing


def _url(case, section="identity", check=False):
    return reverse(
        "cases:section_check" if check else "cases:section", kwargs={"code": case.code, "section": section}
    )


def _identity(case, **overrides):
    data = {
        "version": case.version,
        "identity.name": "Alma Quintero Sol",
        "identity.a_number": "208555014",
        "identity.date_of_birth": "1986-04-12",
        "identity.needs_interpreter": "yes",
        "identity.sex": "female",
        "identity.languages": "Spanish\nK'iche'",
    }
    return data | overrides


def test_it_saves_a_section_and_screens_again(client, alice, case):
    client.force_login(alice)
    screenings = ScreeningRecord.objects.filter(case=case).count()

    r = client.post(_url(case), _identity(case, **{"identity.name": "Alma Q. Sol"}))

    assert r.status_code == 302
    case.refresh_from_db()
    assert case.version == 2
    assert case.name == "Alma Q. Sol"
    assert case.name_key == (name_tokens("Alma Q. Sol") if sealing.enabled() else "alma q. sol")
    assert case.facts["identity"]["languages"] == ["Spanish", "K'iche'"]
    assert case.facts["identity"]["needs_interpreter"] is True
    assert case.facts["identity"]["date_of_birth"] == "1986-04-12"
    assert case.facts["entry"] == {"first_entry_on": "2004-11-03"}  # other sections untouched
    assert CaseRevision.objects.filter(case=case, version=2, section="identity").exists()
    assert ScreeningRecord.objects.filter(case=case).count() == screenings + 1
    assert AuditEvent.objects.filter(case=case, action="change", user=alice).exists()


def test_it_rejects_a_bad_date_naming_the_field_and_keeps_the_input(client, alice, case):
    client.force_login(alice)

    r = client.post(
        _url(case), _identity(case, **{"identity.date_of_birth": "12/04/86", "identity.name": "Typed Name"})
    )

    assert r.status_code == 400
    body = r.content.decode()
    assert 'href="#f-identity-date-of-birth"' in body  # the summary at the top links to the field
    # A date of birth may be partial (only the year known): the message says so.
    assert (
        "Enter a date like 03/15/2009 or 2009-03-15, or only the month (03/2009) or the year (2009) "
        "when that is all that is known, not “12/04/86”."
    ) in body
    assert 'value="Typed Name"' in body  # nothing typed is lost
    case.refresh_from_db()
    assert case.version == 1 and case.name == "Alma Quintero Sol"


def test_it_rejects_a_bad_a_number(client, alice, case):
    client.force_login(alice)

    r = client.post(_url(case), _identity(case, **{"identity.a_number": "12x"}))

    assert r.status_code == 400
    assert "is not an A-number" in r.content.decode()
    assert Case.objects.get(pk=case.pk).a_number == "208555014"


def test_it_rejects_a_negative_number(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case, "employment"), {"version": case.version, "employment.years_worked_in_us": "-3"}
    )
    assert r.status_code == 400
    assert "Enter 0 or more." in r.content.decode()


def test_it_validates_inline_without_saving(client, alice, case):
    client.force_login(alice)

    r = client.post(
        _url(case, check=True), _identity(case, **{"identity.a_number": "12"}), HTTP_HX_REQUEST="true"
    )

    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="e-identity-a-number" hx-swap-oob="true">' in body
    assert "is not an A-number" in body
    assert Case.objects.get(pk=case.pk).version == 1


def test_a_second_save_is_told_the_case_changed_and_keeps_its_input(client, alice, bob, case):
    client.force_login(alice)
    stale_version = case.version
    assert client.post(_url(case), _identity(case, **{"identity.name": "Alice's Name"})).status_code == 302

    client.force_login(bob)
    r = client.post(_url(case), _identity(case, version=stale_version, **{"identity.name": "Bob's Name"}))

    assert r.status_code == 409
    body = r.content.decode()
    assert "changed this case while you were editing" in body
    assert "Alice&#x27;s Name" in body  # what changed
    assert "Bob&#x27;s Name" in body  # bob's input kept in the form
    assert Case.objects.get(pk=case.pk).name == "Alice's Name"
    # Saving again from the conflict page (which carries the new version) overwrites on purpose.
    r = client.post(_url(case), _identity(case, version=stale_version + 1, **{"identity.name": "Bob's Name"}))
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).name == "Bob's Name"


def test_it_adds_and_removes_rows(client, alice, case):
    client.force_login(alice)
    post = {
        "version": case.version,
        "criminal_history.0.offence": "Driving without a licence",
        "criminal_history.0.disposition": "convicted",
        "criminal_history.0.level": "infraction",
        "criminal_history.0.categories": ["minor_traffic"],
        "criminal_history.0.convicted_on": "2012-06-18",
        "criminal_history.1.offence": "",
    }
    assert client.post(_url(case, "criminal_history"), post).status_code == 302
    case.refresh_from_db()
    assert case.facts["criminal_history"] == [
        {
            "offence": "Driving without a licence",
            "disposition": "convicted",
            "level": "infraction",
            "categories": ["minor_traffic"],
            "convicted_on": "2012-06-18",
        }
    ]

    post = {
        "version": case.version,
        "criminal_history.0.offence": "Driving without a licence",
        "criminal_history.0.__remove": "1",
    }
    assert client.post(_url(case, "criminal_history"), post).status_code == 302
    case.refresh_from_db()
    assert case.facts["criminal_history"] == []  # asked: there are none


def test_not_asked_yet_stays_unknown(client, alice, case):
    client.force_login(alice)
    r = client.post(_url(case, "family"), {"version": case.version, "family.__unknown": "1"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert "family" not in case.facts


def test_a_row_missing_a_required_field_names_it(client, alice, case):
    client.force_login(alice)
    r = client.post(_url(case, "family"), {"version": case.version, "family.0.name": "Sofía"})
    assert r.status_code == 400
    body = r.content.decode()
    assert 'href="#f-family-0-relationship"' in body
    assert "Relationship: Fill this in: each entry needs it." in body


def test_nested_hearing_fields_update_the_list_columns(client, alice, case):
    client.force_login(alice)
    post = {
        "version": case.version,
        "proceedings.court": "Newark",
        "proceedings.next_hearing.date": "2027-03-04",
        "proceedings.next_hearing.kind": "individual",
        "proceedings.detained": "no",
    }
    assert client.post(_url(case, "proceedings"), post).status_code == 302
    case.refresh_from_db()
    assert case.court == "Newark Immigration Court"  # the directory's name for what was typed
    assert str(case.next_hearing_on) == "2027-03-04"
    assert case.detained is False


def test_an_unknown_section_is_404(client, alice, case):
    client.force_login(alice)
    assert client.get(_url(case, "nonsense")).status_code == 404


def test_every_section_renders(client, alice, case):
    from discretion.web.cases.sections import SECTIONS

    client.force_login(alice)
    for s in SECTIONS:
        r = client.get(_url(case, s.key))
        assert r.status_code == 200, s.key
        assert f"<h1>{s.title}</h1>" in r.content.decode()


def test_read_only_members_see_the_form_disabled(client, rita, case):
    client.force_login(rita)
    r = client.get(_url(case))
    assert r.status_code == 200
    assert b"<fieldset disabled" in r.content
    assert client.post(_url(case), _identity(case)).status_code == 403


def test_two_saves_from_the_same_version_cannot_both_win(alice, bob, case):
    import pytest

    from discretion.facts import CaseFacts
    from discretion.web.cases import actions

    base = case.version
    first = CaseFacts.model_validate(case.facts | {"identity": {"name": "First"}})
    second = CaseFacts.model_validate(case.facts | {"identity": {"name": "Second"}})
    actions.save_facts(
        Case.objects.get(pk=case.pk), facts=first, base_version=base, section="identity", by=alice
    )

    with pytest.raises(actions.Conflict) as info:
        actions.save_facts(
            Case.objects.get(pk=case.pk), facts=second, base_version=base, section="identity", by=bob
        )

    assert info.value.by == "Alice"  # people by name (the username only when no name was entered)
    assert [(c.path, c.before, c.after) for c in info.value.changes if c.path == "identity.name"] == [
        ("identity.name", "Alma Quintero Sol", "First")
    ]
    assert Case.objects.get(pk=case.pk).name == "First"


def test_viewing_a_section_is_audited(client, rita, case):
    client.force_login(rita)
    client.get(_url(case))
    assert AuditEvent.objects.filter(user=rita, action="view", case=case).exists()


def test_the_history_shows_who_changed_what(client, alice, bob, case):
    client.force_login(alice)
    client.post(_url(case), _identity(case, **{"identity.name": "New Name"}))
    client.force_login(bob)

    r = client.get(reverse("cases:history", kwargs={"code": case.code}))

    assert r.status_code == 200
    latest = r.context["entries"][0]
    assert latest["revision"].created_by == alice and latest["section"].key == "identity"
    names = [(c.before, c.after) for c in latest["changes"] if c.path == "identity.name"]
    assert names == [("Alma Quintero Sol", "New Name")]


def test_the_history_never_lists_the_schema_version_as_a_changed_fact(client, alice, case):
    client.force_login(alice)
    client.post(_url(case), _identity(case, **{"identity.name": "New Name"}))

    r = client.get(reverse("cases:history", kwargs={"code": case.code}))

    paths = [c.path for e in r.context["entries"] for c in e["changes"]]
    assert "identity.name" in paths
    assert "schema_version" not in paths
    assert "Schema version" not in r.content.decode()


def test_list_sections_explain_none_versus_not_asked_in_plain_words(client, alice, case):
    client.force_login(alice)
    for section in ("criminal_history", "family"):
        body = client.get(_url(case, section)).content.decode()
        assert "[] means none" not in body and "omitted means" not in body
        assert "If you asked and there are none" in body
    body = client.get(_url(case, "criminal_history")).content.decode()
    assert "Every arrest, charge and conviction" in body
