"""Rate limits for the public pages: so many attempts per address in a window, then a plain page.

A link's token is unguessable (128 random bits), and limiting bad links per address makes
trying tokens pointless as well; form posts and bookings are limited so a script cannot fill
an organisation's calendar or its database.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils.timezone import now

from discretion.web.client.models import ClientAttempt

# scope: (setting with the limit, window)
BAD_LINK = "bad_link"
POST = "post"
BOOKING = "booking"
PASSWORD_RESET = "password_reset"  # reset e-mails asked for from one address


def _rules() -> dict[str, tuple[int, timedelta]]:
    window = timedelta(minutes=settings.CLIENT_RATE_WINDOW_MINUTES)
    return {
        BAD_LINK: (max(3, settings.CLIENT_RATE_LIMIT // 6), window),
        # Generous: people filling in forms behind one clinic's address share it.
        POST: (settings.CLIENT_RATE_LIMIT * 10, window),
        BOOKING: (settings.BOOKING_RATE_LIMIT, timedelta(hours=1)),
        PASSWORD_RESET: (10, timedelta(hours=1)),
    }


def address_of(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def is_limited(request: HttpRequest, scope: str) -> bool:
    """True if this address already used up ``scope`` in its window."""
    limit, window = _rules()[scope]
    since = now() - window
    used = ClientAttempt.objects.filter(scope=scope, address=address_of(request), created__gte=since).count()
    return used >= limit


def count(request: HttpRequest, scope: str) -> None:
    ClientAttempt.objects.create(scope=scope, address=address_of(request))
    if random.random() < 0.02:  # prune now and then, not on every request
        oldest = now() - max(w for _, w in _rules().values()) - timedelta(hours=1)
        ClientAttempt.objects.filter(created__lt=oldest).delete()
