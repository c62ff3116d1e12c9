"""Risk screens for the 2025 enforcement regime: what a PD request could set off, and for whom.

Since 2025 a granted request can hurt: ICE has moved to dismiss cases and then processed the
person for expedited removal (ER), administrative closures are being undone, and victim status
no longer has to be weighed. Each predicate here answers one such risk for one case.

``met`` means "this risk applies to this case"; ``not_met`` means the facts rule it out;
``unknown`` names the facts to ask. Risks that concern particular requested actions take an
``actions`` parameter (the same list as the rule's ``applies_to``): when the case asks for another
action the risk is ``not_met``; when no action is chosen yet the risk is evaluated as though that
action were asked, and the reason says so, because choosing the action is what the screen is for.

Court and litigation dates come in as parameters from the policy file, so the data, not this
module, says when a stay began or ended. Who is amenable to expedited removal, and the risks that
follow from it, live in ``expedited_removal``; this module holds the action gate they share and the
other risks (work permit, forum, self-referral, closure, victims, courthouse, hearings).
"""

from __future__ import annotations

from datetime import date
from functools import cache

from discretion.facts import ApplicationKind, CaseFacts, Forum, RequestedAction
from discretion.predicates import Verdict, predicate

# Relief that only an immigration judge can grant: a dismissal gives up the forum.
_COURT_ONLY = {
    ApplicationKind.CANCELLATION_NON_LPR: "non-LPR cancellation of removal",
    ApplicationKind.CANCELLATION_LPR: "LPR cancellation of removal",
    ApplicationKind.VAWA_CANCELLATION: "VAWA cancellation of removal",
}


_ACTION_WORDS = {
    RequestedAction.CANCEL_NTA: "cancelling the NTA",
    RequestedAction.JOIN_MOTION_TO_RECALENDAR_AND_TERMINATE: "recalendar-and-terminate",
}


def words(value: str) -> str:
    return value.replace("_", " ")


@cache
def _action(action: RequestedAction) -> str:
    return _ACTION_WORDS.get(action, words(action.value))


@cache
def _wanted(actions: tuple[str, ...]) -> tuple[tuple[RequestedAction, ...], str]:
    """The actions a risk concerns, and their names joined with "or": the same for every case."""
    wanted = tuple(RequestedAction(a) for a in actions)  # checked at load time by check_actions
    return wanted, " or ".join(_action(a) for a in wanted)


def gate(facts: CaseFacts, actions: list[str] | None) -> tuple[Verdict | None, str]:
    """Decide whether a risk tied to ``actions`` concerns this case's requested action.

    Returns a ``not_met`` verdict when the case asks for something else, otherwise ``None`` and a
    sentence to append to the reason (empty unless the action is still undecided).
    """
    if not actions:
        return None, ""
    wanted, names = _wanted(tuple(actions))
    asked = facts.requested_action
    if asked is None:
        return None, f" No action has been chosen yet: this matters if you ask for {names}."
    if asked in wanted:
        return None, ""
    return (
        Verdict.not_met(
            f"Concerns requests for {names}; this case asks for {_action(asked)}.", "requested_action"
        ),
        "",
    )


def check_actions(params: dict[str, object]) -> str | None:
    """Load-time check for the ``actions`` parameter: a list of known requested actions."""
    actions = params.get("actions")
    if actions is None:
        return None
    if not isinstance(actions, list):
        return "parameter 'actions' must be a list of requested actions"
    known = [a.value for a in RequestedAction]
    for action in actions:
        if action not in known:
            return f"parameter 'actions': {action!r} is not a requested action (one of: {', '.join(known)})"
    return None


def with_suffix(verdict: Verdict, suffix: str) -> Verdict:
    if not suffix:
        return verdict
    return Verdict(
        verdict.outcome,
        verdict.reason + suffix,
        (*verdict.facts_used, "requested_action"),
        verdict.missing,
        verdict.supporting,
        verdict.against,
    )


def _no_court_application(facts: CaseFacts, on: date) -> Verdict | None:
    """``not_met`` when the facts already show nothing pending in court (no case, or no application
    filed there), so a risk that needs a court application is settled without asking more."""
    if facts.proceedings.in_proceedings is False:
        return Verdict.not_met(
            "No removal case is pending, so no application is pending in court.", "proceedings.in_proceedings"
        )
    apps = facts.proceedings.pending_applications
    if apps is not None and not any(
        a.forum is not Forum.USCIS and a.approved is not True and (a.filed_on is None or a.filed_on <= on)
        for a in apps
    ):
        return Verdict.not_met("No application is pending in court.", "proceedings.pending_applications")
    return None


@predicate
def ead_tied_to_court_case(facts: CaseFacts, on: date, *, actions: list[str] | None = None) -> Verdict:
    """The person's work permit rests on an application pending in court, which ending the case
    would end."""
    skip, suffix = gate(facts, actions)
    if skip:
        return skip
    settled = _no_court_application(facts, on)
    if settled is not None:
        return with_suffix(settled, suffix)
    verdict = Verdict.of(
        facts.proceedings.ead_based_on_pending_application,
        "proceedings.ead_based_on_pending_application",
        "The work permit depends on an application pending in court: if the case is dismissed the "
        "application ends and the work permit may lapse.",
        "The work permit does not depend on an application pending in court.",
        "Not known whether the work permit depends on an application pending in court.",
    )
    return with_suffix(verdict, suffix)


@predicate
def court_only_relief_lost_if_case_ends(
    facts: CaseFacts, on: date, *, actions: list[str] | None = None
) -> Verdict:
    """An application only an immigration judge can grant (cancellation of removal) is pending;
    ending the case forfeits the forum."""
    skip, suffix = gate(facts, actions)
    if skip:
        return skip
    if facts.proceedings.in_proceedings is False:
        return with_suffix(
            Verdict.not_met(
                "No removal case is pending, so no court-only relief is at stake.",
                "proceedings.in_proceedings",
            ),
            suffix,
        )
    apps = facts.proceedings.pending_applications
    if apps is None:
        verdict = Verdict.unknown(
            "Applications pending in court are not known.", ("proceedings.pending_applications",)
        )
    else:
        found = sorted(
            {
                _COURT_ONLY[a.kind]
                for a in apps
                if a.kind in _COURT_ONLY and (a.filed_on is None or a.filed_on <= on)
            }
        )
        verdict = (
            Verdict.met(
                f"Pending: {', '.join(found)}. It is available only in removal proceedings; a dismissal "
                "gives up that path.",
                "proceedings.pending_applications",
            )
            if found
            else Verdict.not_met(
                "No cancellation-of-removal application pending.", "proceedings.pending_applications"
            )
        )
    return with_suffix(verdict, suffix)


@predicate
def not_in_proceedings(facts: CaseFacts, on: date) -> Verdict:
    """No removal case is pending: asking ICE for PD would bring the person to ICE's attention and
    may lead to a Notice to Appear."""
    return Verdict.of(
        None if facts.proceedings.in_proceedings is None else not facts.proceedings.in_proceedings,
        "proceedings.in_proceedings",
        "No removal case is pending. Do not approach ICE to ask for PD: it can trigger a Notice to Appear.",
        "A removal case is pending, so a PD request does not itself bring the person to ICE's attention.",
        "Not known whether a removal case is pending (an NTA filed with the court).",
    )


@predicate
def administrative_closure_may_not_last(
    facts: CaseFacts,
    on: date,
    *,
    recalendar_campaign_from: date,
    closure_rule_vacated_on: date,
    actions: list[str] | None = None,
) -> Verdict:
    """An existing or requested administrative closure may be undone: DHS moves to recalendar closed
    cases, and the 2024 EOIR closure rule was vacated."""
    closed = facts.proceedings.administratively_closed
    skip, suffix = gate(facts, actions)
    if skip and not closed:
        return skip
    if on < recalendar_campaign_from:
        return Verdict.not_met(
            f"The DHS recalendaring campaign is reported from {recalendar_campaign_from.isoformat()}, "
            f"after {on.isoformat()}.",
        )
    climate = f"Since {recalendar_campaign_from.isoformat()} DHS has been moving to recalendar closed cases and judges generally grant those motions [partly confirmed]."
    if on >= closure_rule_vacated_on:
        climate += (
            f" On {closure_rule_vacated_on.isoformat()} a federal court vacated the 2024 EOIR "
            "administrative-closure rule (Texas v. DOJ); which standard judges now apply is unconfirmed."
        )
    if closed:
        return Verdict.met(
            f"The case is administratively closed and may be put back on the calendar. {climate}",
            "proceedings.administratively_closed",
        )
    return Verdict.met(f"A new closure may not last. {climate}{suffix}", "requested_action")


@predicate
def victim_evidence_not_required_to_weigh(facts: CaseFacts, on: date, *, directive_from: date) -> Verdict:
    """The person's case rests in part on being a victim (domestic violence, trafficking, crime), or a
    witness or party in legal proceedings, which ICE officers since Directive 11005.4 need not treat
    as a favourable factor."""
    v = facts.victimisation
    flags = {
        "victimisation.domestic_violence": v.domestic_violence,
        "victimisation.trafficking": v.trafficking,
        "victimisation.crime_victim": v.crime_victim,
    }
    # The directive also rescinded Morton's 2011 victims, witnesses and plaintiffs memo (10076.1).
    witness = {"victimisation.witness_or_party_in_proceedings": v.witness_or_party_in_proceedings}
    yes = [path for path, value in (flags | witness).items() if value]
    if not yes:
        unknown = [path for path, value in flags.items() if value is None]
        if unknown:
            return Verdict.unknown("Not known whether the person is a victim of crime.", unknown)
        return Verdict.not_met("No victimisation reported.", *flags)
    if on < directive_from:
        return Verdict.not_met(
            f"ICE Directive 11005.4 took effect on {directive_from.isoformat()}, after {on.isoformat()}.",
            *yes,
        )
    return Verdict.met(
        f"Since {directive_from.isoformat()} ICE officers are not required to treat victim evidence as a "
        "favourable factor (Directive 11005.4, which also rescinded the 2011 victims, witnesses and plaintiffs "
        "memo). Argue the equities on their own and pursue any victim-based filing (U, T, VAWA) with USCIS.",
        *yes,
    )


def court_codes(court: str | None) -> set[str]:
    """The EOIR codes the case's court text can mean: one court, or every candidate of a city."""
    from discretion.offices import find_court  # the directory is large: load it only when asked

    lookup = find_court(court)
    if lookup.court is not None:
        return {lookup.court.code}
    return {c.code for c in lookup.candidates} if lookup.status == "ambiguous" else set()


@predicate
def courthouse_arrest_exposure(
    facts: CaseFacts,
    on: date,
    *,
    arrests_reported_from: date,
    policies_vacated_on: date,
    nyc_stay_from: date,
    nyc_stay_courts: list[str] | None = None,
) -> Verdict:
    """The person attends an immigration court where ICE has made arrests after dismissals; the
    state of the litigation limiting those arrests on the screening date. ``nyc_stay_courts`` are
    the EOIR codes of the courts the New York stay covers, matched through the court directory."""
    in_court = facts.proceedings.in_proceedings
    if in_court is None:
        return Verdict.unknown(
            "Not known whether a removal case is pending.", ("proceedings.in_proceedings",)
        )
    if not in_court:
        return Verdict.not_met("No removal case, so no court appearances.", "proceedings.in_proceedings")
    if facts.proceedings.detained:
        return Verdict.not_met("The person is detained.", "proceedings.detained")
    if on < arrests_reported_from:
        return Verdict.not_met(
            f"Courthouse arrests after dismissal are reported from {arrests_reported_from.isoformat()}.",
            "proceedings.in_proceedings",
        )
    court = facts.proceedings.court or ""
    text = f"From {arrests_reported_from.isoformat()} ICE arrested people at immigration courts, often right after a dismissal."
    if on >= policies_vacated_on:
        text += (
            f" On {policies_vacated_on.isoformat()} a federal court vacated ICE's courthouse-arrest "
            "policies nationwide (Pablo Sequen v. Albarran; appeal reported; news-level). Arrest "
            "elsewhere, and expedited removal after a dismissal, remain possible."
        )
    codes = court_codes(court) if court else set()
    if codes and codes <= set(nyc_stay_courts or ()) and on >= nyc_stay_from:
        text += (
            f" For the New York City immigration courts a stay of {nyc_stay_from.isoformat()} "
            "(African Communities Together v. Lyons) largely bars ICE civil arrests in and near them [partly confirmed]."
        )
    return Verdict.met(text, "proceedings.in_proceedings", "proceedings.detained", "proceedings.court")


@predicate
def hearings_continue_during_request(facts: CaseFacts, on: date) -> Verdict:
    """A PD request does not pause the court case: the person must keep attending hearings."""
    in_court = facts.proceedings.in_proceedings
    if in_court is None:
        return Verdict.unknown(
            "Not known whether a removal case is pending.", ("proceedings.in_proceedings",)
        )
    if not in_court:
        return Verdict.not_met("No removal case is pending.", "proceedings.in_proceedings")
    hearing = facts.proceedings.next_hearing
    when = (
        f" The next hearing is on {hearing.date.isoformat()} ({hearing.kind.value})."
        if hearing and hearing.date >= on
        else ""
    )
    return Verdict.met(
        "The request does not pause the case: keep attending every hearing unless the court orders "
        f"otherwise. Missing one risks an order of removal in absentia.{when}",
        "proceedings.in_proceedings",
        "proceedings.next_hearing",
    )


# The policy loader calls `check_params`, so a misspelt action in data is a load error naming the
# file and rule, not a risk that silently never applies.
for _gated in (
    ead_tied_to_court_case,
    court_only_relief_lost_if_case_ends,
    administrative_closure_may_not_last,
):
    setattr(_gated, "check_params", check_actions)  # noqa: B010
