"""The daily e-mail of what is due, one per person: overdue, today and the coming week.

Sent by the task worker (tracking/tasks.py, scheduled by tracking/schedule.py) through Django's
e-mail backends. A person gets it when they are active, have an e-mail address, have not switched
it off (What is due page), and something is due; it names clients but never gives A-numbers,
like the calendar feed, since e-mail is read on phones and forwarded.

Exactly once per person and day, however many workers run it at once: each send first claims
the person's ``DigestDelivery`` row for the day (unique on person and day). A send that failed
is retried by the next run that day. A worker that dies between claiming and sending leaves the
claim, so that person misses that day's e-mail rather than getting it twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.timezone import now

from discretion.web.tracking import defaults
from discretion.web.tracking.followups import Due, due_between, work_of
from discretion.web.tracking.models import DeliveryStatus, DigestDelivery, DigestPreference

log = logging.getLogger(__name__)
AHEAD = timedelta(days=7)


@dataclass
class Digest:
    on: date
    overdue: list[Due]
    today: list[Due]
    ahead: list[Due]

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.ahead)


@dataclass
class DigestRun:
    on: date
    sent: list[str] = field(default_factory=list)  # usernames
    already: list[str] = field(default_factory=list)  # another run had it
    failed: list[str] = field(default_factory=list)
    nothing_due: int = 0

    def __str__(self) -> str:
        return (
            f"digest for {self.on}: {len(self.sent)} sent, {len(self.already)} already sent, "
            f"{len(self.failed)} failed, {self.nothing_due} with nothing due"
        )


def recipients():
    """Active members with an e-mail address who have not switched the digest off."""
    off = DigestPreference.objects.filter(daily=False).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__isnull=False)
        .exclude(email="")
        .exclude(pk__in=off)
        .select_related("membership__organisation")
        .order_by("pk")
    )


def digest_for(user, on: date) -> Digest:
    cases, tasks = work_of(user.membership.organisation, user)
    items = due_between(cases, None, on + AHEAD, today=on, tasks=tasks)
    return Digest(
        on=on,
        # Every item here has a date: due_between leaves out tasks without one.
        overdue=[d for d in items if d.on is not None and d.on < on],
        today=[d for d in items if d.on == on],
        ahead=[d for d in items if d.on is not None and d.on > on],
    )


def message_for(user, digest: Digest) -> EmailMultiAlternatives:
    site = settings.SITE_URL.rstrip("/")
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "digest": digest,
        "site": site,
        "due_url": site + reverse("tracking:due"),
        "defaults_label": defaults.LABEL,
    }
    parts = []
    if digest.overdue:
        parts.append(f"{len(digest.overdue)} overdue")
    if digest.today:
        parts.append(f"{len(digest.today)} due today")
    if digest.ahead:
        parts.append(f"{len(digest.ahead)} this week")
    subject = f"What is due, {digest.on:%a %b} {digest.on.day}: " + ", ".join(parts)
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("tracking/digest_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("tracking/digest_email.html", context), "text/html")
    return message


def _claim(user, on: date) -> DigestDelivery | None:
    """This run's right to send ``user`` the digest for ``on``; None if another run has it."""
    try:
        with transaction.atomic():
            return DigestDelivery.objects.create(user=user, on=on)
    except IntegrityError:
        pass
    # A failed send earlier today may be retried, by one run only.
    retried = DigestDelivery.objects.filter(user=user, on=on, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.SENDING, error=""
    )
    return DigestDelivery.objects.get(user=user, on=on) if retried else None


def send_digests(on: date) -> DigestRun:
    """Send every recipient their digest for ``on`` (once: see the module docstring)."""
    run = DigestRun(on=on)
    for user in recipients():
        digest = digest_for(user, on)
        if not digest.count:
            run.nothing_due += 1
            continue
        delivery = _claim(user, on)
        if delivery is None:
            run.already.append(user.get_username())
            continue
        try:
            message_for(user, digest).send()  # through the default mailer (settings)
        except Exception as exc:  # noqa: BLE001 - one bad address or a mail outage must not stop the rest
            log.warning("digest for %s not sent: %s", user.get_username(), exc)
            DigestDelivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:300]
            )
            run.failed.append(user.get_username())
            continue
        DigestDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent=now(), items=digest.count
        )
        run.sent.append(user.get_username())
    return run
