"""The reach of the 2025-2026 regime, and protections that ended or changed (domain digest §1.9, §9).

* EO 14159 directs enforcement against all inadmissible and removable people: no one is outside
  enforcement by category, and the screen says so plainly;
* TPS terminations by country (``data/tps.yaml``): a person whose TPS ended loses it on the date;
* asylum pretermission (EOIR PM 25-28): a judge may deny an I-589 without a hearing;
* *Matter of Delcarmen-Lara* (BIA 2026-08-13): leaving on advance parole is a departure for the
  unlawful-presence bars, overruling *Arrabally*.
"""

from __future__ import annotations

from datetime import date

from discretion.facts import ApplicationKind, CaseFacts, EntryManner, TPSStatus
from discretion.predicates import Verdict, predicate
from discretion.predicates.detention import permanent_resident_since
from discretion.predicates.expedited_removal import _asylum_in_court
from discretion.predicates.protection import asylum_deadline, last_arrival
from discretion.programs import tps_table


@predicate
def enforcement_against_all_removable(facts: CaseFacts, on: date, *, since: date) -> Verdict:
    """Every removable person may be subject to enforcement: EO 14159 directs the faithful execution
    of the immigration laws against all inadmissible and removable people, with no category exempt."""
    if on < since:
        return Verdict.not_met(
            f"Executive Order 14159 was signed on {since.isoformat()}, after {on.isoformat()}."
        )
    text = (
        f"Since {since.isoformat()} (Executive Order 14159) the immigration laws are enforced against all "
        "inadmissible and removable people: no one is exempt by category, so every removable person, this one "
        "included, may be arrested, detained and placed in removal proceedings or, where it applies, expedited "
        "removal. Prosecutorial discretion survives only case by case, on the person's own facts."
    )
    lpr = permanent_resident_since(facts, on)
    if lpr:
        text += (
            f" A permanent resident (since {lpr.isoformat()}) is removable only on a ground of deportability that "
            "DHS can prove."
        )
    return Verdict.met(text, *(("immigration_history.lpr_since",) if lpr else ()))


def _tps(facts: CaseFacts, on: date) -> tuple[bool | None, str | None, tuple[str, ...]]:
    """Whether the person holds (or has applied for) TPS, for which country, and the paths read.

    The case's own TPS record decides; a TPS application in the applications list is read only
    when that record is empty (files written before it existed)."""
    tps = facts.tps
    if tps.status is not None:
        holds = tps.status in (TPSStatus.GRANTED, TPSStatus.PENDING, TPSStatus.EXPIRED)
        # TPS follows nationality (or, for a stateless person, last habitual residence).
        country = tps.country or (facts.identity.citizenship[0] if facts.identity.citizenship else None)
        return holds, country, ("tps.status", "tps.country")
    apps = facts.proceedings.pending_applications
    if apps is None:
        return None, None, ("tps.status",)
    found = [a for a in apps if a.kind is ApplicationKind.TPS and (a.filed_on is None or a.filed_on <= on)]
    if not found:
        return False, None, ("tps.status", "proceedings.pending_applications")
    country = tps.country or (facts.identity.citizenship[0] if facts.identity.citizenship else None)
    return True, country, ("proceedings.pending_applications", "tps.country", "identity.citizenship")


@predicate
def tps_protection_ended(facts: CaseFacts, on: date, *, challenges_barred_on: date) -> Verdict:
    """The person's TPS has ended: the country's designation was terminated, by the dated table of
    terminations (data/tps.yaml). A termination in force takes the protection away on its date."""
    lpr = permanent_resident_since(facts, on)
    if lpr and facts.tps.status is None:
        return Verdict.not_met(
            f"A permanent resident since {lpr.isoformat()} does not depend on TPS.",
            "immigration_history.lpr_since",
        )
    holds, country, used = _tps(facts, on)
    if holds is None:
        return Verdict.unknown("Not known whether the person has TPS (applications are not known).", used)
    if not holds:
        return Verdict.not_met("No TPS application or grant on record.", *used)
    if country is None:
        return Verdict.unknown(
            "TPS is on record, but the country of nationality is not known.", ("identity.citizenship",), *used
        )
    status = tps_table().status(country, on)
    text = status.text
    mark = f" {status.confidence.mark}" if status.confidence.is_unsure else ""
    valid_until = facts.tps.valid_until
    if status.ended is not True and valid_until is not None and valid_until < on:
        # The person's own papers ran out: a designation still in force may have been extended.
        text += (
            f" The person's TPS papers show validity only until {valid_until.isoformat()}: check for an "
            "extension or a re-registration period."
        )
        return Verdict.met(text + mark, *used, "tps.valid_until")
    if status.ended is None:
        return Verdict.unknown(text + mark, (), *used)
    if not status.ended:
        return Verdict.not_met(text + mark, *used)
    text += (
        " The person loses that protection and stands as anyone without status: any work permit based on TPS "
        "ends with it."
    )
    if facts.entry.manner is EntryManner.WITHOUT_INSPECTION:
        text += " Entered without inspection: the no-bond position for such entrants applies if ICE detains."
    if on >= challenges_barred_on:
        text += (
            f" Since {challenges_barred_on.isoformat()} (Mullin v. Doe / Trump v. Miot) only constitutional "
            "challenges to a TPS termination can be brought."
        )
    return Verdict.met(text + mark, *used, "entry.manner")


@predicate
def asylum_may_be_pretermitted(facts: CaseFacts, on: date, *, memo_from: date) -> Verdict:
    """An asylum application pending in court may be pretermitted, denied without a hearing, when no
    facts are disputed (no nexus, the one-year bar, a criminal bar): EOIR PM 25-28."""
    if facts.proceedings.in_proceedings is False:
        return Verdict.not_met("No removal case is pending.", "proceedings.in_proceedings")
    pending = _asylum_in_court(facts, on)
    if pending is None:
        return Verdict.unknown(
            "Applications pending in court are not known.", ("proceedings.pending_applications",)
        )
    if not pending:
        return Verdict.not_met("No asylum application pending in court.", "proceedings.pending_applications")
    if on < memo_from:
        return Verdict.not_met(
            f"EOIR PM 25-28 (pretermission without a hearing) dates from {memo_from.isoformat()}, after {on.isoformat()}.",
            "proceedings.pending_applications",
        )
    text = (
        f"An asylum application is pending in court: since {memo_from.isoformat()} (EOIR PM 25-28) the judge may "
        "pretermit it, deny it without a hearing, when no facts are disputed (no nexus to a protected ground, the "
        "one-year bar, a criminal bar). Put the disputed facts and any exception on the record (declaration, "
        "evidence, a brief) before the next hearing."
    )
    used = ["proceedings.pending_applications"]
    last, _ = last_arrival(facts, on)
    filed = facts.fear.asylum_filed_on
    fear = facts.fear
    exception = fear.changed_circumstances or fear.extraordinary_circumstances or fear.unaccompanied_child
    if last is not None and filed is not None and filed > asylum_deadline(last) and not exception:
        text += (
            f" On these facts the application (filed {filed.isoformat()}) came after the one-year deadline "
            f"({asylum_deadline(last).isoformat()}) and no exception is recorded: the one-year bar is the likeliest "
            "ground for pretermission."
        )
        used += ["entry.last_entry_on", "fear.asylum_filed_on"]
    return Verdict.met(text, *used)


_ADVANCE_PAROLE_GROUPS = {
    ApplicationKind.ADJUSTMENT: "adjustment of status",
    ApplicationKind.TPS: "TPS",
    ApplicationKind.ASYLUM: "asylum",
    ApplicationKind.DACA: "DACA",
}


@predicate
def advance_parole_departure(facts: CaseFacts, on: date, *, decided_on: date) -> Verdict:
    """Travel on advance parole counts as a departure for the unlawful-presence bars (INA
    §212(a)(9)(B)(i)): Matter of Delcarmen-Lara (BIA 2026-08-13), overruling Matter of Arrabally. Concerns
    people with unlawful presence who may travel on advance parole (DACA, TPS, pending applications)."""
    apps = facts.proceedings.pending_applications or []
    groups = sorted(
        {_ADVANCE_PAROLE_GROUPS[a.kind] for a in apps if a.kind in _ADVANCE_PAROLE_GROUPS}
        | ({"DACA"} if facts.immigration_history.ever_had_daca else set())
    )
    if not groups:
        if facts.proceedings.pending_applications is None and facts.immigration_history.ever_had_daca is None:
            return Verdict.unknown(
                "Not known whether the person has DACA or an application that allows travel on advance parole.",
                ("proceedings.pending_applications", "immigration_history.ever_had_daca"),
            )
        return Verdict.not_met(
            "No DACA, TPS or pending application on record that would lead to travel on advance parole.",
            "proceedings.pending_applications",
            "immigration_history.ever_had_daca",
        )
    used = (
        "proceedings.pending_applications",
        "immigration_history.ever_had_daca",
        "entry.manner",
        "entry.visa_overstay",
    )
    manner, overstay = facts.entry.manner, facts.entry.visa_overstay
    unlawful = manner is EntryManner.WITHOUT_INSPECTION or overstay is True
    if not unlawful:
        if manner is None or (manner is EntryManner.ADMITTED and overstay is None):
            return Verdict.unknown(
                "Whether the person accrued unlawful presence (entry without inspection or an overstay) is not known.",
                tuple(
                    p for p, v in (("entry.manner", manner), ("entry.visa_overstay", overstay)) if v is None
                ),
                *used,
            )
        return Verdict.not_met(
            "No unlawful presence on these facts (no entry without inspection, no overstay).", *used
        )
    if on < decided_on:
        return Verdict.not_met(
            f"Before {decided_on.isoformat()} (Matter of Arrabally) travel on advance parole was not a departure for "
            "the unlawful-presence bars.",
            *used,
        )
    return Verdict.met(
        f"{' and '.join(groups)} on record and unlawful presence on these facts. Since {decided_on.isoformat()} "
        "(Matter of Delcarmen-Lara, overruling Arrabally) leaving the U.S. on advance parole is a departure for "
        "INA §212(a)(9)(B)(i): after more than 180 days of unlawful presence it brings the 3-year bar, after a year "
        "the 10-year bar. Do not travel on advance parole without counsel's advice.",
        *used,
    )
