"""Letter sections told from the record: procedural history, the criminal and immigration
record, and the relief posture.

These sentences state facts from the case file (dates, charges, dispositions, filings), never
law, as of the letter's date: an event dated after it is left out. The practitioner's own
paragraph for each section follows, verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from discretion.facts import CaseFacts
from discretion.letters.model import Paragraph, Section, long_date
from discretion.letters.wording import Wording

DISPOSITIONS = {
    "convicted": "convicted",
    "pending": "charge pending",
    "dismissed": "charge dismissed",
    "acquitted": "acquitted",
    "vacated": "conviction vacated",
    "expunged": "record expunged",
    "deferred": "deferred adjudication",
    "no_charge": "arrested, never charged",
}


def procedural_history(facts: CaseFacts, words: Wording, court: str | None, on: date) -> Section:
    p = facts.proceedings
    paragraphs = []
    nta = ""
    served = p.nta_served_on if p.nta_served_on and p.nta_served_on <= on else None
    filed = p.nta_filed_on if p.nta_filed_on and p.nta_filed_on <= on else None
    if served:
        nta = f"The Department of Homeland Security (DHS) served the Respondent with a Notice to Appear on {long_date(served)}"
        if filed:
            nta += f" and filed it with the Immigration Court on {long_date(filed)}"
    elif filed:
        nta = f"The Department of Homeland Security (DHS) filed a Notice to Appear with the Immigration Court on {long_date(filed)}"
    if nta:
        if p.charges:
            nta += f", charging the Respondent as removable under {_and(p.charges)}"
        paragraphs.append(Paragraph(nta + "."))
    where = []
    if court:
        full = court if "court" in court.lower() else f"{court} Immigration Court"
        judge = f"Immigration Judge {p.judge} at the" if p.judge else "the"
        where.append(f"The case is pending before {judge} {full}")
    # The next hearing is in the Re block and tied to the request in its opening paragraphs.
    if where:
        sentence = "; ".join(where)
        paragraphs.append(Paragraph(sentence[0].upper() + sentence[1:] + "."))
    if p.detained and p.detention_facility:
        paragraphs.append(Paragraph(f"The Respondent is detained at {p.detention_facility}."))
    if p.administratively_closed:
        paragraphs.append(Paragraph("The case is currently administratively closed."))
    if p.prior_pd_requests == []:
        paragraphs.append(Paragraph(words.request.no_prior_requests))
    for prior in p.prior_pd_requests or ():
        if prior.sent_on and prior.sent_on > on:
            continue
        what = words.actions[prior.requested].title.lower() if prior.requested else "prosecutorial discretion"
        when = f", sent on {long_date(prior.sent_on)}," if prior.sent_on else ""
        outcome = words.prior_outcomes.get(prior.outcome or "", "")
        text = (
            f"A prior request for {what}{when} {outcome}".rstrip(", ")
            if outcome
            else f"A prior request for {what}{when.rstrip(',')} was made"
        )
        paragraphs.append(Paragraph(text + "."))
    if facts.narrative.procedural_history:
        paragraphs.append(
            Paragraph(facts.narrative.procedural_history.strip(), source="narrative.procedural_history")
        )
    return Section("procedural_history", words.headings.procedural_history, tuple(paragraphs))


def _term(days: int) -> str:
    """A custodial term as a court would pronounce it. The case file holds days; a term of whole
    years (365 days each, as the file's days were counted) reads as years, anything else stays in
    days, so nothing is rounded into a term the court did not impose."""
    if days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years > 1 else ''}"
    return f"{days:,} day{'s' if days > 1 else ''}"


def event_text(e: Mapping[str, Any]) -> str:
    """One criminal-history entry, from :func:`discretion.letters.particulars.event_values`."""
    when = e["on"]
    text = f"{long_date(when)}: " if when else ""
    text += e["offense"]
    if e["statute"]:
        text += f" ({e['statute']})"
    if e["jurisdiction"]:
        text += f", {e['jurisdiction']}"
    outcome = DISPOSITIONS.get(e["disposition"] or "", "")
    if e["disposition"] == "convicted" and e["convicted_on"]:
        outcome += f" on {long_date(e['convicted_on'])}"
    if e["level"]:
        level = e["level"]
        outcome += f" ({_article(level)} {level})" if outcome else f"{_article(level)} {level}"
    parts = [outcome] if outcome else []
    if e["sentence_days"] == 0:
        parts.append("no custodial sentence")
    elif e["sentence_days"]:
        parts.append(f"sentenced to {_term(e['sentence_days'])}" + (" (suspended)" if e["suspended"] else ""))
    if e["completed"]:
        parts.append("sentence completed")
    if parts:
        text += " — " + "; ".join(parts)
    text += "."
    if e["rehabilitation"]:
        rehab = e["rehabilitation"].rstrip()
        text += f" {rehab}" + ("" if rehab.endswith((".", "!", "?")) else ".")
    return text


def immigration_record(facts: CaseFacts, on: date) -> list[Paragraph]:
    """The immigration history a letter must address candidly, as of ``on``."""
    history = facts.immigration_history
    out = []
    for removal in history.prior_removals or ():
        if removal.removed_on and removal.removed_on > on:
            continue
        when = f" on {long_date(removal.removed_on)}" if removal.removed_on else ""
        kind = removal.kind.replace("_", " ")
        out.append(Paragraph(f"The Respondent was subject to {_article(kind)} {kind}{when}."))
    if history.missed_hearings:
        n = history.missed_hearings
        out.append(Paragraph(f"The Respondent missed {n} immigration hearing{'s' if n > 1 else ''}."))
    if history.final_order and not (history.final_order_on and history.final_order_on > on):
        when = f" on {long_date(history.final_order_on)}" if history.final_order_on else ""
        absentia = " in absentia" if history.final_order_in_absentia else ""
        out.append(Paragraph(f"An order of removal was entered{absentia}{when}."))
    return out


def relief_posture(facts: CaseFacts, words: Wording, on: date, check: Callable[..., None]) -> Section | None:
    paragraphs: list[Paragraph] = []
    # One Form I-589 often carries asylum, withholding and CAT claims: say so in one sentence.
    groups: dict[tuple[object, ...], list[str]] = {}
    forms: dict[tuple[object, ...], tuple[str | None, bool]] = {}
    for app in facts.proceedings.pending_applications or ():
        if app.filed_on and app.filed_on > on:
            continue
        entry = words.applications.get(app.kind.value) or words.applications["other"]
        key: tuple[object, ...] = (
            entry.form or id(app),
            app.forum,
            app.filed_on,
            app.receipt_number,
            app.approved,
        )
        groups.setdefault(key, []).append(entry.label)
        forms[key] = (entry.form, entry.confirmed)
    for key, labels in groups.items():
        _, forum_, filed_on, receipt_number, approved = key
        form, confirmed = forms[key]
        forum = {"court": " with the Immigration Court", "uscis": " with USCIS"}.get(str(forum_ or ""), "")
        when = f" on {long_date(filed_on)}" if isinstance(filed_on, date) else ""
        receipt = f" (receipt number {receipt_number})" if receipt_number else ""
        state = "; it was approved" if approved else ""
        what = _joined_labels(labels) + (f" (Form {form})" if form else "")
        anchor = f"relief_posture.{len(paragraphs)}"
        paragraphs.append(
            Paragraph(
                f"The Respondent filed {_article(what)} {what}{forum}{when}{receipt}{state}.", anchor=anchor
            )
        )
        if form and not confirmed:
            check(
                "forms",
                f"Form {form} ({_joined_labels(labels)}): the domain digest does not confirm this form number; "
                "check it against the filing.",
                anchor,
            )
    if facts.narrative.relief_posture:
        paragraphs.append(
            Paragraph(facts.narrative.relief_posture.strip(), source="narrative.relief_posture")
        )
    return Section("relief_posture", words.headings.relief_posture, tuple(paragraphs)) if paragraphs else None


def _joined_labels(labels: Sequence[str]) -> str:
    """ "application for asylum" + "application for withholding of removal" -> one application for both."""
    prefix = "application for "
    if len(labels) > 1 and all(label.startswith(prefix) for label in labels):
        return prefix + _and([label[len(prefix) :] for label in labels])
    return _and(list(labels))


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
