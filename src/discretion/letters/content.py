"""Build a request letter's content once, from facts, a screening and the policy in force.

``build_letter`` is pure: the same facts, screening, policy, date, exhibits and office give the
same :class:`~discretion.letters.model.Letter`. The arguments come from data — the policy's
``not_priority_argument`` and each met rule's ``letter`` sentence, the dated vehicle in
``data/letter-en.yaml`` — so a policy change changes the letter without code. The
practitioner's narrative paragraphs are inserted verbatim where they belong. Anything unsure
(an unverified addressee, a vacated vehicle, an unconfirmed factor) is printed with a mark.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from importlib.metadata import PackageNotFoundError, version

from discretion.errors import DocumentError
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts, RequestedAction
from discretion.letters import history
from discretion.letters.model import (
    VERIFY,
    ExhibitRow,
    Field,
    Letter,
    Paragraph,
    Provenance,
    Section,
    Signature,
    fill_in,
    long_date,
)
from discretion.letters.references import ExhibitRefs, factor_text
from discretion.letters.wording import ActionWording, Wording, wording
from discretion.offices import OfficeMatch, office_for_court
from discretion.policies import Policy
from discretion.predicates import Outcome
from discretion.rules import Finding, Kind
from discretion.screening import Screening, facts_digest

ROLES = {
    "attorney": "Attorney for the Respondent",
    "accredited_representative": "Accredited Representative for the Respondent",
    "law_student": "Law Student Representative for the Respondent",
    "pro_se": "Respondent, pro se",
}


def generator() -> str:
    try:
        return f"discretion {version('discretion')}"
    except PackageNotFoundError:  # running from a source tree without an install
        return "discretion (unreleased)"


def format_a_number(a_number: str | None) -> str:
    if not a_number:
        return VERIFY
    return f"{a_number[:3]}-{a_number[3:6]}-{a_number[6:]}"


def build_letter(
    facts: CaseFacts,
    screening: Screening,
    policy: Policy,
    *,
    on: date,
    exhibits: Sequence[Exhibit] = (),
    office: OfficeMatch | None = None,
) -> Letter:
    """The complete letter for ``facts`` under ``policy`` as of ``on``.

    ``office`` is an ``OfficeMatch`` from :mod:`discretion.offices`; when None it is looked up
    from the court, and when nothing is found the addressee carries the verify mark.
    Raises DocumentError (one line, naming the field) when the letter cannot be written.
    """
    if screening.policy_id != policy.id:
        raise DocumentError(
            f"the screening was made under policy {screening.policy_id!r}, not {policy.id!r}; screen again"
        )
    if screening.policy_sha256 != policy.sha256:
        raise DocumentError(
            f"the screening was made with another version of policy {policy.id!r} (its data changed); screen again"
        )
    screening = _with_letter_sentences(screening, policy)
    if facts.requested_action is None:
        raise DocumentError("case file: requested_action: not set; the letter needs to know what to ask for")
    words = wording()
    action = words.actions[facts.requested_action]
    warnings: list[str] = []
    ident = facts.identity
    name = ident.name or fill_in("the Respondent's full name")
    if not ident.name:
        warnings.append("identity.name is missing: the letter prints a placeholder")
    support = _checklist_support(facts, screening)
    refs = ExhibitRefs(exhibits, support)
    if not exhibits:
        warnings.append("no exhibits given: factor paragraphs cite no exhibits (use --exhibits DIR)")
    digest = facts_digest(facts)
    if digest != screening.facts_digest:
        warnings.append("the screening was made from different facts than this letter's: screen again")
    if not policy.in_force_on(on):
        warnings.append(
            f"policy {policy.id} was not in force on {on.isoformat()}: the argument is historical"
        )
    hearing = facts.proceedings.next_hearing
    if hearing and hearing.date < on:
        warnings.append(
            f"the next hearing recorded ({hearing.date.isoformat()}) is before the letter's date: update it"
        )
    if facts.requested_action is RequestedAction.DISMISSAL:
        warnings.append(
            "dismissal: review expedited-removal and work-permit (EAD) exposure with the client and record "
            "informed consent before sending; the letter's Informed Consent paragraph says this was done"
        )
    if office is None:
        office = _office_for(facts.proceedings.court)
    addressee, via, verified = _addressee(facts, office, warnings)
    short = policy.meta.short_title or policy.title
    court = _court_name(facts, office)

    sections = [
        _request(name, facts, action, on, warnings),
        history.procedural_history(facts, words, court),
        _not_priority(facts, screening, policy, short, warnings),
        _equities(facts, screening, refs, warnings),
        history.negative_factors(facts, _met(screening, Kind.PRIORITY, Kind.AGGRAVATING), refs, warnings),
        _narrative_only("humanitarian", "Humanitarian Considerations", facts.narrative.humanitarian),
        history.relief_posture(facts, words),
        _risk_consent(facts),
        _conclusion(facts, action.ask),
    ]
    if any(history.FORM_MARK in p.text for section in sections if section for p in section.paragraphs):
        warnings.append(
            "a pending application is printed with a form number the domain digest does not confirm: "
            "check the number against the filing, then remove the [verify form number] mark"
        )
    case_id = facts.case_id or (f"A{ident.a_number}" if ident.a_number else "case")
    a_number = format_a_number(ident.a_number)
    return Letter(
        case_id=case_id,
        action=facts.requested_action.value,
        letterhead=_letterhead(facts),
        date=on,
        date_text=long_date(on),
        via=via,
        addressee=addressee,
        addressee_verified=verified,
        subject=f"Request for Prosecutorial Discretion: {action.title}",
        re=_re_block(facts, name, a_number, court, words),
        salutation=f"Dear {facts.proceedings.opla_attorney}:"
        if facts.proceedings.opla_attorney
        else "Dear Chief Counsel:",
        sections=tuple(s for s in sections if s is not None and s.paragraphs),
        signature=_signature(facts, warnings),
        exhibits=tuple(ExhibitRow(e.tab, _exhibit_description(e, warnings), _pages(e)) for e in exhibits),
        enclosures=_enclosures(exhibits),
        footer=f"{name} · A-Number {a_number}",
        provenance=Provenance(
            policy_id=policy.id,
            policy_title=policy.title,
            policy_sha256=policy.sha256,
            as_of=on,
            facts_digest=digest,
            generator=generator(),
            case_id=case_id,
        ),
        warnings=tuple(warnings) + _risk_warnings(screening, facts.requested_action.value),
    )


# --- the integration points, each guarded in one place ---------------------------------------


def _office_for(court: str | None) -> OfficeMatch | None:
    """The OPLA field location for ``court``, or None (the addressee then carries the verify mark)."""
    return office_for_court(court) if court else None


def _checklist_support(facts: CaseFacts, screening: Screening) -> dict[str, set[str]]:
    """Checklist item id -> the rule ids it supports, so an exhibit proving an item cites its rule."""
    try:
        from discretion.evidence import build_checklist
    except ModuleNotFoundError as exc:  # the checklist is optional: exhibits can still name rule ids
        if exc.name != "discretion.evidence":
            raise
        return {}
    support: dict[str, set[str]] = {}
    for item in build_checklist(facts, screening).items:
        support.setdefault(item.id, set()).update(item.rule_ids)
    return support


def _addressee(
    facts: CaseFacts, office: OfficeMatch | None, warnings: list[str]
) -> tuple[tuple[str, ...], str, bool]:
    first = (
        f"{facts.proceedings.opla_attorney}, Assistant Chief Counsel"
        if facts.proceedings.opla_attorney
        else "Chief Counsel"
    )
    if office is None:
        court = facts.proceedings.court
        warnings.append(
            f"no OPLA field location found for court {court!r}: addressee marked to verify"
            if court
            else "proceedings.court is not recorded: addressee marked to verify"
        )
        fallback = (first, "Office of the Chief Counsel", "U.S. Immigration and Customs Enforcement", VERIFY)
        return (
            fallback,
            f"Via e-mail to the field location's prosecutorial discretion mailbox {VERIFY}",
            False,
        )
    warnings.extend(office.warnings)
    lines = [first, *(office.addressee or ("Office of the Principal Legal Advisor", office.name))]
    lines.extend(office.address_lines)
    if not office.verified:
        lines.append(VERIFY)
    email = office.email
    unsure_email = office.unverified_email
    if email:
        via = f"Via e-mail to {email}" + ("" if office.verified else f" {VERIFY}")
    elif unsure_email:
        via = f"Via e-mail to {unsure_email} {VERIFY}"
    else:
        via = f"Via e-mail to the field location's prosecutorial discretion mailbox {VERIFY}"
    return tuple(lines), via, office.verified


def _court_name(facts: CaseFacts, office: OfficeMatch | None) -> str | None:
    """The court's full name from the directory ("New York - Broadway Immigration Court"), else as written."""
    if office is not None and office.court is not None:
        return office.court.name
    return facts.proceedings.court


# --- blocks ----------------------------------------------------------------------------------


def _letterhead(facts: CaseFacts) -> tuple[str, ...]:
    rep = facts.representative
    if rep.kind == "pro_se":
        return (facts.identity.name or fill_in("your name"),)
    top = rep.organisation or rep.name or fill_in("firm or representative")
    contact = " · ".join(x for x in (f"Tel. {rep.phone}" if rep.phone else None, rep.email) if x)
    return tuple(x for x in (top, rep.address, contact) if x)


def _re_block(
    facts: CaseFacts, name: str, a_number: str, court: str | None, words: Wording
) -> tuple[Field, ...]:
    p = facts.proceedings
    hearing = VERIFY
    if p.next_hearing:
        h = p.next_hearing
        hearing = long_date(h.date) + (f", {h.time}" if h.time else "")
        hearing += f" ({words.hearing_kinds.get(h.kind.value, 'hearing')})"
    if p.detained is None:
        custody = VERIFY
    elif p.detained:
        custody = "Detained" + (f", {p.detention_facility}" if p.detention_facility else "")
    else:
        custody = "Not detained"
    return (
        Field("Respondent", name),
        Field("A-Number", a_number),
        Field("Immigration Court", court or VERIFY),
        Field("Immigration Judge", f"Hon. {p.judge}" if p.judge else VERIFY),
        Field("Next Hearing", hearing),
        Field("Custody", custody),
    )


def _request(name: str, facts: CaseFacts, action: ActionWording, on: date, warnings: list[str]) -> Section:
    vehicle = action.vehicle_on(on)
    who = (
        f"I, {name}, the Respondent in these proceedings, respectfully request"
        if facts.representative.kind == "pro_se"
        else f"On behalf of my client, {name} (the “Respondent”), I respectfully request"
    )
    ask = f"{who} that the Office of the Principal Legal Advisor (OPLA) exercise its prosecutorial discretion to {action.ask}"
    if vehicle and vehicle.cite and not vehicle.caveat:
        ask += f" pursuant to {vehicle.cite}"
    ask += "."
    if vehicle and vehicle.mark:
        ask += f" {vehicle.mark}"
        warnings.append(f"the procedural vehicle for {facts.requested_action} needs checking: {vehicle.mark}")
    source = f"request:{facts.requested_action}"
    paragraphs = [Paragraph(ask, source=source)]
    if vehicle and vehicle.argument and not vehicle.mark:
        paragraphs.append(Paragraph(vehicle.argument.strip(), source=source))
    if facts.narrative.introduction:
        paragraphs.append(Paragraph(facts.narrative.introduction.strip(), source="narrative.introduction"))
    return Section("request", None, tuple(paragraphs))


def _not_priority(
    facts: CaseFacts, screening: Screening, policy: Policy, short: str, warnings: list[str]
) -> Section:
    met = screening.of_kind(Kind.PRIORITY, Outcome.MET)
    unknown = screening.of_kind(Kind.PRIORITY, Outcome.UNKNOWN)
    paragraphs = []
    argument = policy.meta.not_priority_argument
    if met:
        heading = "Enforcement Priorities"
        labels = "; ".join(f"“{f.label}”" for f in met)
        paragraphs.append(
            Paragraph(
                f"We acknowledge that, under {short}, the Respondent's record may fall within {labels}. "
                "It is addressed candidly under “Negative Factors” below, together with the equities that warrant "
                "a favorable exercise of discretion.",
            )
        )
        warnings.append("a priority is met: the letter does not argue the person is outside the priorities")
        return Section("not_priority", heading, tuple(paragraphs))
    heading = _not_priority_heading(policy, screening)
    if argument:
        paragraphs.append(Paragraph(argument.strip(), source=f"policy:{policy.id}"))
    else:
        paragraphs.append(
            Paragraph(
                f"[verify before sending: the data for {short} has no not-priority argument; write it here.]"
            )
        )
        warnings.append(f"policy {policy.id} has no not_priority_argument")
    settled = screening.of_kind(Kind.PRIORITY, Outcome.NOT_MET)
    if settled and not unknown:
        # Name the categories when they fit in a sentence; a long list (Morton's offender levels)
        # reads better as a count.
        if len(settled) <= 4:
            labels = "; ".join(_lower_first(f.label) for f in settled)
            sentence = f"On the facts set out below, the Respondent falls within none of the enforcement priorities of {short}: {labels}."
        else:
            sentence = f"On the facts set out below, the Respondent falls within none of the {len(settled)} enforcement priority categories of {short}."
        paragraphs.append(Paragraph(sentence, source=f"policy:{policy.id}"))
    against = _met(screening, Kind.AGGRAVATING)
    if argument and not against and facts.criminal_history is None:
        paragraphs.append(
            Paragraph(
                "[verify before sending: the case file does not record the Respondent's criminal history; "
                "confirm that this argument is true of it.]"
            )
        )
    if argument and against:
        # The policy's standard argument may say the person has no record of danger; with an
        # unfavourable factor met, the draft must not assert that without the author's review.
        labels = "; ".join(_lower_first(f.label) for f in against)
        paragraphs.append(
            Paragraph(
                "[verify before sending: this is the policy's standard argument; the Respondent's record "
                f"includes {labels}. Adapt it so that it does not contradict the negative factors below.]"
            )
        )
        warnings.append(
            f"the not-priority argument is the policy's standard wording but {labels} is met: adapt it"
        )
    if unknown:
        # The policy's argument says the person is outside every priority; where the facts do not
        # yet show that, the draft says so instead of asserting it.
        open_ = "; ".join(_lower_first(f.label) for f in unknown)
        paragraphs.append(
            Paragraph(
                f"[verify before sending: the case file does not yet show that the Respondent is outside: {open_}.]"
            )
        )
        warnings.append(f"{len(unknown)} priority finding(s) undecided on the facts: {open_}")
    return Section("not_priority", heading, tuple(paragraphs))


def _risk_consent(facts: CaseFacts) -> Section | None:
    """Digest §4.1 item 7: a dismissal request records the respondent's informed consent.

    Since 2025 a dismissal can be followed by arrest and expedited removal, and can cost a work
    permit that depends on an application pending in court (digest §0.1, §0.6, §2.7). The
    paragraph says the risks were reviewed and consent given; the mark makes the preparer confirm
    that this actually happened before the letter goes out.
    """
    if facts.requested_action is not RequestedAction.DISMISSAL:
        return None

    def risks(who: str, whose: str) -> str:
        return (
            f"that ICE may arrest {who} and seek {whose} removal through expedited removal under INA § 235(b)(1), "
            "and that employment authorization that depends on an application pending before the Immigration "
            "Court may be lost"
        )

    if facts.representative.kind == "pro_se":
        text = (
            f"I make this request knowing the risks that a dismissal can carry, including {risks('me', 'my')}. "
            "I give my informed consent to this request."
        )
        mark = "[verify before sending: confirm that you understand these risks and still want to ask for dismissal.]"
    else:
        text = (
            "Before this request was made, counsel reviewed with the Respondent the risks that a dismissal can "
            f"carry, including {risks('the Respondent', "the Respondent's")}. The Respondent has given informed consent to this request."
        )
        mark = (
            "[verify before sending: confirm that this review took place and that the Respondent's informed "
            "consent was obtained and recorded; otherwise remove this paragraph and do not send the request.]"
        )
    return Section(
        "risk_consent",
        "Informed Consent",
        (Paragraph(text, source="request:dismissal"), Paragraph(mark)),
    )


def _not_priority_heading(policy: Policy, screening: Screening) -> str:
    """The argument's heading under ``policy``.

    A policy with enforcement priorities is argued as "not a priority". A policy with none (EO 14159,
    digest §1.9, §7: no categorical priorities) is argued on public safety and national security
    (digest §4.1 item 3); the heading asserts no threat only when no unfavourable factor is met,
    since the paragraph below it is then marked for the author to adapt.
    """
    if policy.rules_of(Kind.PRIORITY):
        return "The Respondent Is Not an Enforcement Priority"
    if _met(screening, Kind.AGGRAVATING):
        return "Public Safety and National Security"
    return "The Respondent Presents No Threat to Public Safety or National Security"


def _equities(facts: CaseFacts, screening: Screening, refs: ExhibitRefs, warnings: list[str]) -> Section:
    paragraphs = []
    for number, f in enumerate(_met(screening, Kind.MITIGATING), start=1):
        tabs = refs.tabs(f.id)
        if refs.exhibits and not tabs:
            warnings.append(f"factor {f.id!r} ({f.label}) is cited with no exhibit")
        paragraphs.append(Paragraph(factor_text(f, tabs), "numbered", number, f"rule:{f.id}", tabs))
    if facts.narrative.equities:
        paragraphs.append(Paragraph(facts.narrative.equities.strip(), source="narrative.equities"))
    if not paragraphs:
        warnings.append("no favourable factor is met on the facts given")
    return Section("equities", "Favorable Factors", tuple(paragraphs))


def _narrative_only(key: str, heading: str, text: str | None) -> Section | None:
    if not text:
        return None
    return Section(key, heading, (Paragraph(text.strip(), source=f"narrative.{key}"),))


def _conclusion(facts: CaseFacts, ask: str) -> Section:
    rep = facts.representative
    if facts.narrative.conclusion:
        first = Paragraph(facts.narrative.conclusion.strip(), source="narrative.conclusion")
    else:
        first = Paragraph(f"For these reasons, the Respondent respectfully asks that OPLA {ask}.")
    paragraphs = [first]
    # No-break spaces keep "(718) 555-0142" on one line.
    contact = " or ".join(
        x for x in (rep.phone.replace(" ", "\u00a0") if rep.phone else None, rep.email) if x
    )
    tail = "Thank you for considering this request."
    if contact:
        tail += f" Please contact me at {contact} if further information or documentation would assist."
    paragraphs.append(Paragraph(tail))
    return Section("conclusion", "Conclusion", tuple(paragraphs))


def _signature(facts: CaseFacts, warnings: list[str]) -> Signature:
    rep = facts.representative
    pro_se = rep.kind == "pro_se"
    name = (facts.identity.name if pro_se else rep.name) or fill_in("representative's name")
    if not rep.name and not pro_se:
        warnings.append("representative.name is missing: the signature prints a placeholder")
    lines = [ROLES.get(rep.kind or "", "Representative for the Respondent")]
    if not pro_se:
        lines += [x for x in (rep.organisation, rep.address) if x]
        contact = " · ".join(x for x in (rep.phone, rep.email) if x)
        if contact:
            lines.append(contact)
        ids = " · ".join(
            x
            for x in (
                f"Bar No. {rep.bar_number}" if rep.bar_number else None,
                f"EOIR ID {rep.eoir_id}" if rep.eoir_id else None,
            )
            if x
        )
        if ids:
            lines.append(ids)
        forms = []
        if rep.g28_filed:
            forms.append("Form G-28 on file")
        else:
            forms.append("Form G-28 [verify before sending: not recorded as filed with DHS]")
            warnings.append(
                "representative.g28_filed is not true: OPLA needs a Form G-28 to discuss the case"
            )
        if rep.eoir28_filed:
            forms.append("Form EOIR-28 on file")
        elif facts.requested_action and facts.requested_action.value.startswith("join_motion"):
            forms.append("Form EOIR-28 [verify before sending: required to join a motion]")
            warnings.append("a joint motion needs a Form EOIR-28 (or EOIR-27) on file")
        lines.append("; ".join(forms))
    return Signature("Respectfully submitted,", name, tuple(lines))


def _exhibit_description(e: Exhibit, warnings: list[str]) -> str:
    """The index line: description, its date, and whether a certified translation is attached."""
    text = e.description
    if e.date:
        try:
            text += f" ({long_date(date.fromisoformat(e.date))})"
        except ValueError:
            text += f" ({e.date})"
    if e.needs_translation:
        if e.translation is not None:
            text += ", with certified English translation"
        else:
            warnings.append(f"exhibit {e.tab} is not in English and has no certified translation attached")
    return text


def _pages(e: Exhibit) -> str:
    if e.pages and e.first_page:
        last = e.first_page + e.pages - 1
        return str(e.first_page) if last == e.first_page else f"{e.first_page}–{last}"
    return str(e.pages) if e.pages else ""


def _enclosures(exhibits: Sequence[Exhibit]) -> str:
    if not exhibits:
        return ""
    if len(exhibits) == 1:
        return f"Enclosure: Exhibit {exhibits[0].tab} (see Index of Exhibits)"
    return f"Enclosures: Exhibits {exhibits[0].tab}–{exhibits[-1].tab} (see Index of Exhibits)"


def _with_letter_sentences(screening: Screening, policy: Policy) -> Screening:
    """A screening read back from its JSON snapshot carries no letter sentences; the policy has them.

    The caller has matched the policy's hash to the screening's, so the sentences are the ones the
    screening was made with.
    """
    sentences = {r.id: r.letter for r in policy.rules if r.letter}
    if all(f.letter or f.id not in sentences for f in screening.findings):
        return screening
    findings = tuple(
        f if f.letter else dataclasses.replace(f, letter=sentences.get(f.id)) for f in screening.findings
    )
    return dataclasses.replace(screening, findings=findings)


def _met(screening: Screening, *kinds: Kind) -> list[Finding]:
    return [f for f in screening.findings if f.kind in kinds and f.outcome is Outcome.MET]


def _risk_warnings(screening: Screening, action: str) -> tuple[str, ...]:
    return tuple(
        f"risk ({r.level}): {r.label} — {r.reason}"
        for r in screening.risks
        if r.outcome is Outcome.MET and (not r.applies_to or action in r.applies_to)
    )


def _lower_first(text: str) -> str:
    # Labels are title-like ("Threat to public safety"); inside a sentence they read lower-case,
    # unless they start with an acronym or a proper noun written in capitals.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
