"""NUL, control characters and over-long values in web forms (issue 9): refused with the field
named, what was typed shown back, nothing saved changed; never a 500 (PostgreSQL cannot store
NUL). Django forms through lib/text_input.py, fact sections through the core's parse_facts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from discretion.web.cases.models import Case, CaseNote
from discretion.web.tracking.models import Task

BAD = [
    ("nul", "Call the client\x00 back"),
    ("vertical tab", "Call the client\x0bback"),
    ("escape", "Call the client \x1b[31mnow"),
]


@pytest.mark.parametrize(("what", "text"), BAD, ids=[w for w, _ in BAD])
def test_a_note_with_a_control_character_is_refused_and_kept(client, alice, case, what, text):
    client.force_login(alice)
    r = client.post(reverse("cases:note_new", kwargs={"code": case.code}), {"body": text})
    body = r.content.decode("utf-8", "replace")
    assert r.status_code == 400
    assert "Note: This contains" in body or "Note: Null characters are not allowed" in body
    assert "Call the client" in body  # what was typed is still in the form
    assert not CaseNote.objects.exists()


def test_a_task_title_with_an_escape_is_refused(client, alice, case):
    client.force_login(alice)
    r = client.post(reverse("cases:task_new", kwargs={"code": case.code}), {"title": "Get \x1b records"})
    assert r.status_code == 400 and "Task: This contains an escape character" in r.content.decode()
    assert not Task.objects.exists()


def test_an_over_long_note_is_refused(client, alice, case):
    client.force_login(alice)
    r = client.post(reverse("cases:note_new", kwargs={"code": case.code}), {"body": "x" * 25_000})
    assert r.status_code == 400 and "Note:" in r.content.decode()


def _identity(case, **overrides):
    return {
        "version": case.version,
        "identity.name": "Alma Quintero Sol",
        "identity.a_number": "208555014",
        "identity.date_of_birth": "1986-04-12",
    } | overrides


@pytest.mark.parametrize(
    "name",
    ["Alma\x00 Sol", "Alma\x0bSol", "A" * 600],
    ids=["nul", "vertical tab", "too long"],
)
def test_a_fact_with_a_control_character_or_too_long_is_refused_with_the_field_named(
    client, alice, case, name
):
    before = Case.objects.get(pk=case.pk)
    client.force_login(alice)
    url = reverse("cases:section", kwargs={"code": case.code, "section": "identity"})
    r = client.post(url, _identity(case, **{"identity.name": name}))
    body = r.content.decode("utf-8", "replace")
    assert r.status_code == 400  # never a 500, on SQLite or PostgreSQL
    assert "identity.name" in body  # the field is named
    assert name[:4] in body  # what was typed is kept in the form
    after = Case.objects.get(pk=case.pk)
    assert (after.version, after.facts) == (before.version, before.facts)


def test_the_persons_pages_say_it_in_their_language():
    from django import forms
    from django.utils import translation

    class Contact(forms.Form):
        name = forms.CharField(max_length=200)

    with translation.override("es"):
        form = Contact({"name": "Ana\x0bLópez"})
        assert not form.is_valid()
        assert form.errors["name"] == ["Quite los caracteres especiales de su respuesta."]
