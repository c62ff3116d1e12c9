"""Fear-based protection screens: asylum (with its one-year deadline), withholding and CAT.

Flags for attorney review, never eligibility. The one-year asylum deadline runs from the last
arrival (a return from an absence counts), or from 1997-04-01 if later, and ends on the
anniversary, moved to the next business day when that falls on a weekend (8 CFR 208.4(a)(2)(ii);
not in the digest, so the verdict says so whenever the move matters [UNVERIFIED]).
"""

from __future__ import annotations

from datetime import date, timedelta

from discretion.facts import CaseFacts, EntryManner, OffenceCategory
from discretion.predicates import Verdict, predicate, unknown_paths
from discretion.predicates.relief import Screen, convictions, criminal_history_known, security_bars
from discretion.timeline import add_years, last_entry

Cat = OffenceCategory
_ASYLUM_EPOCH = date(1997, 4, 1)


def last_arrival(facts: CaseFacts, on: date | None = None) -> tuple[date | None, str]:
    """The last arrival in the U.S. as of ``on`` (``timeline.last_entry``: a later return counts)."""
    return last_entry(facts, on)


def _fear(facts: CaseFacts, s: Screen, *, ground: bool) -> None:
    f = facts.fear
    if f.fears_return is False:
        s.misses("the person does not fear return", "fear.fears_return")
    elif f.fears_return is None:
        s.ask("Not known whether the person fears return.", "fear.fears_return")
    else:
        s.meets("fears return", "fear.fears_return")
    if not ground:
        return
    if f.protected_ground is False:
        s.misses(
            "no protected ground (race, religion, nationality, social group, opinion); see CAT",
            "fear.protected_ground",
        )
    elif f.protected_ground is None and f.fears_return is not False:
        s.ask("Not known whether the fear is tied to a protected ground.", "fear.protected_ground")
    elif f.protected_ground:
        s.meets("fear tied to a protected ground", "fear.protected_ground")


@predicate
def asylum_flag(facts: CaseFacts, on: date) -> Verdict:
    """Asylum (INA 208): fear on a protected ground, and filing within 1 year of the last arrival
    unless changed or extraordinary circumstances, or the person is an unaccompanied child."""
    s = Screen("Asylum")
    _fear(facts, s, ground=True)
    security_bars(facts, s)
    last, where = last_arrival(facts, on)
    if last is None:
        s.ask("Date of the last arrival not known.", "entry.last_entry_on")
        return s.verdict()
    deadline = asylum_deadline(last)
    filed = facts.fear.asylum_filed_on
    if filed is not None and filed > on:
        s.notes.append(f"The application dated {filed.isoformat()} was filed after {on.isoformat()}.")
        filed = None
    when = filed or on
    anniversary = add_years(max(last, _ASYLUM_EPOCH), 1)
    if anniversary < when <= deadline:
        s.notes.append(
            f"The anniversary {anniversary.isoformat()} fell on a weekend and the deadline is taken to move to "
            f"{deadline.isoformat()} (8 CFR 208.4(a)(2)(ii), not in the digest) [UNVERIFIED]: counsel to confirm, "
            "or file by the anniversary."
        )
    if when <= deadline:
        done = f"filed {filed.isoformat()}" if filed else "can still be filed"
        s.meets(
            f"within one year of the last arrival {last.isoformat()} (deadline {deadline.isoformat()}; {done})",
            where,
            "fear.asylum_filed_on",
        )
        return s.verdict()
    late = f"one-year deadline {deadline.isoformat()} (from the last arrival {last.isoformat()}) passed"
    f = facts.fear
    if f.unaccompanied_child:
        s.meets(
            f"{late}, but the deadline does not apply to an unaccompanied child (INA 208(a)(2)(E))",
            "fear.unaccompanied_child",
        )
    elif f.changed_circumstances or f.extraordinary_circumstances:
        which = "changed" if f.changed_circumstances else "extraordinary"
        s.meets(
            f"{late}; {which} circumstances may excuse it if filed within a reasonable period",
            f"fear.{which}_circumstances",
        )
    elif None in (f.unaccompanied_child, f.changed_circumstances, f.extraordinary_circumstances):
        s.ask(
            f"The {late}: ask about an exception (unaccompanied child; changed or extraordinary circumstances).",
            *unknown_paths(
                ("fear.unaccompanied_child", f.unaccompanied_child),
                ("fear.changed_circumstances", f.changed_circumstances),
                ("fear.extraordinary_circumstances", f.extraordinary_circumstances),
            ),
        )
    else:
        s.misses(f"{late} with no exception known (see withholding and CAT)", where, "fear.asylum_filed_on")
    if facts.entry.manner in (EntryManner.PAROLED, EntryManner.ADMITTED):
        s.notes.append(
            "Keeping parole, TPS or lawful status until a reasonable period before filing can be an "
            "extraordinary circumstance (8 CFR 208.4(a)(5)(iv))."
        )
    return s.verdict()


def asylum_deadline(last_arrival: date) -> date:
    """The last day to file: one year from the last arrival (or 1997-04-01), moved past a weekend.

    8 CFR 208.4(a)(2)(ii): a period ending on a Saturday, Sunday or legal holiday runs to the next
    business day. Holidays are not modelled, so a weekday deadline may in fact be a day later.
    """
    deadline = add_years(max(last_arrival, _ASYLUM_EPOCH), 1)
    while deadline.weekday() >= 5:
        deadline += timedelta(days=1)
    return deadline


@predicate
def withholding_flag(facts: CaseFacts, on: date) -> Verdict:
    """Withholding of removal (INA 241(b)(3)): life or freedom threatened on a protected ground,
    more likely than not; no one-year deadline; persecutor, particularly-serious-crime and security bars."""
    s = Screen("Withholding of removal")
    _fear(facts, s, ground=True)
    security_bars(facts, s)
    if criminal_history_known(facts, s):
        felonies = [
            (i, e)
            for i, e in convictions(facts, Screen(s.name), on=on)
            if Cat.AGGRAVATED_FELONY in e.categories
        ]
        days = sum(e.sentence_days or 0 for _, e in felonies)
        if days >= 5 * 365:
            s.misses(
                f"aggravated felony sentences total {days} days (5 years or more: a particularly serious crime)",
                "criminal_history",
            )
        elif felonies:
            s.notes.append(
                "An aggravated felony with a shorter sentence may still be a particularly serious crime (case by case)."
            )
    return s.verdict()


@predicate
def cat_flag(facts: CaseFacts, on: date) -> Verdict:
    """Protection under the Convention Against Torture (8 CFR 208.16(c)-208.18): more likely than
    not to be tortured; deferral remains even where withholding is barred."""
    s = Screen("CAT protection")
    t = facts.fear.torture_fear
    if t is None:
        s.ask("Not known whether the person fears torture.", "fear.torture_fear")
    elif t:
        s.meets("fears torture on return", "fear.torture_fear")
    else:
        s.misses("no fear of torture reported", "fear.torture_fear")
    return s.verdict()
