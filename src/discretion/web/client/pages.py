"""Render a page the person sees: the client base template, the language picker, plain pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from discretion.web.client import throttle
from discretion.web.client.language import picker


def render_client(
    request: HttpRequest, template: str, context: dict[str, Any], *, org_name: str, status: int = 200
) -> HttpResponse:
    current = get_language() or "en"
    return render(
        request,
        template,
        {"org_name": org_name, "languages": picker(request, current), **context},
        status=status,
    )


def plain(
    request: HttpRequest,
    heading: str,
    *paragraphs: str,
    org_name: str = "",
    phone: str = "",
    status: int = 200,
) -> HttpResponse:
    """A page that only says something: a revoked or expired link, a closed page, too many tries."""
    return render_client(
        request,
        "client/plain.html",
        {"heading": heading, "paragraphs": paragraphs, "phone": phone},
        org_name=org_name or _("Legal help"),
        status=status,
    )


def too_many(request: HttpRequest) -> HttpResponse:
    response = plain(
        request,
        _("Please wait a few minutes"),
        _("We got many tries from your phone or computer in a short time."),
        _("Wait ten minutes, then try again. Your answers are safe."),
        status=429,
    )
    response["Retry-After"] = "600"
    return response


def limited_post(request: HttpRequest) -> HttpResponse | None:
    """For a POST: count it, and give the plain 429 page when this address sent too many."""
    if request.method != "POST":
        return None
    if throttle.is_limited(request, throttle.POST):
        return too_many(request)
    throttle.count(request, throttle.POST)
    return None


def clock(moment) -> str:
    """A time of day as people write it in the active language (9:00 AM, 09:00)."""
    from django.utils.dateformat import time_format
    from django.utils.translation import pgettext

    return time_format(moment, pgettext("time of day format, Django date syntax", "g:i A"))


def long_day(day, *, year: bool = True, weekday: bool = True) -> str:
    """A day as people write it in the active language (Tuesday, March 2, 2027)."""
    from django.utils.dateformat import format as date_format
    from django.utils.translation import pgettext

    if not weekday:
        return date_format(day, pgettext("date without weekday format, Django date syntax", "F j, Y"))
    if year:
        return date_format(day, pgettext("long date format, Django date syntax", "l, F j, Y"))
    return date_format(day, pgettext("date without year format, Django date syntax", "l, F j"))


def when(moment) -> str:
    """``moment`` (already in the right time zone) as 'Tuesday, March 2, 2027 at 9:00 AM'."""
    return _("%(day)s at %(time)s") % {"day": long_day(moment.date()), "time": clock(moment.time())}


CLIENT_PATHS = ("/book/", "/booked/", "/intake/", "/i/")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired form on a person's page gets a plain page in their language; others Django's."""
    if not request.path.startswith(CLIENT_PATHS):
        from django.views.csrf import csrf_failure as default

        return default(request, reason=reason)
    from django.utils import translation

    from discretion.web.client.language import choose

    with translation.override(choose(request)):
        response = plain(
            request,
            _("Please try again"),
            _("This page was open for a long time, so it expired."),
            _("Go back, reload the page and send it again."),
            status=403,
        )
    response.headers["Cache-Control"] = "private, no-store"
    return response
