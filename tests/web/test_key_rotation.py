"""Key rotation: a new key on top, `rotate_keys` re-seals every value and file online, then the
old key can go and everything still opens; the case list still finds the case."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from discretion.web.cases.models import Case
from discretion.web.files import blobs, sealing
from discretion.web.files.management.commands.rotate_keys import old_key_counts
from discretion.web.files.models import StoredFile

OLD, NEW, SEARCH = ("old1", b"\x01" * 32), ("new2", b"\x02" * 32), b"\x03" * 32


def test_rotation_reseals_values_and_files_and_the_old_key_can_go(client, settings, alpha, alice):
    settings.ENCRYPTION_KEYS, settings.SEARCH_KEY = [OLD], SEARCH
    from web_builders import make_case

    case = make_case(alpha, by=alice, screen=True, identity={"name": "Rosa Delgado", "a_number": "208555014"})
    client.force_login(alice)
    client.post(
        reverse("cases:upload", kwargs={"code": case.code}),
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 hello")},
    )
    f = StoredFile.objects.get()
    assert set(old_key_counts()) == {"old1"}

    settings.ENCRYPTION_KEYS = [NEW, OLD]  # every host has the new key first, the old to read
    assert client.get(reverse("download", kwargs={"code": f.code})).status_code == 200
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "Nothing is left under an older key." in out.getvalue()
    assert set(old_key_counts()) == {"new2"}
    f.refresh_from_db()
    with blobs.storage().open(f.path, "rb") as raw:
        assert raw.read(sealing.HEADER_SIZE).startswith(sealing.MAGIC + b"new2")

    settings.ENCRYPTION_KEYS = [NEW]  # the old key is gone
    case = Case.objects.get(pk=case.pk)
    assert case.name == "Rosa Delgado" and case.to_facts().identity.a_number == "208555014"
    r = client.get(reverse("download", kwargs={"code": f.code}))
    assert b"".join(r.streaming_content) == b"%PDF-1.4 hello"
    page = client.get(reverse("cases:list"), {"q": "delg"})
    assert [c.name for c in page.context["cases"]] == ["Rosa Delgado"]
    assert [c.pk for c in Case.objects.with_a_number("208-555-014")] == [case.pk]


def test_a_value_sealed_with_a_key_that_is_gone_names_the_key(settings, alpha, alice):
    settings.ENCRYPTION_KEYS, settings.SEARCH_KEY = [OLD], SEARCH
    from web_builders import make_case

    case = make_case(alpha, by=alice)
    settings.ENCRYPTION_KEYS = [NEW]
    try:
        Case.objects.get(pk=case.pk)
    except sealing.SealError as exc:
        assert "encryption key 'old1', which is not configured" in str(exc)
    else:
        raise AssertionError("opened a value without its key")
