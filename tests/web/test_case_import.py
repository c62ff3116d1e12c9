from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discretion.web.cases.models import Case

GOOD = (
    "case_id,identity.name,identity.a_number,proceedings.court,proceedings.next_hearing.date,entry.first_entry_on\n"
    "IMP-1,Rosa Imported,208-555-101,Chicago,2027-01-05,2004-01-01\n"
    "IMP-2,Luis Imported,208555102,Newark,,\n"
)


def _post(client, text, name="docket.csv"):
    return client.post(reverse("cases:import"), {"file": SimpleUploadedFile(name, text.encode("utf-8"))})


def test_it_imports_every_row(client, alice, alpha):
    client.force_login(alice)
    r = _post(client, GOOD)
    assert r.status_code == 302
    rosa = Case.objects.get(reference="IMP-1")
    assert (rosa.name, rosa.a_number, rosa.court, str(rosa.next_hearing_on)) == (
        "Rosa Imported",
        "208555101",
        "Chicago",
        "2027-01-05",
    )
    assert rosa.assigned_to == alice and rosa.organisation == alpha
    assert Case.objects.filter(reference__startswith="IMP-").count() == 2


def test_one_bad_cell_imports_nothing_and_names_row_and_column(client, alice):
    client.force_login(alice)
    bad = GOOD + "IMP-3,Bad Date,208555103,Chicago,05/01/2027,\n"
    r = _post(client, bad)
    assert r.status_code == 400
    body = r.content.decode()
    assert "Nothing was imported" in body
    assert "row 4" in body and "proceedings.next_hearing.date" in body
    assert not Case.objects.exists()


def test_unknown_columns_are_named(client, alice):
    client.force_login(alice)
    r = _post(client, "identity.name,identity.favourite_colour\nA,blue\n")
    assert r.status_code == 400
    assert "unknown column(s): identity.favourite_colour" in r.content.decode()


def test_a_file_that_is_not_text_is_refused(client, alice):
    client.force_login(alice)
    r = client.post(reverse("cases:import"), {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x81binary")})
    assert r.status_code == 400
    assert "not UTF-8 text" in r.content.decode()
    r = client.post(reverse("cases:import"), {})
    assert "choose a file to import" in r.content.decode()


def test_read_only_members_cannot_import(client, rita):
    client.force_login(rita)
    assert _post(client, GOOD).status_code == 403
    assert not Case.objects.exists()
