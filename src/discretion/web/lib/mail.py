"""Send one plain-text message through Django's configured e-mail backend, in a language.

The subject and body are templates rendered with the person's language active, so a message
is translated by the same catalog as the page that sent it. A failure to send (SMTP down,
refused address) is logged and reported as ``False``: the caller tells the user and nothing
already saved is lost.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mimetype: str


def send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str = "en",
    attachments: Iterable[Attachment] = (),
    reply_to: str = "",
) -> bool:
    """Render ``template``_subject.txt and ``template``.txt in ``language`` and send them to ``to``."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    for a in attachments:
        message.attach(a.name, a.content, a.mimetype)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("mail to %s could not be sent: %s", _masked(to), exc)
        return False
    return True


def _masked(address: str) -> str:
    """Enough of an address for a log line, not the address itself."""
    name, _, domain = address.partition("@")
    return f"{name[:1]}***@{domain}" if domain else "***"
