"""Expedited-removal exposure: who can be processed for ER if the court case ends, and the risks
that follow (dismissal, ended parole, an asylum claim at stake, DHS moving to dismiss on its own,
the nationwide designation's litigation).

Since the DHS designation of 2025-01-21 (90 FR 8139) ER reaches anyone in the U.S. who was not
admitted or paroled and cannot prove 2 years' continuous presence; DHS guidance of 2025-01-23 tells
officers to consider ending removal cases and active parole to apply it. The burden of proof is on
the person, so a stated entry date is not enough: only documented presence counts.
"""

from __future__ import annotations

from datetime import date

from discretion.facts import ApplicationKind, CaseFacts, EntryManner, Forum
from discretion.predicates import Outcome, Verdict, predicate
from discretion.predicates.protection import asylum_deadline, last_arrival
from discretion.predicates.risks import check_actions, gate, with_suffix, words
from discretion.programs import parole_programs
from discretion.timeline import add_years


def _permanent_resident(facts: CaseFacts, on: date) -> Verdict | None:
    """A permanent resident was admitted: expedited removal, which reaches only people not admitted
    or paroled, does not apply to them. None when the person is not known to be one."""
    since = facts.immigration_history.lpr_since
    if since is None or since > on:
        return None
    return Verdict.not_met(
        f"A lawful permanent resident since {since.isoformat()} has been admitted: expedited removal reaches only "
        "people not admitted or paroled (INA §235(b)(1)), so it is not a high risk for this person. Removal "
        "would need a hearing before a judge.",
        "immigration_history.lpr_since",
    )


def entered_without_inspection_exposure(facts: CaseFacts, on: date) -> Verdict:
    """Met when the person entered without inspection and cannot document 2 years' presence."""
    lpr = _permanent_resident(facts, on)
    if lpr:
        return lpr
    manner = facts.entry.manner
    if manner is None:
        return Verdict.unknown("How the person last entered is not known.", ("entry.manner",))
    if manner is not EntryManner.WITHOUT_INSPECTION:
        return Verdict.not_met(
            f"Last entry was {words(manner.value)}, not without inspection.", "entry.manner"
        )
    if facts.presence.evidence == []:
        return Verdict.met(
            "Entered without inspection and no proof of presence is on hand: the person cannot "
            "show 2 years' continuous presence.",
            "entry.manner",
            "presence.proofs",
        )
    since = facts.presence.continuous_since
    if since is None:
        told = f" (first entry given as {facts.entry.first_entry_on})" if facts.entry.first_entry_on else ""
        return Verdict.unknown(
            "Entered without inspection; the date from which continuous presence can be proved by "
            f"documents is not known{told}. The person must prove 2 years, a stated entry date is not enough.",
            ("presence.continuous_since",),
            "entry.manner",
            "presence.continuous_since",
        )
    trip = ""
    returns = [
        a.returned_on for a in facts.presence.absences or () if a.returned_on and a.returned_on > since
    ]
    if returns:
        # Conservative for a risk: a trip abroad may restart the 2 years; counsel decides if it did.
        since = max(returns)
        trip = (
            f" A trip abroad ended on {since.isoformat()}: counted from that return; whether a brief trip "
            "breaks the 2 years is for counsel [UNVERIFIED in digest]."
        )
    two_years = add_years(since, 2)
    proof = facts.presence.evidence
    if on >= two_years and proof is not None and len(proof) == 1:
        return Verdict.unknown(
            f"Entered without inspection; presence said to be documented since {since.isoformat()}, but the "
            f"proof on hand is a single kind of document ({proof[0]}). Confirm it covers the whole 2 years, about "
            "one document every 3 months (leases, utility bills, pay stubs, school or medical records).",
            ("presence.proofs",),
            "entry.manner",
            "presence.continuous_since",
            "presence.proofs",
        )
    if on >= two_years:
        return Verdict.not_met(
            f"Entered without inspection; presence documented since {since.isoformat()}, so 2 years were "
            f"reached on {two_years.isoformat()}. The burden is on the person: keep the proof ready.{trip}",
            "entry.manner",
            "presence.continuous_since",
        )
    return Verdict.met(
        f"Entered without inspection; presence documented only since {since.isoformat()}: 2 years will "
        f"not be reached until {two_years.isoformat()}.{trip}",
        "entry.manner",
        "presence.continuous_since",
    )


def parole_exposure(facts: CaseFacts, on: date) -> Verdict:
    """Met when the person was paroled and the (latest) parole has ended or was terminated, by its
    own dates or because DHS ended the whole program (``data/parole_programs.yaml``). Parole that
    ended before the person reached two years' presence is said so: DHS ended CHNV parole early so
    that parolees would not reach two years."""
    lpr = _permanent_resident(facts, on)
    if lpr:
        return lpr
    entry = facts.entry
    if entry.manner is None:
        return Verdict.unknown("How the person last entered is not known.", ("entry.manner",))
    if entry.manner is not EntryManner.PAROLED:
        return Verdict.not_met(f"Last entry was {words(entry.manner.value)}, not parole.", "entry.manner")
    parole = entry.latest_parole
    if parole is None:
        return Verdict.unknown(
            "Paroled, but the parole (its date, program and end date) is not recorded.",
            ("entry.paroles",),
            "entry.manner",
        )
    at = f"entry.paroles[{len(entry.paroles or ()) - 1}]"
    program = f" ({parole.program})" if parole.program else ""
    ended_program = parole_programs().find(parole.program)
    program_note = ""
    program_end: date | None = None
    if ended_program is not None and on >= ended_program.ended_on:
        program_end = ended_program.ended_on
        program_note = f" DHS terminated {ended_program.name} effective {ended_program.ended_on.isoformat()}"
        if ended_program.in_force_from and on < ended_program.in_force_from:
            program_note += f"; {ended_program.blocked_text} [counsel to check]."
        elif ended_program.in_force_from:
            program_note += f"; {ended_program.in_force_text}."
        else:
            program_note += "."
    ends = parole.ends_on
    terminated_on = parole.terminated_on if parole.terminated_on and parole.terminated_on <= on else None
    expired = ends is not None and ends < on
    if parole.terminated or expired or program_end is not None:
        candidates = [d for d in (terminated_on, ends if expired else None, program_end) if d is not None]
        ended_on = min(candidates) if candidates else None
        if parole.terminated:
            when = f" on {terminated_on.isoformat()}" if terminated_on else ""
            head = f"Parole{program} was terminated{when}."
        elif expired and ends is not None and (program_end is None or ends <= program_end):
            head = f"Parole{program} ran through {ends.isoformat()} and has ended."
        else:
            head = f"Parole{program} ended with the program."
        return Verdict.met(
            head + program_note + _before_two_years(parole.paroled_on or entry.last_entry_on, ended_on),
            "entry.manner",
            at,
        )
    if ends is not None:
        return Verdict.not_met(
            f"Parole{program} runs through {ends.isoformat()}. DHS guidance of 2025-01-23 allows "
            "terminating active parole: screen again when it ends or if a termination notice arrives.",
            "entry.manner",
            at,
        )
    missing = (f"{at}.ends_on",) if parole.terminated is False else (f"{at}.ends_on", f"{at}.terminated")
    return Verdict.unknown(f"Paroled{program}; when the parole ends is not known.", missing, "entry.manner")


def _before_two_years(start: date | None, ended_on: date | None) -> str:
    """Whether parole ended before the person reached two years' presence since the parole."""
    if ended_on is None or start is None:
        return ""
    two_years = add_years(start, 2)
    if ended_on < two_years:
        return (
            f" Parole ended on {ended_on.isoformat()}, before two years from the parole of "
            f"{start.isoformat()} ({two_years.isoformat()}): parole ended before two years is an expedited-removal "
            "trigger, and DHS ended CHNV parole early for that reason."
        )
    return (
        f" Parole lasted past two years from the parole of {start.isoformat()}: whether that protects a former "
        "parolee is unsettled."
    )


def expedited_removal_amenable(facts: CaseFacts, on: date) -> Verdict:
    """Either ER route: entered without inspection without 2 years' proof, or parole ended."""
    lpr = _permanent_resident(facts, on)
    if lpr:
        return lpr
    if facts.entry.manner is EntryManner.PAROLED:
        return parole_exposure(facts, on)
    return entered_without_inspection_exposure(facts, on)


@predicate
def expedited_removal_if_case_ends(
    facts: CaseFacts,
    on: date,
    *,
    actions: list[str] | None = None,
    stayed_from: date | None = None,
    stay_vacated_on: date | None = None,
) -> Verdict:
    """Ending the court case may expose the person to expedited removal: entered without
    inspection and cannot document 2 years' continuous presence. While a court stayed the
    nationwide designation (``stayed_from`` until ``stay_vacated_on``) the reason says so."""
    skip, suffix = gate(facts, actions)
    if skip:
        return skip
    verdict = entered_without_inspection_exposure(facts, on)
    if verdict.outcome is Outcome.MET:
        stayed = ""
        if stayed_from and stay_vacated_on and stayed_from <= on < stay_vacated_on:
            stayed = (
                f" On this date the nationwide designation was stayed ({stayed_from.isoformat()} to "
                f"{stay_vacated_on.isoformat()}, Make the Road NY v. Noem), so exposure away from the border "
                "was narrower; counsel to check."
            )
        verdict = Verdict.met(
            verdict.reason + " If the case is dismissed, ICE may process the person for expedited "
            "removal, with no hearing before a judge." + stayed,
            *verdict.facts_used,
        )
    return with_suffix(verdict, suffix)


@predicate
def parole_ended_if_case_ends(facts: CaseFacts, on: date, *, actions: list[str] | None = None) -> Verdict:
    """Ending the court case may expose a former parolee to expedited removal: the parole ended or
    was terminated."""
    skip, suffix = gate(facts, actions)
    if skip:
        return skip
    verdict = parole_exposure(facts, on)
    if verdict.outcome is Outcome.MET:
        verdict = Verdict.met(
            verdict.reason + " DHS guidance of 2025-01-23 tells officers to consider ending the court "
            "case and applying expedited removal; coverage by the CHIRLA v. Noem stay (port-of-entry "
            "parolees) is for counsel to check.",
            *verdict.facts_used,
        )
    return with_suffix(verdict, suffix)


def _asylum_in_court(facts: CaseFacts, on: date) -> bool | None:
    """An asylum application pending in court on ``on`` (one filed later does not count yet)."""
    apps = facts.proceedings.pending_applications
    if apps is None:
        return None
    return any(
        a.kind is ApplicationKind.ASYLUM
        and a.forum in (Forum.COURT, None)
        and a.approved is not True
        and (a.filed_on is None or a.filed_on <= on)
        for a in apps
    )


def refiling_note(on: date, refiling_from: date | None) -> str:
    """What happens to an I-589 pending in court when the case is dismissed, as known on ``on``."""
    if refiling_from is not None and on >= refiling_from:
        return (
            " If the case is dismissed, refile the I-589 with the USCIS lockbox with the dismissal order and the "
            "old receipt: USCIS keeps the original filing date for the one-year deadline and the work-permit "
            f"clock (procedure in effect since {refiling_from.isoformat()})."
        )
    return " Whether its filing date survives a later filing with USCIS is not confirmed for this date [UNVERIFIED]."


@predicate
def asylum_exposed_if_case_ends(
    facts: CaseFacts, on: date, *, actions: list[str] | None = None, refiling_from: date | None = None
) -> Verdict:
    """Ending the court case puts an asylum claim at risk: an asylum application pending in court,
    or a missed one-year deadline in a person amenable to expedited removal. From ``refiling_from``
    the reason gives the USCIS refiling procedure that keeps the original filing date."""
    skip, suffix = gate(facts, actions)
    if skip:
        return skip
    pending = _asylum_in_court(facts, on)
    if pending:
        return with_suffix(
            Verdict.met(
                "An asylum application is pending in court. Dismissal ends that case, and with it the "
                "judge's decision on the claim." + refiling_note(on, refiling_from),
                "proceedings.pending_applications",
            ),
            suffix,
        )
    last, _ = last_arrival(facts, on)
    filed = facts.fear.asylum_filed_on
    if filed is not None and filed > on:
        filed = None  # filed after the screening date: not yet filed on that date
    if filed is None and facts.fear.fears_return is False:
        return with_suffix(
            Verdict.not_met(
                "No asylum application pending in court and the person does not fear return.",
                "proceedings.pending_applications",
                "fear.fears_return",
            ),
            suffix,
        )
    missing = []
    if last is None:
        missing.append("entry.last_entry_on")
    if filed is None and facts.fear.fears_return is None:
        missing.append("fear.fears_return")
    if missing:
        if pending is None:
            missing.append("proceedings.pending_applications")
        return with_suffix(
            Verdict.unknown("Cannot tell whether an asylum claim or its deadline is at stake.", missing),
            suffix,
        )
    assert last is not None
    deadline = asylum_deadline(last)
    if (filed or on) <= deadline:
        return with_suffix(
            Verdict.not_met(
                f"No asylum application pending in court, and the one-year deadline ({deadline.isoformat()}) "
                "was met or has not passed.",
                "entry.last_entry_on",
                "fear.asylum_filed_on",
            ),
            suffix,
        )
    amenable = expedited_removal_amenable(facts, on)
    text = (
        f"The one-year asylum deadline from the last arrival ({last.isoformat()}) passed on "
        f"{deadline.isoformat()} {'before the filing on ' + filed.isoformat() if filed else 'with no filing'}."
        " DHS guidance of 2025-01-23 lets officers prioritize for expedited removal people who missed it."
    )
    if amenable.outcome is Outcome.MET:
        return with_suffix(Verdict.met(f"{text} {amenable.reason}", *amenable.facts_used), suffix)
    if amenable.outcome is Outcome.UNKNOWN:
        return with_suffix(
            Verdict.unknown(f"{text} {amenable.reason}", amenable.missing, *amenable.facts_used), suffix
        )
    return with_suffix(Verdict.not_met(f"{text} But: {amenable.reason}", *amenable.facts_used), suffix)


@predicate
def dhs_may_move_to_dismiss(facts: CaseFacts, on: date) -> Verdict:
    """The person is in proceedings and amenable to expedited removal, so DHS may itself move
    (even orally) to dismiss in order to apply expedited removal."""
    in_court = facts.proceedings.in_proceedings
    if in_court is False:
        return Verdict.not_met("Not in removal proceedings.", "proceedings.in_proceedings")
    amenable = expedited_removal_amenable(facts, on)
    if amenable.outcome is Outcome.NOT_MET:
        return Verdict.not_met(
            f"Not amenable to expedited removal on these facts: {amenable.reason}", *amenable.facts_used
        )
    if in_court is None or amenable.outcome is Outcome.UNKNOWN:
        missing = (*(("proceedings.in_proceedings",) if in_court is None else ()), *amenable.missing)
        return Verdict.unknown(
            f"Cannot tell whether DHS could seek dismissal to apply expedited removal. {amenable.reason}",
            missing,
            "proceedings.in_proceedings",
            *amenable.facts_used,
        )
    return Verdict.met(
        f"{amenable.reason} Whatever you ask for, DHS may move to dismiss (from May 2025 such motions "
        "were made orally at hearings) and ICE may then apply expedited removal: prepare an opposition "
        "(the judge must adjudicate the motion, Matter of H. N. Ferreira).",
        "proceedings.in_proceedings",
        *amenable.facts_used,
    )


@predicate
def expedited_removal_expansion_in_effect(
    facts: CaseFacts, on: date, *, designated_on: date, stayed_from: date, stay_vacated_on: date
) -> Verdict:
    """The nationwide expedited-removal designation is in effect on the screening date and the
    person is amenable to it (not admitted or paroled without 2 years' proof, or parole ended)."""
    if on < designated_on:
        return Verdict.not_met(f"The expanded designation took effect on {designated_on.isoformat()}.")
    if stayed_from <= on < stay_vacated_on:
        return Verdict.not_met(
            f"The nationwide expansion was stayed from {stayed_from.isoformat()} until "
            f"{stay_vacated_on.isoformat()} (Make the Road NY v. Noem); screen again if that changes."
        )
    amenable = expedited_removal_amenable(facts, on)
    status = (
        f"The expansion is back in effect since {stay_vacated_on.isoformat()} (D.C. Cir., Make the Road NY "
        "v. Mullin; news-level; further review unknown)."
        if on >= stay_vacated_on
        else f"The expanded designation is in effect since {designated_on.isoformat()}."
    )
    if amenable.outcome is Outcome.MET:
        return Verdict.met(f"{status} {amenable.reason}", *amenable.facts_used)
    if amenable.outcome is Outcome.UNKNOWN:
        return Verdict.unknown(f"{status} {amenable.reason}", amenable.missing, *amenable.facts_used)
    return Verdict.not_met(f"{status} Not amenable on these facts: {amenable.reason}", *amenable.facts_used)


# The policy loader calls `check_params`, so a misspelt action in data is a load error.
for _gated in (expedited_removal_if_case_ends, parole_ended_if_case_ends, asylum_exposed_if_case_ends):
    setattr(_gated, "check_params", check_actions)  # noqa: B010
