"""Download names: every Content-Disposition goes through Django's own helper.

``content_disposition_header`` quotes and escapes the name (and gives non-ASCII names as RFC 5987
``filename*``), so a crafted case reference can neither close the quoted name early (and rename
the download to ``.html``) nor break the header with a line break (a 500). Before that, control
characters and path separators are dropped and the stem is cut, so the name always ends with the
suffix the view chose.
"""

from __future__ import annotations

import unicodedata

from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

STEM_LIMIT = 80


def safe_stem(stem: str) -> str:
    kept = "".join(
        "-" if ch in '/\\"' else ch for ch in stem if not unicodedata.category(ch).startswith("C")
    ).strip(" .")
    return kept[:STEM_LIMIT] or "download"


def attach(response: HttpResponseBase, stem: str, suffix: str) -> HttpResponseBase:
    """Mark ``response`` as a download named ``stem`` + ``suffix`` (e.g. ".md")."""
    response["Content-Disposition"] = content_disposition_header(True, safe_stem(stem) + suffix)
    return response
