"""The transmittal e-mail that carries a request letter to the OPLA mailbox or eService.

OCC guidance says an e-mail with only an attachment may be treated as not served, so the body
repeats the identifying block; the subject is the A-number and the type of document (Chicago
OCC, 2013). Which fields the body gives, and the subject, are the field location's convention,
kept as data in ``data/offices.yaml`` (``transmittal``); the words are in ``letter-en.yaml``.
Nothing unverified is used as the recipient: without a verified channel the e-mail has no To:
line, and the review sheet says what to confirm. Nothing from the risk screen or counsel's
advice is in it.

Written as an RFC 5322 message (``.eml``) marked as unsent, with the letter attached, so a mail
client opens it as a draft ready to address and send.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from discretion import prose
from discretion.facts import CaseFacts, Representative
from discretion.letters.wording import Wording
from discretion.offices import OfficeMatch

# What the body may list, by the names data/offices.yaml uses.
FIELDS = (
    "respondent",
    "a_number",
    "custody",
    "court",
    "judge",
    "next_hearing",
    "status",
    "request",
    "representative",
    "forms",
)


@dataclass(frozen=True)
class Transmittal:
    to: str | None  # None: no verified channel; the practitioner adds it
    subject: str
    body: str
    attachment: str  # the file name the letter is attached under

    def message(self, pdf: bytes | None, *, sender: str | None, on: Any) -> bytes:
        """The e-mail as .eml bytes, unsent, with the letter PDF attached when given."""
        msg = EmailMessage(policy=SMTP)
        if sender:
            msg["From"] = sender
        if self.to and "@" in self.to:
            msg["To"] = self.to
        msg["Subject"] = self.subject
        msg["Date"] = format_datetime(datetime.combine(on, time(12), tzinfo=UTC))
        msg["X-Unsent"] = "1"  # Outlook and others open it as a draft to send
        msg.set_content(self.body)
        if pdf is not None:
            msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=self.attachment)
        return msg.as_bytes()


def build_transmittal(
    facts: CaseFacts,
    rep: Representative,
    words: Wording,
    office: OfficeMatch | None,
    *,
    fields: Mapping[str, object],
    action_title: str,
    attachment: str,
    send_to: str | None,
    check: Callable[..., None],
) -> Transmittal:
    """The e-mail for one letter. ``fields`` are the letter's Re-block values by field name."""
    w = words.transmittal
    convention = office.transmittal if office else None
    a_number = facts.identity.a_number or ""
    dashed = f"{a_number[:3]}-{a_number[3:6]}-{a_number[6:]}" if a_number else ""
    if convention is not None:
        subject = prose.render(convention.subject, {"a_number": dashed, "document": action_title})
        body_fields: Sequence[str] = convention.body
        if convention.confidence.is_unsure:
            check(
                "channel",
                f"The e-mail subject and body follow a historic OCC convention ({convention.source}, "
                f"{convention.confidence.value}): check what {office.name if office else 'the office'} asks for now.",
                "transmittal",
            )
    else:
        subject = f"A{dashed} - Request for Prosecutorial Discretion"
        body_fields = FIELDS
        check(
            "channel",
            f"{office.name if office else 'The field location'} has its own subject-line rules, not captured: "
            "ask the office and change the e-mail subject before sending.",
            "transmittal",
        )
    to = send_to or (office.email if office else None)
    if not to:
        check(
            "channel",
            "The transmittal e-mail has no recipient: add the verified PD mailbox before sending.",
            "transmittal",
        )
    rep_line = ", ".join(x for x in (rep.name, rep.organisation, rep.address, rep.phone, rep.email) if x)
    values: dict[str, object] = {
        **fields,
        "status": prose.render(
            w.status,
            {
                "closed": bool(facts.proceedings.administratively_closed),
                "applications": fields.get("applications") or [],
            },
        ),
        "request": prose.render(w.request, {"action": action_title}),
        "representative": rep_line if rep.kind != "pro_se" else None,
    }
    lines = [
        prose.render(w.greeting, {"attorney": facts.proceedings.opla_attorney}),
        "",
        prose.render(w.opening, {"action": action_title, "attachment": attachment}),
        "",
    ]
    for name in body_fields:
        value = values.get(name)
        if value:
            lines.append(f"{w.labels.get(name, name)}: {value}")
    lines += [
        "",
        prose.render(w.closing, {"phone": rep.phone or ""}),
        "",
        w.signoff,
        rep.name or facts.identity.name or "",
    ]
    if rep.kind != "pro_se":
        lines += [x for x in (rep.organisation, rep.phone, rep.email) if x]
    return Transmittal(to=to, subject=subject, body="\n".join(lines) + "\n", attachment=attachment)
