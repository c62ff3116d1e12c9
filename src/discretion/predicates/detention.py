"""Detention risks of the 2025-2026 regime: detention the person cannot be bonded out of.

Two routes, each from domain digest §9.1:

* the Laken Riley Act (signed 2025-01-29) makes detention mandatory (INA §236(c)(1)(E)) for a
  person inadmissible under §212(a)(6)(A), (6)(C) or (7) who is charged with, arrested for,
  convicted of, or admits burglary, theft, larceny, shoplifting, assault of a law-enforcement
  officer, or a crime causing death or serious bodily injury: arrests and pending charges count,
  not only convictions;
* since ICE's guidance of 2025-07-08 (adopted by the BIA in Matter of Yajure Hurtado) a person who
  entered without inspection is held under §235(b)(2)(A) with no bond hearing; the courts of
  appeals split over it, so the reason names the position of the case's circuit, taken from the
  court through ``data/circuits.yaml``, or says it is unsettled.

A permanent resident was admitted: neither route reaches them on these grounds.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from discretion.circuits import circuits
from discretion.facts import CaseFacts, Disposition, EntryManner, Harm, OffenceCategory
from discretion.predicates import Verdict, predicate
from discretion.predicates.risks import words

# The Laken Riley offences that the case model names as categories. "Assault of a law-enforcement
# officer" and "a crime causing death or serious bodily injury" have no category of their own:
# a violent offence is asked about instead of assumed either way.
_LRA_CATEGORIES = {
    OffenceCategory.BURGLARY: "burglary",
    OffenceCategory.THEFT: "theft, larceny or shoplifting",
}
_DISPOSITION_WORDS = {
    Disposition.CONVICTED: "convicted",
    Disposition.PENDING: "charged, pending",
    Disposition.DISMISSED: "arrested or charged, later dismissed",
    Disposition.ACQUITTED: "arrested or charged, acquitted",
    Disposition.VACATED: "conviction vacated",
    Disposition.EXPUNGED: "expunged",
    Disposition.DEFERRED: "deferred adjudication",
    Disposition.NO_CHARGE: "arrested, never charged",
    Disposition.ARRESTED: "arrested, no charging decision known",
}


def permanent_resident_since(facts: CaseFacts, on: date) -> date | None:
    """The date the person became a permanent resident, when that is on or before ``on``."""
    since = facts.immigration_history.lpr_since
    return since if since is not None and since <= on else None


def _inadmissibility(facts: CaseFacts, on: date) -> tuple[str | None, tuple[str, ...]]:
    """The §212(a) ground of the Laken Riley Act the facts point to, or None when none does.

    Returns the ground in words (None: no ground; "" : not known) and the paths read.
    """
    fraud = facts.immigration_history.immigration_fraud
    if fraud:
        return "§212(a)(6)(C) (fraud or misrepresentation)", ("immigration_history.immigration_fraud",)
    if permanent_resident_since(facts, on):
        return None, ("immigration_history.lpr_since",)
    manner = facts.entry.manner
    if manner is EntryManner.WITHOUT_INSPECTION:
        return "§212(a)(6)(A) (present without admission or parole)", ("entry.manner",)
    if manner is EntryManner.PAROLED:
        return (
            "§212(a)(7) (no valid entry document), which DHS may charge against a parolee as an applicant "
            "for admission [counsel to check]",
            ("entry.manner",),
        )
    if manner is EntryManner.ADMITTED:
        return None, ("entry.manner", "immigration_history.immigration_fraud")
    return "", ("entry.manner",)


def _who(facts: CaseFacts, on: date) -> str:
    lpr = permanent_resident_since(facts, on)
    if lpr:
        return f"A permanent resident since {lpr.isoformat()}"
    manner = facts.entry.manner
    return f"Last entry {words(manner.value) if manner else 'not known'}"


@predicate
def mandatory_detention_laken_riley(facts: CaseFacts, on: date, *, enacted_on: date) -> Verdict:
    """Mandatory detention under the Laken Riley Act (INA §236(c)(1)(E)): a person inadmissible under
    §212(a)(6)(A), (6)(C) or (7) who was charged with, arrested for, convicted of, or admits burglary,
    theft, larceny or shoplifting (or assault of an officer, or a crime causing death or serious bodily
    injury). Arrests and charges count, whatever their outcome."""
    if on < enacted_on:
        return Verdict.not_met(
            f"The Laken Riley Act was signed on {enacted_on.isoformat()}, after {on.isoformat()}."
        )
    ground, paths = _inadmissibility(facts, on)
    if ground is None:
        # Settled without the criminal record: no Laken Riley ground of inadmissibility applies.
        return Verdict.not_met(
            f"{_who(facts, on)} and no fraud found: not inadmissible under §212(a)(6)(A), (6)(C) or (7) on these "
            "facts, so the Laken Riley Act's mandatory detention does not reach the person (other mandatory "
            "detention grounds are for counsel).",
            *paths,
        )
    events = facts.criminal_history
    if events is None:
        return Verdict.unknown(
            "The person's arrests, charges and convictions are not known: under the Laken Riley Act an arrest "
            "or a charge for theft, shoplifting or burglary is enough for mandatory detention.",
            ("criminal_history",),
        )
    hits: list[str] = []
    used: list[str] = []
    violent: list[str] = []
    for i, event in enumerate(events):
        happened = event.arrested_on or event.charged_on or event.convicted_on or event.offence_on
        if happened is not None and happened > on:
            continue
        kinds = [_LRA_CATEGORIES[c] for c in event.categories if c in _LRA_CATEGORIES]
        outcome = (
            _DISPOSITION_WORDS.get(event.disposition, "outcome not given")
            if event.disposition
            else "outcome not given"
        )
        if event.admits_elements:
            outcome += "; the person admits the acts"
        if kinds:
            hits.append(f"{event.offence} ({', '.join(kinds)}; {outcome})")
            used.append(f"criminal_history[{i}]")
        elif OffenceCategory.VIOLENT in event.categories:
            if event.harm is Harm.SERIOUS:
                # The record shows serious harm: the Act's "death or serious bodily injury" is for
                # state law and counsel, so the reason says so rather than treating it as settled.
                hits.append(
                    f"{event.offence} (violent, serious harm on the record: a crime causing serious bodily injury "
                    f"if state law so defines it [counsel to check]; {outcome})"
                )
                used.append(f"criminal_history[{i}]")
            else:
                violent.append(f"criminal_history[{i}]")
    if not hits and not violent:
        return Verdict.not_met(
            "No arrest, charge or conviction for an offence the Laken Riley Act names (burglary, theft, larceny, "
            "shoplifting, assault of an officer, a crime causing death or serious bodily injury).",
            "criminal_history",
        )
    if ground == "":
        return Verdict.unknown(
            "An offence the Laken Riley Act names is on record; whether the person is inadmissible under "
            "§212(a)(6)(A), (6)(C) or (7) depends on how they last entered.",
            ("entry.manner",),
            "criminal_history",
            *paths,
        )
    if not hits:
        unknown_harm = [
            f"{path}.harm"
            for path in violent
            if events[int(path.split("[")[1].rstrip("]"))].harm in (None, Harm.UNKNOWN)
        ]
        return Verdict.unknown(
            "A violent offence is on record: the Laken Riley Act covers assault of a law-enforcement officer and "
            "a crime causing death or serious bodily injury. Counsel to say whether this one is such an offence "
            "(the police report and the charging document show who was hurt and how).",
            tuple(unknown_harm) or tuple(violent),
            *violent,
            *paths,
        )
    return Verdict.met(
        f"Inadmissible under {ground}, and on record: {'; '.join(hits)}. Under the Laken Riley Act (since "
        f"{enacted_on.isoformat()}) an arrest or charge is enough, even if later dismissed: if ICE detains the "
        "person, detention is mandatory and an immigration judge decides only whether the person is properly "
        "included. State law defines the offences.",
        *used,
        *paths,
    )


@predicate
def no_bond_hearing_entered_without_inspection(
    facts: CaseFacts,
    on: date,
    *,
    guidance_from: date,
    bia_from: date,
    class_judgment_on: date,
    class_bia_vacated_on: date,
    certiorari_sought_on: date,
) -> Verdict:
    """If detained, no bond hearing: since ICE's 2025-07-08 guidance (and Matter of Yajure Hurtado) a
    person who entered without inspection is held under INA §235(b)(2)(A). The courts of appeals are
    split, so the reason names the circuit of the case's immigration court and its position."""
    lpr = permanent_resident_since(facts, on)
    if lpr:
        return Verdict.not_met(
            f"A permanent resident since {lpr.isoformat()} was admitted: the no-bond position for people who "
            "entered without inspection does not apply.",
            "immigration_history.lpr_since",
        )
    manner = facts.entry.manner
    if manner is None:
        return Verdict.unknown("How the person last entered is not known.", ("entry.manner",))
    if manner is not EntryManner.WITHOUT_INSPECTION:
        return Verdict.not_met(
            f"Last entry was {words(manner.value)}: the no-bond position concerns people who entered without "
            "inspection.",
            "entry.manner",
        )
    if on < guidance_from:
        return Verdict.not_met(
            f"ICE's guidance ending bond hearings for people who entered without inspection dates from "
            f"{guidance_from.isoformat()}, after {on.isoformat()}.",
            "entry.manner",
        )
    text = (
        f"Entered without inspection: since {guidance_from.isoformat()} ICE treats the person as detained under "
        "INA §235(b)(2)(A), releasable only on parole, with no bond hearing before an immigration judge"
    )
    if on >= bia_from:
        text += f"; the BIA adopted that reading in Matter of Yajure Hurtado ({bia_from.isoformat()})"
    text += "."
    if on >= class_judgment_on:
        text += (
            f" A nationwide class (Maldonado Bautista v. Santacruz, C.D. Cal.) won a judgment on "
            f"{class_judgment_on.isoformat()} vacating the July 2025 guidance"
        )
        if on >= class_bia_vacated_on:
            text += (
                f", and on {class_bia_vacated_on.isoformat()} an order vacating Yajure Hurtado for the class"
            )
        text += " [partly confirmed]; whether the person is a class member is for counsel."
    text += " " + _circuit_sentence(facts.proceedings.court, on)
    if on >= certiorari_sought_on:
        text += f" Supreme Court review was reportedly sought on {certiorari_sought_on.isoformat()} [partly confirmed]."
    if facts.proceedings.detained:
        text += " The person is detained now."
    return Verdict.met(text, "entry.manner", "proceedings.court", "proceedings.detained")


@lru_cache(maxsize=4096)
def _circuit_sentence(court: str | None, on: date) -> str:
    """The circuit of the court and its bond position on ``on``, with the split as it stood then.

    Cached: a docket asks it for the same few courts and one date, case after case."""
    table = circuits()
    found = table.for_court(court)
    known = [p for p in table.meta.bond_positions if p.known_from <= on]
    no = sorted({_ordinal(p.circuit) for p in known if not p.bond_hearing}, key=_order)
    yes = sorted({_ordinal(p.circuit) for p in known if p.bond_hearing}, key=_order)
    if no or yes:
        split = (
            f"The circuits are split: {_join(no) or 'none'} side with ICE; bond hearings are reported available in "
            f"{_join(yes) or 'none'} [partly confirmed]; elsewhere the question is unsettled."
        )
    else:
        split = "No court of appeals had decided the question by this date."
    if found.circuit is None:
        return f"The circuit cannot be named ({found.message}), so its position is not shown. {split}"
    position = table.position(found.circuit, on)
    mark = f" {found.confidence.mark}" if found.confidence.is_unsure else ""
    where = f"{found.court} is in the {found.circuit.name}{mark}"
    if found.moved:
        # The court was reached through a place whose cases it took: the detention facility, where
        # a habeas petition is filed, may sit in another circuit.
        where = (
            f"{found.message}. {where}; the place of detention may be in another circuit: counsel to check"
        )
    if position is None:
        return f"{where}, where the question is unsettled on this date. {split}"
    return (
        (
            f"{where}: {position.holding} (on record from {position.known_from.isoformat()}) "
            f"{position.confidence.mark}. {split}"
        )
        .replace("  ", " ")
        .replace(" .", ".")
    )


def _ordinal(circuit_id: str) -> str:
    if not circuit_id.isdigit():
        return circuit_id.upper()
    n = int(circuit_id)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "d", 3: "d"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _order(name: str) -> int:
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else 99


def _join(names: list[str]) -> str:
    """``["5th", "8th"]`` -> "the 5th and 8th Circuits"; empty -> ""."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"the {listed} Circuit{'s' if len(names) > 1 else ''}"
