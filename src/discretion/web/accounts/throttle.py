"""A small login throttle kept in the database.

Why not django-axes: it is a large dependency for one rule, and a cache-based throttle would not
be shared between the web server and other processes without Redis. Failed logins are rows;
more than LOGIN_FAILURE_LIMIT for one username (or LOGIN_FAILURE_IP_LIMIT for one address)
within the window locks further attempts until the window passes. A success clears the
username's failures.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils.timezone import now

from discretion.web.accounts.models import LoginFailure


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _since():
    return now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def is_locked(request: HttpRequest, username: str) -> bool:
    since = _since()
    key = username.strip().lower()
    if LoginFailure.objects.filter(username=key, created__gte=since).count() >= settings.LOGIN_FAILURE_LIMIT:
        return True
    address = _address(request)
    return bool(
        address
        and LoginFailure.objects.filter(address=address, created__gte=since).count()
        >= settings.LOGIN_FAILURE_IP_LIMIT
    )


def record_failure(request: HttpRequest, username: str) -> None:
    LoginFailure.objects.create(username=username.strip().lower()[:150], address=_address(request))
    # Old rows are no longer needed for any decision.
    LoginFailure.objects.filter(created__lt=now() - timedelta(days=1)).delete()


def clear(username: str) -> None:
    LoginFailure.objects.filter(username=username.strip().lower()).delete()
