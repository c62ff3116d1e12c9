"""Build a request letter's content once, from facts, a screening and the policy in force.

``build_letter`` is pure: the same facts, screening, policy, date, exhibits, office and signer
give the same :class:`~discretion.letters.model.Letter`. Every sentence comes from data — the
factor templates beside the rules, the policy's own answers to unfavourable factors, the
letter's wording file — worded from this person's facts (:mod:`discretion.letters.arguments`).
The practitioner's narrative is woven in where it belongs, and replaces a generated factor
paragraph when asked to.

The filing copy never carries a preparer mark, nothing from the risk screen and nothing of
counsel's advice: what the practitioner must check goes on the review sheet (``letter.review``),
and the ``--draft`` copy (``letter.as_draft()``) shows the same items inline. A letter that cannot
be filed as written is refused (:mod:`discretion.letters.refusals`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from importlib.metadata import PackageNotFoundError, version

from discretion import prose
from discretion.errors import DocumentError
from discretion.exhibits import Exhibit
from discretion.facts import CaseFacts, Representative, RequestedAction
from discretion.letters import history
from discretion.letters.arguments import Writer
from discretion.letters.model import (
    ExhibitRow,
    Field,
    Letter,
    Paragraph,
    Provenance,
    Section,
    Signature,
    long_date,
)
from discretion.letters.references import ExhibitRefs
from discretion.letters.refusals import (
    LetterRefused,
    Override,
    check_high_risk,
    check_identity,
    check_representative,
)
from discretion.letters.review import Item, Review, dedupe
from discretion.letters.transmittal import build_transmittal
from discretion.letters.wording import Wording, wording
from discretion.offices import OfficeMatch, office_for_case
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


def format_a_number(a_number: str | None) -> str | None:
    if not a_number:
        return None
    return f"{a_number[:3]}-{a_number[3:6]}-{a_number[6:]}"


class _Draft:
    """The letter being built: its sections and the review items found on the way."""

    def __init__(self) -> None:
        self.items: list[Item] = []

    def check(self, kind: str, text: str, anchor: str | None = None, source: str | None = None) -> None:
        self.items.append(Item(kind, text, anchor, source))


def build_letter(
    facts: CaseFacts,
    screening: Screening,
    policy: Policy,
    *,
    on: date,
    exhibits: Sequence[Exhibit] = (),
    office: OfficeMatch | None = None,
    representative: Representative | None = None,
    letterhead: Sequence[str] | None = None,
    override: Override | None = None,
    send_to: str | None = None,
    in_packet: bool = False,
) -> Letter:
    """The complete letter for ``facts`` under ``policy`` as of ``on``.

    ``office`` is an ``OfficeMatch`` from :mod:`discretion.offices`; when None it is looked up
    from the court. ``representative`` and ``letterhead`` replace the case file's (the web app's
    saved signer profile and organisation letterhead). ``override`` is a HIGH-risk override
    recorded outside the case file (CLI option, web confirmation); the case file's own
    ``counsel.high_risk_override`` is used otherwise. ``send_to`` is a sending channel the
    practitioner has verified (an address, or "ICE eService"). ``in_packet``: the packet's index
    and page numbers replace the letter's own.

    Raises LetterRefused (a DocumentError) naming what is missing or why the request is unsafe.
    """
    if screening.policy_id != policy.id:
        raise DocumentError(
            f"the screening was made under policy {screening.policy_id!r}, not {policy.id!r}; screen again"
        )
    if screening.policy_sha256 != policy.sha256:
        raise DocumentError(
            f"the screening was made with another version of policy {policy.id!r} (its data changed); screen again"
        )
    if facts.requested_action is None:
        raise LetterRefused("case file: requested_action: not set; the letter needs to know what to ask for")
    if facts.requested_action is RequestedAction.NONE_NOT_IN_PROCEEDINGS:
        raise LetterRefused(
            "case file: requested_action: none_not_in_proceedings: the person is not in removal "
            "proceedings, so no request is written to OPLA (the screen still advises on risks and relief)"
        )
    words = wording()
    rep = representative or facts.representative
    check_identity(facts)
    check_representative(rep, facts.requested_action)
    titles = {a: w.title for a, w in words.actions.items()}
    if override is None and facts.counsel.high_risk_override is not None:
        override = Override.from_case(facts.counsel.high_risk_override)
    overridden = check_high_risk(facts, screening, policy, on=on, override=override, action_titles=titles)
    draft = _Draft()
    writer = Writer(facts, on, policy)
    name = facts.identity.name or ""
    refs = ExhibitRefs(exhibits, _checklist_support(facts, screening))
    digest = facts_digest(facts)
    _general_checks(draft, facts, screening, policy, on, digest, exhibits)
    if office is None:
        office = _office_for(facts.proceedings.court, facts.proceedings.opla_office)
    addressee, via, verified = _addressee(draft, facts, office, send_to)
    court = _court_name(facts, office)

    sections = [
        _request(draft, writer, name, facts, words, on, rep),
        history.procedural_history(facts, words, court, on),
        _not_priority(draft, writer, facts, screening, policy, words),
        _equities(draft, writer, facts, screening, refs),
        _negative(draft, writer, facts, screening, refs, words),
        _narrative_only("humanitarian", words.headings.humanitarian, facts.narrative.humanitarian),
        history.relief_posture(facts, words, on, draft.check),
        _conclusion(facts, words, rep),
    ]
    built = [_anchored(s) for s in sections if s is not None and s.paragraphs]
    _review_people(draft, writer)
    _review_risks(draft, facts, screening, overridden, override)
    case_id = facts.case_id or (f"A{facts.identity.a_number}" if facts.identity.a_number else "case")
    a_number = format_a_number(facts.identity.a_number)
    provenance = Provenance(
        policy_id=policy.id,
        policy_title=policy.title,
        policy_sha256=policy.sha256,
        as_of=on,
        facts_digest=digest,
        generator=generator(),
        case_id=case_id,
    )
    action = words.actions[facts.requested_action]
    subject = f"Request for Prosecutorial Discretion: {action.title}"
    re = _re_block(draft, facts, name, a_number, court, words, on)
    stem = "".join(c if c.isalnum() or c in "-_." else "-" for c in case_id)
    transmittal = build_transmittal(
        facts,
        rep,
        words,
        office,
        fields=_transmittal_fields(re, rep, facts, words, on),
        action_title=action.title,
        attachment=f"{stem}-{'packet' if in_packet else 'request'}.pdf",
        send_to=send_to,
        check=draft.check,
    )
    rows = tuple(ExhibitRow(e.tab, _exhibit_description(draft, e), _pages(e)) for e in exhibits)
    review = Review(
        case_id=case_id,
        title=f"{subject} — {name}",
        date=on,
        policy=policy.id,
        generator=provenance.generator,
        items=dedupe(draft.items),
    )
    return Letter(
        case_id=case_id,
        action=facts.requested_action.value,
        letterhead=tuple(letterhead) if letterhead else _letterhead(facts, rep),
        date=on,
        date_text=long_date(on),
        via=via,
        addressee=addressee,
        addressee_verified=verified,
        subject=subject,
        re=re,
        salutation=f"Dear {facts.proceedings.opla_attorney}:"
        if facts.proceedings.opla_attorney
        else "Dear Chief Counsel:",
        sections=tuple(built),
        signature=_signature(facts, rep, words),
        exhibits=rows,
        enclosures=_enclosures(words, exhibits, in_packet),
        footer=f"{name} · A-Number {a_number}",
        provenance=provenance,
        review=review,
        transmittal=transmittal,
        in_packet=in_packet,
    )


def _transmittal_fields(
    re: Sequence[Field], rep: Representative, facts: CaseFacts, words: Wording, on: date
) -> dict[str, object]:
    by_label = {f.label: f.value for f in re}
    forms = [x for x, yes in (("Form G-28", rep.g28_filed), ("Form EOIR-28", rep.eoir28_filed)) if yes]
    applications = []
    for app in facts.proceedings.pending_applications or ():
        if app.approved is False or (app.filed_on and app.filed_on > on):
            continue
        entry = words.applications.get(app.kind.value) or words.applications["other"]
        applications.append(entry.label + (f" (Form {entry.form})" if entry.form else ""))
    return {
        "respondent": by_label.get("Respondent"),
        "a_number": by_label.get("A-Number"),
        "custody": by_label.get("Custody"),
        "court": by_label.get("Immigration Court"),
        "judge": by_label.get("Immigration Judge"),
        "next_hearing": by_label.get("Next Hearing"),
        "forms": "; ".join(forms) or None,
        "applications": list(dict.fromkeys(applications)),
    }


# --- checks that are about the letter as a whole -------------------------------------------


def _general_checks(
    draft: _Draft,
    facts: CaseFacts,
    screening: Screening,
    policy: Policy,
    on: date,
    digest: str,
    exhibits: Sequence[Exhibit],
) -> None:
    if digest != screening.facts_digest:
        draft.check("block", "The screening was made from different facts than this letter's: screen again.")
    if not policy.in_force_on(on):
        draft.check(
            "other",
            f"Policy {policy.id} was not in force on {on.isoformat()}: the letter argues a historical policy.",
        )
    if screening.on != on:
        draft.check(
            "other", f"The screening is as of {screening.on.isoformat()}, the letter as of {on.isoformat()}."
        )
    if not exhibits:
        draft.check(
            "exhibits",
            "No exhibits were given: the letter cites none and claims no enclosure. Build the packet, or "
            "give --exhibits DIR, so each factor cites the document that proves it.",
        )
    for problem in screening.problems:
        if problem.severity == "error":
            draft.check("block", f"The facts have a problem: {problem.path}: {problem.message}.")


def _review_people(draft: _Draft, writer: Writer) -> None:
    for path, when in writer.found.later:
        draft.check(
            "later", f"{path} is {when.isoformat()}, after the letter's date: the letter does not state it."
        )
    for who in writer.found.withheld:
        draft.check(
            "withheld",
            f"{who}: not named in the letter, so that the letter does not point ICE at them. "
            "Add them yourself only after weighing the risk to them.",
        )


def _review_risks(
    draft: _Draft,
    facts: CaseFacts,
    screening: Screening,
    overridden: Sequence[Finding],
    override: Override | None,
) -> None:
    """The risks of this request and the advice given: for counsel, never for the letter."""
    assert facts.requested_action is not None
    action = facts.requested_action.value
    met = [
        r
        for r in screening.risks
        if r.outcome is Outcome.MET and (not r.applies_to or action in r.applies_to)
    ]
    for r in met:
        draft.check("risks", f"{r.level.upper() if r.level else ''} [{r.id}] {r.label}: {r.reason}".strip())
    if override is not None and overridden:
        draft.check(
            "override",
            f"Recorded by {override.by} on {override.on.isoformat()} ({override.recorded_in}): "
            f"{override.reason} Covers: {', '.join(r.id for r in overridden)}.",
        )
    advice = [a for a in facts.counsel.advice or () if (a.action or action) == action]
    explained = {risk for a in advice for risk in a.risks}
    for a in advice:
        consent = (
            f"; the client consented on {(a.consent_on or a.given_on).isoformat()}"
            if a.consent
            else "; the client did NOT consent"
            if a.consent is False
            else "; whether the client consented is not recorded"
        )
        via = f" through {a.interpreter}" if a.interpreter else ""
        draft.check(
            "advice",
            f"{a.given_on.isoformat()}: {a.by} explained {len(a.risks)} risk(s) in {a.language}{via}{consent}."
            + (f" Note: {a.notes}" if a.notes else ""),
        )
        if a.consent is False:
            draft.check(
                "block",
                f"The client did not consent to this request ({a.given_on.isoformat()}): do not send it.",
            )
    if met and not advice:
        draft.check(
            "block",
            "No record that the risks of this request were explained to the client: record the advice "
            "and the client's consent (counsel.advice) before sending.",
        )
    elif advice and not any(a.consent for a in advice):
        draft.check(
            "block", "The client's consent to this request is not recorded (counsel.advice[].consent)."
        )
    for r in met:
        if advice and r.id not in explained and r.level in ("high", "medium"):
            draft.check("advice", f"Not recorded as explained to the client: [{r.id}] {r.label}.")


def _office_for(court: str | None, chosen: str | None = None) -> OfficeMatch | None:
    """The OPLA field location the case names, else ``court``'s, or None (the review sheet then
    says to add it)."""
    return office_for_case(court, chosen)


def _court_name(facts: CaseFacts, office: OfficeMatch | None) -> str | None:
    if office is not None and office.court is not None:
        return office.court.name
    return facts.proceedings.court


def _addressee(
    draft: _Draft, facts: CaseFacts, office: OfficeMatch | None, send_to: str | None
) -> tuple[tuple[str, ...], str | None, bool]:
    """The addressee block and the via line. Nothing unverified is printed as the channel."""
    if office is None:
        draft.check(
            "channel",
            f"No OPLA field location was found for the court {facts.proceedings.court!r}: add the field "
            "location to the addressee (see `discretion offices list`).",
            "addressee",
        )
        lines: tuple[str, ...] = (
            "Chief Counsel",
            "U.S. Immigration and Customs Enforcement",
            "Office of the Principal Legal Advisor",
        )
        return lines, (f"Via {send_to}" if send_to else None), False
    first = (
        f"{facts.proceedings.opla_attorney}, Assistant Chief Counsel"
        if facts.proceedings.opla_attorney
        else "Chief Counsel"
    )
    lines = (first, *office.addressee)
    if office.verified:
        lines += office.address_lines
    elif office.address_lines:
        draft.check(
            "channel",
            f"The directory's address for {office.name} ({', '.join(office.address_lines)}) is not verified, "
            "so it is left out of the addressee: add it if you confirm it.",
            "addressee",
            source=office.source,
        )
    for warning in office.warnings:
        if "address not verified" in warning or warning.startswith("no PD e-mail"):
            continue  # said above and below in the review's own words
        draft.check("channel", warning.rstrip(".") + ".", "addressee")
    if office.unverified_email:
        draft.check(
            "channel",
            f"{office.unverified_email} is unverified and is not used. Confirm the PD mailbox in ICE's "
            "'OFL Email Addresses for Requests' table (ice.gov/about-ice/opla/MsL).",
            "via",
        )
    if send_to:
        via: str | None = f"Via {send_to}" if " " in send_to.strip() else f"Via e-mail to {send_to}"
    elif office.email:
        via = f"Via e-mail to {office.email}"
    else:
        via = None
        draft.check(
            "channel",
            f"No verified sending channel for {office.name}: confirm the PD mailbox (ICE's 'OFL Email Addresses "
            "for Requests' table) or ICE eService, then give it with --send-to; the letter has no Via line until then.",
            "via",
        )
    return lines, via, office.verified


def _letterhead(facts: CaseFacts, rep: Representative) -> tuple[str, ...]:
    if rep.kind == "pro_se":
        lines = [facts.identity.name or "", rep.address or ""]
        contact = " · ".join(x for x in (f"Tel. {rep.phone}" if rep.phone else None, rep.email) if x)
        return tuple(x for x in (*lines, contact) if x)
    top = rep.organisation or rep.name or ""
    contact = " · ".join(x for x in (f"Tel. {rep.phone}" if rep.phone else None, rep.email) if x)
    return tuple(x for x in (top, rep.address, contact) if x)


def _re_block(
    draft: _Draft,
    facts: CaseFacts,
    name: str,
    a_number: str | None,
    court: str | None,
    words: Wording,
    on: date,
) -> tuple[Field, ...]:
    p = facts.proceedings
    hearing = None
    if p.next_hearing and p.next_hearing.date >= on:
        h = p.next_hearing
        hearing = long_date(h.date) + (f", {h.time}" if h.time else "")
        hearing += f" ({words.hearing_kinds.get(h.kind.value, 'hearing')})"
    if p.detained is None:
        custody = None
    elif p.detained:
        custody = "Detained" + (f", {p.detention_facility}" if p.detention_facility else "")
    else:
        custody = "Not detained"
    fields = (
        Field("Respondent", name),
        Field("A-Number", a_number),
        Field("Immigration Court", court),
        Field("Immigration Judge", f"Hon. {p.judge}" if p.judge else None),
        Field("Next Hearing", hearing),
        Field("Custody", custody),
    )
    paths = {
        "Immigration Court": "proceedings.court",
        "Immigration Judge": "proceedings.judge",
        "Next Hearing": "proceedings.next_hearing",
        "Custody": "proceedings.detained",
    }
    for f in fields:
        if f.value is None and f.label in paths:
            draft.check(
                "missing",
                f"{f.label}: not in the case file ({paths[f.label]}); the line is left out of the Re block.",
                f"re.{f.label}",
            )
    return fields


# --- the sections ---------------------------------------------------------------------------


def _hearing(facts: CaseFacts, words: Wording, on: date) -> dict[str, str] | None:
    h = facts.proceedings.next_hearing
    if h is None or h.date < on:
        return None
    when = long_date(h.date) + (f", at {h.time.replace(' ', chr(0xA0))}" if h.time else "")
    return {"kind": words.hearing_kinds.get(h.kind.value, "hearing"), "when": when}


def ask_text(facts: CaseFacts, words: Wording, on: date) -> str:
    assert facts.requested_action is not None
    action = words.actions[facts.requested_action]
    return prose.render(action.ask, {"hearing": _hearing(facts, words, on)})


def _request(
    draft: _Draft,
    writer: Writer,
    name: str,
    facts: CaseFacts,
    words: Wording,
    on: date,
    rep: Representative,
) -> Section:
    assert facts.requested_action is not None
    action = words.actions[facts.requested_action]
    vehicle = action.vehicle_on(on)
    hearing = _hearing(facts, words, on)
    template = words.request.pro_se if rep.kind == "pro_se" else words.request.represented
    cite = vehicle.cite if vehicle and vehicle.citable else None
    source = f"request:{facts.requested_action}"
    paragraphs = [
        Paragraph(
            prose.render(template, {"name": name, "ask": ask_text(facts, words, on), "cite": cite}),
            source=source,
        )
    ]
    if vehicle and vehicle.check:
        draft.check(
            "unsure",
            f"The procedural vehicle is not cited: {vehicle.check[0].upper()}{vehicle.check[1:].rstrip('.')}.",
            "request.0",
        )
    if vehicle and vehicle.argument and vehicle.citable:
        paragraphs.append(Paragraph(vehicle.argument.strip(), source=source))
    if hearing and action.before_hearing:
        paragraphs.append(Paragraph(prose.render(action.before_hearing, {"hearing": hearing}), source=source))
    elif facts.proceedings.next_hearing is None and facts.proceedings.in_proceedings is not False:
        draft.check(
            "missing",
            "The next hearing is not recorded (proceedings.next_hearing): the request is not tied to a hearing date.",
            "request.0",
        )
    elif facts.proceedings.next_hearing and facts.proceedings.next_hearing.date < on:
        draft.check(
            "block",
            f"The next hearing recorded ({facts.proceedings.next_hearing.date.isoformat()}) is before the letter's "
            "date: update proceedings.next_hearing.",
            "request.0",
        )
    if facts.narrative.introduction:
        paragraphs.append(Paragraph(facts.narrative.introduction.strip(), source="narrative.introduction"))
    return Section("request", None, tuple(paragraphs))


def _met(screening: Screening, *kinds: Kind) -> list[Finding]:
    # A favourable factor whose memo sets no number is `review`: argued when the measure reached the
    # tool's line (`supporting`), as before; the review sheet shows counsel it was weighed, not decided.
    return [
        f
        for f in screening.findings
        if f.kind in kinds
        and (
            f.outcome is Outcome.MET
            or (f.outcome is Outcome.REVIEW and f.kind is Kind.MITIGATING and bool(f.supporting))
        )
    ]


def _not_priority(
    draft: _Draft,
    writer: Writer,
    facts: CaseFacts,
    screening: Screening,
    policy: Policy,
    words: Wording,
) -> Section | None:
    met = screening.of_kind(Kind.PRIORITY, Outcome.MET)
    unknown = screening.of_kind(Kind.PRIORITY, Outcome.UNKNOWN)
    settled = screening.of_kind(Kind.PRIORITY, Outcome.NOT_MET)
    against = _met(screening, Kind.AGGRAVATING)
    argument = (policy.meta.not_priority_argument or "").strip()
    if met:
        paragraphs = []
        record = False
        for f in met:
            worded = writer.factor(f, favourable=False)
            if worded.record:
                record = True
            elif worded.text:
                paragraphs.append(Paragraph(worded.text, source=f"rule:{f.id}"))
            _own_words(draft, f, worded, "not_priority")
            _notes_for(draft, worded, f, "not_priority")
        if record:
            values = {"count": len(met), "short": policy.meta.short_title or policy.title}
            paragraphs.insert(0, Paragraph(prose.render(words.request.record_ref, values)))
        answer = writer.answer("priority_answer", met=[f.id for f in met])
        if answer:
            paragraphs.append(Paragraph(answer.text, source=f"policy:{policy.id}"))
            _quotes(draft, policy, answer.quotes, "not_priority")
        notes = _factor_notes(facts, met)
        paragraphs += notes
        return Section("not_priority", words.headings.priority_met, tuple(paragraphs))
    if not policy.rules_of(Kind.PRIORITY):
        heading = words.headings.public_safety if against else words.headings.no_threat
        if not argument:
            draft.check(
                "write", f"Policy {policy.id} has no not-priority argument: write the public-safety argument."
            )
            return None
        if against:
            draft.check(
                "other",
                "The policy's standard public-safety argument is followed by negative factors: read the two "
                "together and adapt the argument if they pull against each other.",
                "not_priority.0",
            )
        if facts.criminal_history is None:
            draft.check(
                "block",
                "The criminal history is not recorded, yet the argument says the Respondent is no threat: record "
                "it (criminal_history: [] if there is none).",
                "not_priority.0",
            )
        return Section("not_priority", heading, (Paragraph(argument, source=f"policy:{policy.id}"),))
    heading = words.headings.not_priority
    if not unknown and facts.criminal_history is not None and argument:
        paragraphs = [Paragraph(argument, source=f"policy:{policy.id}")]
        if against:
            draft.check(
                "other",
                "The policy's standard argument is followed by negative factors: read the two together.",
                "not_priority.0",
            )
        return Section("not_priority", heading, tuple(paragraphs))
    # Not every priority is settled on the facts: say only what they show.
    labels = [_lower_first(f.label) for f in settled]
    text = prose.render(
        writer.policy_words.not_priority_partial or writer.default_words.not_priority_partial or "",
        writer.values(settled=labels, short=policy.meta.short_title or policy.title),
    )
    open_ = "; ".join(_lower_first(f.label) for f in unknown)
    if unknown:
        draft.check(
            "missing",
            f"The facts do not yet show that the Respondent is outside: {open_}. The letter says only what "
            "the facts show; complete them (see the screening's missing facts) to argue the full not-priority case.",
            "not_priority.0",
        )
    if facts.criminal_history is None:
        draft.check(
            "block",
            "The criminal history is not recorded: the letter cannot say the Respondent is outside the "
            "criminal priorities. Record it (criminal_history: [] if there is none).",
            "not_priority.0",
        )
    if not text:
        return None
    return Section("not_priority", heading, (Paragraph(text, source=f"policy:{policy.id}"),))


def _equities(
    draft: _Draft, writer: Writer, facts: CaseFacts, screening: Screening, refs: ExhibitRefs
) -> Section:
    paragraphs: list[Paragraph] = []
    number = 0
    notes = {n.factor: n for n in facts.narrative.factors or ()}
    used_notes: set[str] = set()
    met = _met(screening, Kind.MITIGATING)
    met_tests = [r.test for r in (writer.rule(f) for f in met) if r]
    for f in met:
        rule = writer.rule(f)
        note = notes.get(f.id) or (notes.get(rule.test) if rule else None)
        if note is not None:
            used_notes.add(note.factor)
        tabs = refs.tabs(f.id, writer.cites(f, favourable=True))
        worded = writer.factor(f, favourable=True, tabs=tabs, met_tests=met_tests)
        text = worded.text
        if note is not None:
            text = note.text.strip() if note.replace or not text else f"{text} {note.text.strip()}"
        if (
            not text
            and rule
            and rule.test == "family_or_community_ties"
            and {"has_relative", "has_minor_child"} & set(met_tests)
        ):
            continue  # the family is told by the U.S.-citizen family factor
        if not text:
            if not worded.covered:
                draft.check(
                    "write",
                    f"The favorable factor {f.label} [{f.id}] is met, but the letter has no wording for it: "
                    f"write it (narrative.factors, factor: {f.id}).",
                )
            continue
        number += 1
        anchor = f"equities.{len(paragraphs)}"
        paragraphs.append(
            Paragraph(ExhibitRefs.cite(text, tabs), "numbered", number, f"rule:{f.id}", tabs, anchor)
        )
        if refs.exhibits and not tabs:
            draft.check("exhibits", f"Factor {number} ({f.label}) cites no exhibit.", anchor)
        _notes_for(draft, worded, f, anchor, note_replaced=bool(note and note.replace))
        if f.confidence.is_unsure:
            why = f" ({f.note.strip().rstrip('.')})" if f.note else ""
            draft.check(
                "unsure",
                f"Factor {number} ({f.label}) rests on a source the policy data marks "
                f"{'partly confirmed' if f.confidence.value == 'partial' else 'unverified'}{why}.",
                anchor,
                source="; ".join(f"{c.text()} [{c.confidence.value}]" for c in f.citations),
            )
    if facts.narrative.equities:
        paragraphs.append(Paragraph(facts.narrative.equities.strip(), source="narrative.equities"))
    if not paragraphs:
        draft.check(
            "write", "No favorable factor is met on the facts given: the letter has no equities to argue."
        )
    unfavourable = {
        f.id for f in screening.findings if f.kind is not Kind.MITIGATING and f.outcome is Outcome.MET
    }
    tests = {writer.rule(f).test for f in screening.findings if writer.rule(f)}  # type: ignore[union-attr]
    for key in notes:
        if (
            key not in used_notes
            and key not in unfavourable
            and key not in tests | {f.id for f in screening.findings}
        ):
            draft.check(
                "write",
                f"Your own words for {key!r} (narrative.factors) were not used: no such factor in {writer.policy.id}.",
            )
        elif key not in used_notes and key not in unfavourable:
            draft.check(
                "write",
                f"Your own words for {key!r} (narrative.factors) were not used: that factor is not met on the facts.",
            )
    return Section("equities", wording().headings.equities, tuple(paragraphs))


def _factor_notes(facts: CaseFacts, findings: Sequence[Finding]) -> list[Paragraph]:
    ids = {f.id for f in findings}
    return [
        Paragraph(n.text.strip(), source=f"narrative.factors.{n.factor}")
        for n in facts.narrative.factors or ()
        if n.factor in ids
    ]


def _negative(
    draft: _Draft,
    writer: Writer,
    facts: CaseFacts,
    screening: Screening,
    refs: ExhibitRefs,
    words: Wording,
) -> Section:
    """Every unfavourable matter stated candidly, then answered with the mitigating facts and the
    policy's own test. A met priority is argued above; its record is listed here."""
    paragraphs: list[Paragraph] = []
    aggravating = _met(screening, Kind.AGGRAVATING)
    priorities = _met(screening, Kind.PRIORITY)
    record_based = False
    others: list[tuple[Finding, str]] = []
    for f in [*aggravating, *priorities]:
        worded = writer.factor(f, favourable=False)
        if worded.record:
            record_based = True
        elif f.kind is Kind.AGGRAVATING:
            if worded.text:
                others.append((f, worded.text))
            _own_words(draft, f, worded, "negative_factors")
        _notes_for(draft, worded, f, "negative_factors")
    crimes = facts.criminal_history
    if crimes is None:
        draft.check(
            "block",
            "The criminal history is not recorded (criminal_history): the letter cannot address it. Record it "
            "(criminal_history: [] if there is none).",
        )
    elif not crimes:
        paragraphs.append(Paragraph(words.request.no_record))
    else:
        events = writer.found.values["criminal"]["events"]
        if events:
            paragraphs.append(Paragraph(prose.render(words.request.record_lead, {"count": len(events)})))
            tabs = tuple(t for f in [*aggravating, *priorities] for t in refs.tabs(f.id))
            paragraphs += [Paragraph(history.event_text(e), "item") for e in events]
            if tabs:
                paragraphs[-1] = dataclasses.replace(
                    paragraphs[-1],
                    text=ExhibitRefs.cite(paragraphs[-1].text, tuple(dict.fromkeys(tabs))),
                    exhibits=tuple(dict.fromkeys(tabs)),
                )
            if record_based:
                answer = writer.answer("record_answer", priority_met=bool(priorities))
                if answer:
                    paragraphs.append(Paragraph(answer.text, source=f"policy:{writer.policy.id}"))
                    _quotes(draft, writer.policy, answer.quotes, "negative_factors")
    for f, text in others:
        tabs = refs.tabs(f.id)
        paragraphs.append(Paragraph(ExhibitRefs.cite(text, tabs), source=f"rule:{f.id}", exhibits=tabs))
    paragraphs += history.immigration_record(facts, writer.on)
    if others:
        answer = writer.answer("factor_answer", priority_met=bool(priorities))
        if answer:
            paragraphs.append(Paragraph(answer.text, source=f"policy:{writer.policy.id}"))
            _quotes(draft, writer.policy, answer.quotes, "negative_factors")
    paragraphs += _factor_notes(facts, aggravating)
    if facts.narrative.negative_factors:
        paragraphs.append(
            Paragraph(facts.narrative.negative_factors.strip(), source="narrative.negative_factors")
        )
    return Section("negative_factors", words.headings.negative_factors, tuple(paragraphs))


def _own_words(draft: _Draft, f: Finding, worded: object, where: str) -> None:
    if getattr(worded, "own_words", False) and not getattr(worded, "text", None):
        draft.check(
            "block",
            f"{f.label} [{f.id}] is met. The tool does not argue it: address it in your own words "
            f"(narrative.factors, factor: {f.id}) or reconsider the request.",
            f"{where}.0",
        )


def _notes_for(
    draft: _Draft, worded: object, f: Finding, anchor: str, *, note_replaced: bool = False
) -> None:
    if note_replaced:
        return
    for about in getattr(worded, "left_out", ()):
        draft.check(
            "missing", f"{f.label}: {about} is not in the case file; the paragraph leaves it out.", anchor
        )
    for text in getattr(worded, "review", ()):
        draft.check("write", f"{f.label}: {text}", anchor)


def _quotes(draft: _Draft, policy: Policy, quotes: Sequence[tuple[str, str]], anchor: str) -> None:
    for text, source_id in quotes:
        source = policy.sources.get(source_id)
        where = f"{source.title} [{source.confidence.value}]" if source else source_id
        draft.check(
            "quotes",
            f"“{text}” is quoted as the memo's own words: compare it with the memo before filing.",
            f"{anchor}.0" if "." not in anchor else anchor,
            source=where,
        )


def _narrative_only(key: str, heading: str, text: str | None) -> Section | None:
    if not text:
        return None
    return Section(key, heading, (Paragraph(text.strip(), source=f"narrative.{key}"),))


def _conclusion(facts: CaseFacts, words: Wording, rep: Representative) -> Section:
    if facts.narrative.conclusion:
        first = Paragraph(facts.narrative.conclusion.strip(), source="narrative.conclusion")
    else:
        on = facts.proceedings.next_hearing.date if facts.proceedings.next_hearing else date.min
        first = Paragraph(prose.render(words.request.conclusion, {"ask": ask_text(facts, words, on)}))
    # No-break spaces keep "(718) 555-0142" on one line.
    contact = " or ".join(
        x for x in (rep.phone.replace(" ", "\u00a0") if rep.phone else None, rep.email) if x
    )
    return Section(
        "conclusion",
        words.headings.conclusion,
        (first, Paragraph(prose.render(words.request.thanks, {"contact": contact}))),
    )


def _signature(facts: CaseFacts, rep: Representative, words: Wording) -> Signature:
    if rep.kind == "pro_se":
        lines = [ROLES["pro_se"], *(x for x in (rep.address, rep.phone, rep.email) if x)]
        return Signature(words.request.closing, facts.identity.name or "", tuple(lines))
    lines = [ROLES.get(rep.kind or "", "Representative for the Respondent")]
    lines += [x for x in (rep.organisation, rep.address) if x]
    contact = " · ".join(x for x in (rep.phone, rep.email) if x)
    if contact:
        lines.append(contact)
    ids = " · ".join(
        x
        for x in (
            f"{rep.bar_state} Bar No. {rep.bar_number}" if rep.bar_number and rep.bar_state else None,
            f"Bar No. {rep.bar_number}" if rep.bar_number and not rep.bar_state else None,
            f"EOIR ID {rep.eoir_id}" if rep.eoir_id else None,
        )
        if x
    )
    if ids:
        lines.append(ids)
    forms = ["Form G-28 on file"] if rep.g28_filed else []
    if rep.eoir28_filed:
        forms.append("Form EOIR-28 on file")
    if forms:
        lines.append("; ".join(forms))
    return Signature(words.request.closing, rep.name or "", tuple(lines))


def _exhibit_description(draft: _Draft, e: Exhibit) -> str:
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
            draft.check(
                "exhibits",
                f"Exhibit {e.tab} is not in English and has no certified translation attached (8 C.F.R. § 1003.33).",
            )
    return text


def _pages(e: Exhibit) -> str:
    if e.pages and e.first_page:
        last = e.first_page + e.pages - 1
        return str(e.first_page) if last == e.first_page else f"{e.first_page}–{last}"
    return str(e.pages) if e.pages else ""


def _enclosures(words: Wording, exhibits: Sequence[Exhibit], in_packet: bool) -> str:
    if not exhibits:
        return ""
    return prose.render(words.request.enclosures, {"tabs": [e.tab for e in exhibits], "in_packet": in_packet})


def _anchored(section: Section) -> Section:
    return dataclasses.replace(
        section,
        paragraphs=tuple(
            dataclasses.replace(p, anchor=p.anchor or f"{section.key}.{i}")
            for i, p in enumerate(section.paragraphs)
        ),
    )


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


def _lower_first(text: str) -> str:
    return prose.lower_first(text)
