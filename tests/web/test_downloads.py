"""Every download name goes through Django's Content-Disposition helper (issue 9): a crafted case
reference cannot rename a download to .html, and a line break in it is no 500."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.http import parse_header_parameters

from discretion.web.cases.models import Case
from discretion.web.lib.downloads import safe_stem

CRAFTED = [
    'evil.html"; filename="evil.html',
    "line\r\nSet-Cookie: x=1",
    "tab\there\x0bvertical\x00nul",
    "../../etc/passwd",
    "caf\u00e9-\u0645\u0631\u062d\u0628\u0627-" + "x" * 300,
]


def _filename(response) -> str:
    kind, params = parse_header_parameters(response["Content-Disposition"])
    assert kind == "attachment"
    return params["filename"]


@pytest.mark.parametrize("reference", CRAFTED)
@pytest.mark.parametrize(
    ("url", "suffix"),
    [("cases:screening_report", ".md"), ("cases:export", ".json"), ("cases:export_yaml", ".yaml")],
)
def test_a_crafted_reference_keeps_the_download_name_and_type(client, alice, case, reference, url, suffix):
    from django.db import connection

    if connection.vendor == "postgresql":
        # PostgreSQL stores no NUL and no reference over its column's 100 characters, so no
        # download there can carry one: keep what it can store of the crafted value.
        reference = reference.replace("\x00", "")[: Case._meta.get_field("reference").max_length]
    Case.objects.filter(pk=case.pk).update(reference=reference)
    client.force_login(alice)

    r = client.get(reverse(url, kwargs={"code": case.code}))

    assert r.status_code == 200
    name = _filename(r)
    assert name.endswith(suffix)
    assert not any(ch in name for ch in "\r\n\x00\x0b\t/\\")
    assert len(name) <= 120
    header = r["Content-Disposition"]
    assert "\n" not in header and "\r" not in header


def test_safe_stem_keeps_readable_names():
    assert safe_stem("ALPHA-1") == "ALPHA-1"
    assert safe_stem("\x00\x01") == "download"
    assert safe_stem("café") == "café"
