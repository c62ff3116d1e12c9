"""Predicates about the person's immigration history: orders, removals, re-entry, fraud, abuse
of visa or benefit programs.

Screens are as of a date ``on``: a final order or a removal dated after ``on`` had not happened
yet and does not count.

These feed the "fugitive / obstructs immigration controls" priorities (Morton 2011 P3, Johnson
2014 P3, EO 13768 sec. 5(d)-(f)) and the unfavourable immigration-history factors.
"""

from __future__ import annotations

from datetime import date

from discretion.facts import CaseFacts, OffenceCategory, Removal
from discretion.predicates import Verdict, predicate, unknown_paths
from discretion.predicates.criminal import as_of


def order_later(facts: CaseFacts, on: date) -> bool:
    """The recorded final order is dated after ``on``."""
    when = facts.immigration_history.final_order_on
    return bool(facts.immigration_history.final_order) and when is not None and when > on


def _later_order(facts: CaseFacts, on: date) -> Verdict:
    when = facts.immigration_history.final_order_on
    assert when is not None
    return Verdict.not_met(
        f"The final order of removal is dated {when.isoformat()}, after {on.isoformat()}.",
        "immigration_history.final_order_on",
    )


def removals_by(facts: CaseFacts, on: date) -> list[Removal] | None:
    """Prior removals that had happened by ``on`` (undated ones are kept)."""
    removals = facts.immigration_history.prior_removals
    if removals is None:
        return None
    return [r for r in removals if r.removed_on is None or r.removed_on <= on]


@predicate
def final_order_on_or_after(facts: CaseFacts, on: date, *, date: date) -> Verdict:
    """The person has a final order of removal issued on or after ``date``."""
    history = facts.immigration_history
    if history.final_order is None:
        return Verdict.unknown(
            "Not known whether there is a final order of removal.", ("immigration_history.final_order",)
        )
    if not history.final_order:
        return Verdict.not_met("No final order of removal.", "immigration_history.final_order")
    if order_later(facts, on):
        return _later_order(facts, on)
    if history.final_order_on is None:
        return Verdict.unknown(
            "There is a final order of removal, but its date is not known.",
            ("immigration_history.final_order_on",),
            "immigration_history.final_order",
        )
    text = f"Final order of removal dated {history.final_order_on.isoformat()} (cut-off {date.isoformat()})."
    if history.final_order_on >= date:
        return Verdict.met(text, "immigration_history.final_order_on")
    return Verdict.not_met(text, "immigration_history.final_order_on")


@predicate
def final_order_not_departed(facts: CaseFacts, on: date) -> Verdict:
    """The person is subject to a final order of removal and has not departed as required."""
    history = facts.immigration_history
    if history.final_order is None:
        return Verdict.unknown(
            "Not known whether there is a final order of removal.", ("immigration_history.final_order",)
        )
    if not history.final_order:
        return Verdict.not_met("No final order of removal.", "immigration_history.final_order")
    if order_later(facts, on):
        return _later_order(facts, on)
    dated = f" dated {history.final_order_on.isoformat()}" if history.final_order_on else ""
    if history.failed_to_depart is None:
        return Verdict.unknown(
            f"Final order of removal{dated}; not known whether the person failed to depart.",
            ("immigration_history.failed_to_depart",),
            "immigration_history.final_order",
        )
    if history.failed_to_depart:
        return Verdict.met(
            f"Final order of removal{dated}, and the person did not depart.",
            "immigration_history.final_order",
            "immigration_history.failed_to_depart",
        )
    return Verdict.not_met(
        f"Final order of removal{dated}, but no failure to depart is recorded.",
        "immigration_history.failed_to_depart",
    )


@predicate
def reentered_after_removal(facts: CaseFacts, on: date) -> Verdict:
    """The person re-entered the United States unlawfully after a removal."""
    removals = facts.immigration_history.prior_removals or []
    dates = ", ".join(r.removed_on.isoformat() for r in removals if r.removed_on)
    after = f" (removed {dates})" if dates else ""
    if removals and all(r.removed_on and r.removed_on > on for r in removals):
        return Verdict.not_met(
            f"Every recorded removal{after} is after {on.isoformat()}.",
            "immigration_history.prior_removals",
        )
    return Verdict.of(
        facts.immigration_history.reentered_after_removal,
        "immigration_history.reentered_after_removal",
        f"Re-entered after removal{after}.",
        "No re-entry after removal.",
        "Not known whether the person re-entered after a removal.",
    )


@predicate
def prior_removal(facts: CaseFacts, on: date) -> Verdict:
    """The person has been removed (including expedited removal) at least once before."""
    removals = removals_by(facts, on)
    if removals is None:
        return Verdict.unknown(
            "Prior removals have not been entered.", ("immigration_history.prior_removals",)
        )
    real = [r for r in removals if r.kind in ("removal", "expedited_removal")]
    if not real:
        return Verdict.not_met(f"No prior removal by {on.isoformat()}.", "immigration_history.prior_removals")
    dates = ", ".join(r.removed_on.isoformat() if r.removed_on else "date unknown" for r in real)
    return Verdict.met(f"{len(real)} prior removal(s): {dates}.", "immigration_history.prior_removals")


@predicate
def immigration_fraud(facts: CaseFacts, on: date, *, include_fraud_convictions: bool = False) -> Verdict:
    """The person obtained or sought an immigration benefit by fraud or wilful misrepresentation;
    with ``include_fraud_convictions``, any fraud conviction counts as misrepresentation to an
    agency too."""
    value = facts.immigration_history.immigration_fraud
    if value:
        return Verdict.met(
            "Immigration fraud or misrepresentation is recorded.", "immigration_history.immigration_fraud"
        )
    if include_fraud_convictions and facts.criminal_history:
        frauds = [
            e.offence
            for e in facts.criminal_history
            if OffenceCategory.FRAUD in e.categories and as_of(e, on) is not None
        ]
        if frauds:
            return Verdict.met(f"Fraud offence(s) on record: {'; '.join(frauds)}.", "criminal_history")
    if value is None:
        return Verdict.unknown(
            "Not known whether immigration fraud is alleged.", ("immigration_history.immigration_fraud",)
        )
    return Verdict.not_met(
        "No immigration fraud or misrepresentation recorded.", "immigration_history.immigration_fraud"
    )


@predicate
def visa_program_abuse(facts: CaseFacts, on: date) -> Verdict:
    """The person significantly abused the visa or visa-waiver programs."""
    return Verdict.of(
        facts.immigration_history.visa_program_abuse,
        "immigration_history.visa_program_abuse",
        "Abuse of the visa or visa-waiver programs is recorded.",
        "No abuse of the visa or visa-waiver programs recorded.",
        "Not known whether the visa or visa-waiver programs were abused.",
    )


@predicate
def public_benefits_abuse(facts: CaseFacts, on: date) -> Verdict:
    """The person has abused a program related to the receipt of public benefits."""
    return Verdict.of(
        facts.immigration_history.public_benefits_abuse,
        "immigration_history.public_benefits_abuse",
        "Abuse of a public-benefits program is recorded.",
        "No abuse of a public-benefits program recorded.",
        "Not known whether a public-benefits program was abused.",
    )


@predicate
def adverse_immigration_history(facts: CaseFacts, on: date) -> Verdict:
    """The immigration history includes a prior removal, an outstanding final order, a re-entry
    after removal, missed hearings or fraud."""
    h = facts.immigration_history
    removals = removals_by(facts, on)
    checks = {
        "immigration_history.prior_removals": (
            None if removals is None else bool(removals),
            "prior removal or return",
        ),
        "immigration_history.final_order": (
            False if order_later(facts, on) else h.final_order,
            "outstanding final order",
        ),
        "immigration_history.reentered_after_removal": (
            False if h.prior_removals and not removals else h.reentered_after_removal,
            "re-entry after removal",
        ),
        "immigration_history.missed_hearings": (
            None if h.missed_hearings is None else h.missed_hearings > 0,
            "missed hearing(s)",
        ),
        "immigration_history.immigration_fraud": (h.immigration_fraud, "immigration fraud"),
    }
    found = [label for value, label in checks.values() if value]
    if found:
        used = [p for p, (value, _) in checks.items() if value]
        return Verdict.met("Immigration history includes: " + ", ".join(found) + ".", *used)
    missing = tuple(p for p, (value, _) in checks.items() if value is None)
    if missing:
        return Verdict.unknown("Parts of the immigration history are not known.", missing)
    return Verdict.not_met(
        "No prior removal, final order, re-entry, missed hearing or fraud recorded.", *checks
    )


@predicate
def benefit_fraud_or_smuggling(facts: CaseFacts, on: date) -> Verdict:
    """The person has a history of serious immigration-benefit fraud or of smuggling people."""
    h = facts.immigration_history
    found = [
        label
        for value, label in ((h.immigration_fraud, "immigration-benefit fraud"), (h.smuggling, "smuggling"))
        if value
    ]
    if found:
        return Verdict.met(
            "History of " + " and ".join(found) + ".",
            "immigration_history.immigration_fraud",
            "immigration_history.smuggling",
        )
    missing = unknown_paths(
        ("immigration_history.immigration_fraud", h.immigration_fraud),
        ("immigration_history.smuggling", h.smuggling),
    )
    if missing:
        return Verdict.unknown("Not known whether there is a history of benefit fraud or smuggling.", missing)
    return Verdict.not_met(
        "No benefit fraud or smuggling recorded.",
        "immigration_history.immigration_fraud",
        "immigration_history.smuggling",
    )
