"""Letter sections told from the facts: procedural history, negative factors, relief posture.

These sentences state facts from the case file (dates, charges, dispositions, filings), never
law; where the file is silent on something a letter must address (criminal history), the
paragraph says so with a verify mark instead of guessing. The practitioner's own paragraph for
each section follows, verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from discretion.facts import CaseFacts, CriminalEvent, Disposition
from discretion.letters.model import VERIFY, Paragraph, Section, long_date
from discretion.letters.references import ExhibitRefs, factor_text
from discretion.letters.wording import Wording
from discretion.rules import Finding

FORM = re.compile(r"\(Form [^)]+\)$")
# Printed inside "(Form ...)" where the digest does not confirm the number (letter-en.yaml).
FORM_MARK = "[verify form number]"

DISPOSITIONS = {
    Disposition.CONVICTED: "convicted",
    Disposition.PENDING: "charge pending",
    Disposition.DISMISSED: "charge dismissed",
    Disposition.ACQUITTED: "acquitted",
    Disposition.VACATED: "conviction vacated",
    Disposition.EXPUNGED: "record expunged",
    Disposition.DEFERRED: "deferred adjudication",
    Disposition.NO_CHARGE: "arrested, never charged",
}


def procedural_history(facts: CaseFacts, words: Wording, court: str | None) -> Section:
    p = facts.proceedings
    paragraphs = []
    nta = ""
    if p.nta_served_on:
        nta = f"The Department of Homeland Security (DHS) served the Respondent with a Notice to Appear on {long_date(p.nta_served_on)}"
        if p.nta_filed_on:
            nta += f" and filed it with the Immigration Court on {long_date(p.nta_filed_on)}"
    elif p.nta_filed_on:
        nta = f"The Department of Homeland Security (DHS) filed a Notice to Appear with the Immigration Court on {long_date(p.nta_filed_on)}"
    if nta:
        if p.charges:
            nta += f", charging the Respondent as removable under {_and(p.charges)}"
        paragraphs.append(Paragraph(nta + "."))
    where = []
    if court:
        full = court if court.lower().endswith("court") else f"{court} Immigration Court"
        judge = f"Immigration Judge {p.judge} at the" if p.judge else "the"
        where.append(f"The case is pending before {judge} {full}")
    if p.next_hearing:
        h = p.next_hearing
        kind = words.hearing_kinds.get(h.kind.value, "hearing")
        at = f" at {h.time}" if h.time else ""
        where.append(f"the next hearing is a {kind} on {long_date(h.date)}{at}")
    if where:
        sentence = "; ".join(where)
        paragraphs.append(Paragraph(sentence[0].upper() + sentence[1:] + "."))
    if p.detained and p.detention_facility:
        paragraphs.append(Paragraph(f"The Respondent is detained at {p.detention_facility}."))
    if p.administratively_closed:
        paragraphs.append(Paragraph("The case is currently administratively closed."))
    if p.prior_pd_requests == []:
        paragraphs.append(Paragraph("The Respondent has not previously requested prosecutorial discretion."))
    for prior in p.prior_pd_requests or ():
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
    return Section("procedural_history", "Procedural History", tuple(paragraphs))


def negative_factors(
    facts: CaseFacts, findings: Sequence[Finding], refs: ExhibitRefs, warnings: list[str]
) -> Section:
    """Candid treatment: every met aggravating or priority finding, the criminal record, the immigration record."""
    paragraphs = [
        Paragraph(factor_text(f, refs.tabs(f.id)), source=f"rule:{f.id}", exhibits=refs.tabs(f.id))
        for f in findings
    ]
    crimes = facts.criminal_history
    if crimes is None:
        paragraphs.append(
            Paragraph(f"{VERIFY[:-1]}: the case file does not record the Respondent's criminal history.]")
        )
        warnings.append("criminal_history is not recorded: the letter must address it before sending")
    elif not crimes:
        paragraphs.append(
            Paragraph(
                "The Respondent has never been arrested for, charged with, or convicted of any offense."
            )
        )
    else:
        lead = "In candor, the Respondent's complete criminal history is as follows:"
        paragraphs.append(
            Paragraph(lead if len(crimes) > 1 else lead.replace("is as follows:", "consists of one matter:"))
        )
        paragraphs += [Paragraph(_event(e), "item") for e in sorted(crimes, key=_when)]
    history = facts.immigration_history
    for removal in history.prior_removals or ():
        when = f" on {long_date(removal.removed_on)}" if removal.removed_on else ""
        kind = removal.kind.replace("_", " ")
        paragraphs.append(Paragraph(f"The Respondent was subject to {_article(kind)} {kind}{when}."))
    if history.missed_hearings:
        n = history.missed_hearings
        paragraphs.append(Paragraph(f"The Respondent missed {n} immigration hearing{'s' if n > 1 else ''}."))
    if history.final_order:
        when = f" on {long_date(history.final_order_on)}" if history.final_order_on else ""
        absentia = " in absentia" if history.final_order_in_absentia else ""
        paragraphs.append(Paragraph(f"An order of removal was entered{absentia}{when}."))
    if facts.narrative.negative_factors:
        paragraphs.append(
            Paragraph(facts.narrative.negative_factors.strip(), source="narrative.negative_factors")
        )
    return Section("negative_factors", "Negative Factors", tuple(paragraphs))


def relief_posture(facts: CaseFacts, words: Wording) -> Section | None:
    paragraphs = []
    # One Form I-589 often carries asylum, withholding and CAT claims: say so in one sentence.
    groups: dict[tuple[object, ...], list[str]] = {}
    for app in facts.proceedings.pending_applications or ():
        label = words.applications.get(app.kind.value, "application")
        form = FORM.search(label)
        key = (form.group(0) if form else id(app), app.forum, app.filed_on, app.receipt_number, app.approved)
        groups.setdefault(key, []).append(FORM.sub("", label).strip())
    for (form_name, forum_, filed_on, receipt_number, approved), labels in groups.items():
        forum = {"court": " with the Immigration Court", "uscis": " with USCIS"}.get(str(forum_ or ""), "")
        when = f" on {long_date(filed_on)}" if isinstance(filed_on, date) else ""
        receipt = f" (receipt number {receipt_number})" if receipt_number else ""
        state = "; it was approved" if approved else ""
        what = _joined_labels(labels) + (f" {form_name}" if isinstance(form_name, str) else "")
        paragraphs.append(
            Paragraph(f"The Respondent filed {_article(what)} {what}{forum}{when}{receipt}{state}.")
        )
    if facts.narrative.relief_posture:
        paragraphs.append(
            Paragraph(facts.narrative.relief_posture.strip(), source="narrative.relief_posture")
        )
    return Section("relief_posture", "Relief Posture", tuple(paragraphs)) if paragraphs else None


def _joined_labels(labels: list[str]) -> str:
    """ "application for asylum" + "application for withholding of removal" -> one application for both."""
    prefix = "application for "
    if len(labels) > 1 and all(label.startswith(prefix) for label in labels):
        return prefix + _and([label[len(prefix) :] for label in labels])
    return _and(labels)


def _event(e: CriminalEvent) -> str:
    when = e.offence_on or e.arrested_on
    text = f"{long_date(when)}: " if when else ""
    text += e.offence
    if e.statute:
        text += f" ({e.statute})"
    if e.jurisdiction:
        text += f", {e.jurisdiction}"
    outcome = DISPOSITIONS.get(e.disposition, "") if e.disposition else ""
    if e.disposition is Disposition.CONVICTED and e.convicted_on:
        outcome += f" on {long_date(e.convicted_on)}"
    if e.level:
        outcome += (
            f" ({_article(e.level.value)} {e.level.value})"
            if outcome
            else f"{_article(e.level.value)} {e.level.value}"
        )
    parts = [outcome] if outcome else []
    if e.sentence_days == 0:
        parts.append("no custodial sentence")
    elif e.sentence_days:
        days = f"{e.sentence_days:,} day{'s' if e.sentence_days > 1 else ''}"
        parts.append(f"sentenced to {days}" + (" (suspended)" if e.sentence_suspended else ""))
    if e.completed_sentence:
        parts.append("sentence completed")
    if parts:
        text += " — " + "; ".join(parts)
    text += "."
    if e.rehabilitation:
        text += f" {e.rehabilitation.strip()}"
    return text


def _when(e: CriminalEvent) -> date:
    # Oldest first, as a criminal history is read; undated events go last.
    return e.offence_on or e.arrested_on or e.convicted_on or date.max


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
