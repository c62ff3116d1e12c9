"""The exhibit list is one Django form per exhibit file (documents.forms.ExhibitListForm)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from test_documents import _pdf_bytes, ready_case  # noqa: F401 - the fixture

from discretion.web.documents.forms import ExhibitListForm
from discretion.web.files.models import StoredFile


def _upload(client, case, name):
    client.post(
        reverse("cases:upload", kwargs={"code": case.code}), {"file": SimpleUploadedFile(name, _pdf_bytes())}
    )
    return StoredFile.objects.get(original_name=name)


def test_each_row_is_tied_to_its_file_not_its_place(client, alice, ready_case):  # noqa: F811
    client.force_login(alice)
    a = _upload(client, ready_case, "a.pdf")
    # Loaded with only a.pdf on the page; b.pdf arrives from a phone before the save.
    b = _upload(client, ready_case, "b.pdf")
    client.post(
        reverse("documents:exhibits", kwargs={"code": ready_case.code}),
        {
            f"position-{a.code}": "3",
            f"description-{a.code}": "  Lease,   signed  ",
            f"position-{b.code}": "1",
        },
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.position, a.description, b.position, b.description) == (3, "Lease, signed", 1, "")


def test_bad_rows_are_named_and_nothing_is_saved(client, alice, ready_case):  # noqa: F811
    client.force_login(alice)
    a = _upload(client, ready_case, "a.pdf")
    url = reverse("documents:exhibits", kwargs={"code": ready_case.code})
    r = client.post(
        url,
        {f"position-{a.code}": "1", f"language-{a.code}": "klingon", f"proves-{a.code}": ["<script>"]},
        follow=True,
    )
    body = r.content.decode()
    assert "Language of a.pdf: choose one from the list" in body
    assert "Proves of a.pdf: choose items from the list" in body
    r = client.post(url, {f"position-{a.code}": "1", f"description-{a.code}": "x" * 301}, follow=True)
    assert "Description of a.pdf: Ensure this value has at most 300 characters" in r.content.decode()
    a.refresh_from_db()
    assert (a.language, a.description, a.proves) == ("en", "", [])


def test_the_form_checks_translations_across_rows(alice, ready_case, client):  # noqa: F811
    client.force_login(alice)
    a, b, t = (_upload(client, ready_case, n) for n in ("a.pdf", "b.pdf", "t.pdf"))
    data = {f"position-{f.code}": str(i) for i, f in enumerate((a, b, t), 1)}
    data |= {f"language-{a.code}": "es", f"language-{b.code}": "es"}
    data |= {f"translation-{a.code}": str(t.code), f"translation-{b.code}": str(t.code)}
    form = ExhibitListForm(data, files=[a, b, t], candidates=[a, b, t])
    assert not form.is_valid()
    assert form.errors == ["Certified translation: one file cannot translate two exhibits"]


def test_an_exhibit_turned_on_the_list_is_turned_in_the_packet(client, alice, ready_case):  # noqa: F811
    from discretion.web.documents.actions import exhibits_for

    client.force_login(alice)
    a = _upload(client, ready_case, "sideways scan.pdf")
    page = client.get(reverse("documents:evidence", kwargs={"code": ready_case.code}))
    assert f'name="rotation-{a.code}"' in page.content.decode()
    url = reverse("documents:exhibits", kwargs={"code": ready_case.code})

    client.post(url, {f"position-{a.code}": "1", f"rotation-{a.code}": "90"})

    a.refresh_from_db()
    assert a.rotation == 90 and exhibits_for(ready_case)[0].turn == 90
    r = client.post(url, {f"position-{a.code}": "1", f"rotation-{a.code}": "45"}, follow=True)
    assert "Turn pages of sideways scan.pdf: choose one from the list" in r.content.decode()
    a.refresh_from_db()
    assert a.rotation == 90
