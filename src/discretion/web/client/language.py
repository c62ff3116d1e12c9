"""The language of a page the person sees, and the picker every such page shows.

Chosen in this order: a ``?lang=`` the person just picked, what they picked before (a cookie,
or the language kept on their invitation), then their browser's languages. Practitioner pages
are never translated; a client view renders inside ``translation.override`` so the choice
never leaks into another request served by the same thread.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

CODES = [code for code, _ in settings.LANGUAGES]
DEFAULT = "en"


def supported(code: str | None) -> str | None:
    code = (code or "").strip().lower()[:8]
    return code if code in CODES else None


def from_browser(request: HttpRequest) -> str:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for part in header.split(","):
        tag = part.split(";", 1)[0].strip().lower()
        code = supported(tag.split("-", 1)[0])
        if code:
            return code
    return DEFAULT


def choose(request: HttpRequest, stored: str | None = None) -> str:
    return (
        supported(request.GET.get("lang"))
        or supported(request.POST.get("lang") if request.method == "POST" else None)
        or supported(stored)
        or supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        or from_browser(request)
    )


def picker(request: HttpRequest, current: str) -> list[dict[str, str | bool]]:
    """Links to this page in every language, each named in its own language."""
    out: list[dict[str, str | bool]] = []
    for code, name in settings.LANGUAGES:
        query = {k: v for k, v in request.GET.items() if k != "lang"} | {"lang": code}
        out.append(
            {
                "code": code,
                "name": name,
                "url": f"{request.path}?{urlencode(query)}",
                "current": code == current,
            }
        )
    return out


def client_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render ``view`` in the person's language; remember a language they picked.

    The view may set ``request.client_language`` before rendering (e.g. the language kept on
    an invitation); ``request.client_language_stored`` is read when choosing.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        lang = choose(request)
        request.client_language = lang  # type: ignore[attr-defined]
        with translation.override(lang):
            response = view(request, *args, **kwargs)
            lang = getattr(request, "client_language", lang)
        picked = supported(request.GET.get("lang")) or supported(request.POST.get("lang"))
        if picked:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                picked,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax" (settings.py)
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        response.headers.setdefault("Content-Language", lang)
        # Nothing a person sees here may be kept by a shared phone's cache or a proxy.
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapped
