"""The guided fact flow: save and continue, the progress list, entries added without saving,
the court picker and its OPLA field location, plain errors, missing facts as questions."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from web_builders import make_case

from discretion.web.cases import courts, flow, plain, sections
from discretion.web.cases.models import Case


def _url(case, section="identity", check=False):
    return reverse(
        "cases:section_check" if check else "cases:section", kwargs={"code": case.code, "section": section}
    )


def _proceedings(case, **values):
    return {"version": case.version, "proceedings.in_proceedings": "yes"} | values


# --- the flow ---------------------------------------------------------------------------------


def test_save_and_continue_opens_the_next_section(client, alice, case):
    client.force_login(alice)
    same = {"version": case.version, "identity.name": case.name, "identity.a_number": case.a_number}
    r = client.post(_url(case), same | {"then": "next"})
    assert r.status_code == 302
    assert r["Location"] == _url(case, "proceedings")
    assert Case.objects.get(pk=case.pk).version == case.version  # nothing changed: no new version


def test_a_section_in_the_progress_list_saves_this_one_and_opens_it(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case),
        {"version": case.version, "identity.name": case.name, "identity.sex": "female", "then": "family"},
    )
    assert r["Location"] == _url(case, "family")
    case.refresh_from_db()
    assert case.facts["identity"]["sex"] == "female" and case.version == 2


def test_the_last_section_goes_to_the_screening(client, alice, case):
    client.force_login(alice)
    last = sections.SECTIONS[-1]
    r = client.post(_url(case, last.key), {"version": case.version, "then": "next"})
    assert r["Location"] == reverse("cases:detail", kwargs={"code": case.code}) + "#screening"


def test_an_unknown_then_goes_back_to_the_case(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case), {"version": case.version, "identity.name": case.name, "then": "//evil.example"}
    )
    assert r["Location"] == reverse("cases:detail", kwargs={"code": case.code}) + "#facts-identity"


def test_the_progress_list_marks_what_is_entered_and_what_is_still_asked(client, alice, case):
    client.force_login(alice)
    r = client.get(_url(case, "entry"))
    steps = {s.section.key: s for s in r.context["progress"]}
    assert steps["entry"].entered and steps["identity"].entered and not steps["gang"].entered
    assert steps["family"].questions >= 1  # the screening needs to know the family
    body = r.content.decode()
    assert 'aria-current="step"' in body
    assert (
        f"step {sections.SECTIONS.index(sections.SECTION_BY_KEY['entry']) + 1} of {len(sections.SECTIONS)}"
        in body
    )


def test_a_new_section_in_the_definitions_joins_the_flow(client, alice, case, monkeypatch):
    extra = sections.Section("military", "Service in the forces")
    monkeypatch.setattr(sections, "SECTIONS", [*sections.SECTIONS[:2], extra])
    assert flow.following(sections.SECTIONS[1]) is extra
    assert [s.section for s in flow.progress(case, None)][-1] is extra


def test_a_new_case_opens_the_flow(client, alice):
    client.force_login(alice)
    r = client.post(
        reverse("cases:new"),
        {"name": "Ana Ramírez", "a_number": "", "reference": "", "requested_action": "dismissal"},
    )
    case = Case.objects.get(name="Ana Ramírez")
    assert r["Location"] == _url(case, "identity")  # the form asked the first section's facts
    assert case.facts["requested_action"] == "dismissal"
    r = client.post(reverse("cases:new"), {"name": "Ben Ruiz", "a_number": "", "reference": ""})
    assert r["Location"] == _url(Case.objects.get(name="Ben Ruiz"), "request")


# --- entries added inline ---------------------------------------------------------------------------


def test_add_a_child_shows_a_new_entry_without_saving_and_keeps_what_was_typed(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case, "family"),
        {
            "version": case.version,
            "family.0.name": "Sofía",
            "family.0.relationship": "child",
            "add_row": "family:relationship=child",
        },
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert 'name="family.0.name" value="Sofía"' in body
    assert 'name="family.1.relationship" value="child" checked' in body
    assert "family" not in Case.objects.get(pk=case.pk).facts  # nothing saved yet
    assert "Add another:" in body and 'value="family:relationship=spouse"' in body


def test_two_children_entered_in_one_save(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case, "family"),
        {
            "version": case.version,
            "family.0.name": "Sofía",
            "family.0.relationship": "child",
            "family.0.status": "usc",
            "family.1.name": "Mateo",
            "family.1.relationship": "child",
            "family.1.status": "usc",
            "then": "next",
        },
    )
    assert r.status_code == 302
    family = Case.objects.get(pk=case.pk).facts["family"]
    assert [(m["name"], m["status"]) for m in family] == [("Sofía", "usc"), ("Mateo", "usc")]


def test_an_add_button_for_another_list_or_a_bad_preset_adds_a_blank_entry_or_nothing(client, alice, case):
    family = sections.SECTION_BY_KEY["family"]
    assert sections.added_entry(family, "criminal_history") == {}
    assert sections.added_entry(family, "family:relationship=emperor") == {"family": {}}
    assert sections.added_entry(family, "family:relationship=child") == {"family": {"relationship": "child"}}
    proceedings = sections.SECTION_BY_KEY["proceedings"]
    assert sections.added_entry(proceedings, "proceedings.pending_applications") == {
        "proceedings.pending_applications": {}
    }


# --- errors -----------------------------------------------------------------------------------------


def test_an_impossible_date_is_refused_in_words_and_kept(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case),
        {"version": case.version, "identity.name": case.name, "identity.date_of_birth": "02/30/1986"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "February 1986 has 28 days, so February 30 does not exist" in body
    assert 'value="1986-02-30"' in body  # what was typed, in the form's own writing
    assert 'aria-invalid="true"' in body and 'href="#f-identity-date-of-birth"' in body
    assert "One thing to fix before this can be saved" in body
    assert "date_of_birth" not in Case.objects.get(pk=case.pk).facts["identity"]


def test_a_date_written_the_american_way_is_read(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case),
        {"version": case.version, "identity.name": case.name, "identity.date_of_birth": "4/12/1986"},
    )
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).facts["identity"]["date_of_birth"] == "1986-04-12"


def test_a_date_of_birth_in_the_future_is_refused(client, alice, case):
    client.force_login(alice)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    r = client.post(
        _url(case), {"version": case.version, "identity.name": case.name, "identity.date_of_birth": tomorrow}
    )
    assert r.status_code == 400
    assert "cannot be in the future" in r.content.decode()


def test_several_errors_are_each_listed_at_the_top_and_next_to_their_field(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case, "employment"),
        {"version": case.version, "employment.years_worked_in_us": "lots", "employment.tax_years": "2020, x"},
    )
    assert r.status_code == 400
    errors = r.context["errors"]
    assert len(errors) == 2
    body = r.content.decode()
    assert "2 things to fix before this can be saved" in body
    for e in errors:
        assert f'href="#{e.id}"' in body and f'id="{e.error_id}">{e.error}' in body
    assert "Enter a whole number, like 3, not “lots”." in body


def test_plain_field_errors_never_name_paths_or_codes():
    samples = [
        {"type": "missing", "loc": ("x",), "msg": "Field required"},
        {"type": "int_parsing", "loc": ("x",), "msg": "", "input": "x"},
        {"type": "less_than_equal", "loc": ("x",), "msg": "", "input": "300", "ctx": {"le": 120}},
        {"type": "enum", "loc": ("x",), "msg": "", "input": "zz"},
        {"type": "date_from_datetime_parsing", "loc": ("x",), "msg": "", "input": "2024-13-01"},
    ]
    for err in samples:
        text = plain.field_error(err)
        assert text[:1].isupper() and text.endswith((".", "?")), text
        assert "_" not in text and "[" not in text, text
    assert plain.date_problem("2024-13-01").startswith("There is no month 13")
    assert plain.date_problem("2023-02-29").startswith("February 2023 has 28 days")
    assert plain.date_problem("2024-02-29") == ""


# --- the court picker -----------------------------------------------------------------------------


def test_courts_are_found_as_you_type(client, alice):
    client.force_login(alice)
    r = client.get(reverse("cases:courts"), {"proceedings.court": "gessner"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert 'data-court-option="Houston Immigration Court (South Gessner)"' in body
    assert "HSG · Houston, TX · OPLA Houston" in body
    assert [c.code for c in courts.search("houston")][:3] and all(
        c.city == "Houston" for c in courts.search("houston")
    )
    assert courts.search("hsg")[0].code == "HSG"
    r = client.get(reverse("cases:courts"), {"proceedings.court": "Atlantis"})
    assert "No court matches “Atlantis”" in r.content.decode()


def test_a_court_typed_that_names_one_court_is_stored_by_its_directory_name(client, alice, case):
    client.force_login(alice)
    r = client.post(_url(case, "proceedings"), _proceedings(case, **{"proceedings.court": "South Gessner"}))
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.court == "Houston Immigration Court (South Gessner)"


def test_free_text_naming_no_court_is_refused_for_a_new_entry(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case, "proceedings"), _proceedings(case, **{"proceedings.court": "Houston - S. Gessner"})
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert (
        "Choose the court from the list: no court in the directory is called “Houston - S. Gessner”" in body
    )
    assert "Houston Immigration Court (South Gessner)" in body  # the suggestion
    assert Case.objects.get(pk=case.pk).court == "Chicago"


def test_an_old_court_text_is_kept_and_flagged_until_changed(client, alice, alpha):
    old = make_case(alpha, by=alice, proceedings={"court": "Houston - S. Gessner"})
    client.force_login(alice)
    r = client.get(_url(old, "proceedings"))
    body = r.content.decode()
    assert 'id="court-flag"' in body and "Not in the directory" in body
    # Saving another field of the section keeps the old text (it is not the person's new entry).
    r = client.post(
        _url(old, "proceedings"),
        _proceedings(old, **{"proceedings.court": "Houston - S. Gessner", "proceedings.detained": "no"}),
    )
    assert r.status_code == 302
    old.refresh_from_db()
    assert old.court == "Houston - S. Gessner" and old.detained is False
    detail = client.get(reverse("cases:detail", kwargs={"code": old.code})).content.decode()
    assert "not in the court directory" in detail


def test_an_old_court_text_that_names_one_court_is_matched(client, alice, alpha):
    old = make_case(alpha, by=alice, proceedings={"court": "newark"})
    client.force_login(alice)
    body = client.get(_url(old, "proceedings")).content.decode()
    assert 'id="court-flag"' not in body
    assert "OPLA Newark" in body and "(follows from the court)" in body


def test_the_opla_field_location_follows_the_court_and_can_be_chosen(client, alice, case):
    client.force_login(alice)
    post = _proceedings(
        case,
        **{
            "proceedings.court": "Houston Immigration Court (South Gessner)",
            "proceedings.opla_office": "houston/conroe",
        },
    )
    assert client.post(_url(case, "proceedings"), post).status_code == 302
    case.refresh_from_db()
    assert case.facts["proceedings"]["opla_office"] == "houston/conroe"
    body = client.get(_url(case, "proceedings")).content.decode()
    assert "chosen by you" in body and "Conroe" in body
    # The request form suggests the office chosen.
    r = client.get(reverse("cases:request_new", kwargs={"code": case.code}))
    assert r.context["form"].initial["office"] == "OPLA Houston"
    # A made-up office is refused.
    post["proceedings.opla_office"] = "atlantis"
    post["version"] = case.version
    r = client.post(_url(case, "proceedings"), post)
    assert r.status_code == 400
    assert "Choose an OPLA field location from the list." in r.content.decode()


def test_the_letter_goes_to_the_office_the_case_names():
    from discretion.offices import office_for_case

    assert office_for_case("Houston Immigration Court (South Gessner)").location is None
    chosen = office_for_case("Houston Immigration Court (South Gessner)", "houston/conroe")
    assert chosen is not None and chosen.location == "Conroe" and not chosen.verified
    assert any("chosen by the practitioner" in w for w in chosen.warnings)
    assert office_for_case("Chicago", "no-such-office").name == "OPLA Chicago"  # falls back to the court's


def test_inline_checking_previews_the_screening_of_what_is_typed(client, alice, case):
    client.force_login(alice)
    r = client.post(
        _url(case, "proceedings", check=True),
        _proceedings(case, **{"proceedings.court": "Chicago", "proceedings.detained": "no"}),
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert 'id="so-far" hx-swap-oob="true"' in body
    assert "with what is in the form, not saved" in body
    assert 'id="court-state" hx-swap-oob="true"' in body


# --- plain language ---------------------------------------------------------------------------------


def test_missing_facts_read_as_questions_linking_to_their_field(client, alice, alpha):
    c = make_case(
        alpha,
        by=alice,
        screen=True,
        family=[{"name": "Sofía Ramírez", "relationship": "child", "status": "usc"}],
    )
    client.force_login(alice)
    body = client.get(reverse("cases:detail", kwargs={"code": c.code})).content.decode()
    block = body.split('id="missing-facts"')[1].split("</div>")[0]
    assert "Family, Sofía Ramírez:" in block
    assert f'href="{_url(c, "family")}#f-family-0-' in block
    assert "needed by" not in block and "t25." not in block and "<code>" not in block
    details = body.split('id="screening-details"')[1].split("</details>")[0]
    assert "<code>family[0]." in details  # the paths stay in the details view


def test_the_comparison_says_applies_not_met(client, alice, case):
    client.force_login(alice)
    r = client.get(reverse("cases:compare", kwargs={"code": case.code}), {"on": "2025-06-01"})
    body = r.content.decode()
    assert "Notmet" not in body and ">Met<" not in body
    assert "Does not apply" in body or "Applies" in body
