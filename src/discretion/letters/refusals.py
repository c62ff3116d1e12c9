"""When ``discretion letter`` refuses to draft, and what it says instead.

A letter is refused, with a message naming what to do, when:

- the representative block is incomplete (each missing field is named: a letter OPLA cannot
  answer, or that a representative could not stand behind, is worse than none);
- the screen rates the requested action HIGH risk for this person and no override is recorded
  with a reason. The message names each HIGH risk, what the policy data says lowers it, and the
  requests this screen does not rate HIGH for this person (the safer asks);
- the name, the A-number or the requested action is missing.

The web app reads :func:`high_risks` and :func:`safer_asks` to show the same before asking for
a confirmation with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from discretion.counsel import HighRiskOverride
from discretion.errors import DocumentError
from discretion.facts import CaseFacts, Representative, RequestedAction
from discretion.policies import Policy
from discretion.predicates import Outcome
from discretion.rules import Finding, Kind, evaluate
from discretion.screening import Screening


class LetterRefused(DocumentError):
    """The letter cannot be drafted as asked; the message says why and what to do."""


# What each kind of representative must give, with the reason a letter needs it.
REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    "attorney": (
        ("name", "the signer's name"),
        ("organisation", "the firm (a solo practice: the name the office uses)"),
        ("address", "the mailing address"),
        ("phone", "a telephone number"),
        ("email", "an e-mail address"),
        ("bar_number", "the bar number"),
        ("bar_state", "the state of that bar"),
        ("eoir_id", "the EOIR ID (eRegistry)"),
    ),
    "accredited_representative": (
        ("name", "the signer's name"),
        ("organisation", "the recognized organization"),
        ("address", "the mailing address"),
        ("phone", "a telephone number"),
        ("email", "an e-mail address"),
        ("eoir_id", "the EOIR ID (eRegistry)"),
    ),
    "law_student": (
        ("name", "the signer's name"),
        ("organisation", "the clinic or organization supervising the student"),
        ("address", "the mailing address"),
        ("phone", "a telephone number"),
        ("email", "an e-mail address"),
    ),
    "pro_se": (("address", "the Respondent's mailing address"),),
}
KINDS = ", ".join(REQUIRED)
# Actions that join a motion: the representative must be of record with the court (EOIR-28).
JOINT_MOTIONS = {
    RequestedAction.JOIN_MOTION_TO_REOPEN,
    RequestedAction.JOIN_MOTION_TO_RECALENDAR_AND_TERMINATE,
}


def check_representative(
    rep: Representative, action: RequestedAction, *, where: str = "representative"
) -> None:
    """Raise LetterRefused naming every missing field of the representative block."""
    if rep.kind is None:
        raise LetterRefused(f"{where}.kind: not set; say who signs ({KINDS})")
    missing = [f"{where}.{name} ({why})" for name, why in REQUIRED[rep.kind] if not getattr(rep, name)]
    if rep.kind != "pro_se":
        if rep.g28_filed is None:
            missing.append(f"{where}.g28_filed (whether a Form G-28 is on file with DHS)")
        if rep.eoir28_filed is None:
            missing.append(f"{where}.eoir28_filed (whether a Form EOIR-28 is on file with the court)")
    if missing:
        raise LetterRefused(
            "the representative block is incomplete, so the letter was not written; missing: "
            + "; ".join(missing)
        )
    if rep.kind != "pro_se" and rep.g28_filed is False:
        raise LetterRefused(
            f"{where}.g28_filed: false — file a Form G-28 with DHS before sending: OPLA does not discuss a "
            "case with a representative who has none on file"
        )
    if action in JOINT_MOTIONS and rep.kind != "pro_se" and not rep.eoir28_filed:
        raise LetterRefused(
            f"{where}.eoir28_filed: a request to join a motion must come from a representative of record "
            "with the court (Form EOIR-28 on file)"
        )


def check_identity(facts: CaseFacts) -> None:
    missing = [
        path
        for path, value in (
            ("identity.name", facts.identity.name),
            ("identity.a_number", facts.identity.a_number),
        )
        if not value
    ]
    if missing:
        raise LetterRefused(
            f"{' and '.join(missing)}: missing; OPLA identifies a request by the full name and the A-number"
        )


def applies(risk: Finding, action: str) -> bool:
    return not risk.applies_to or action in risk.applies_to


def high_risks(screening: Screening, action: str) -> list[Finding]:
    """The met HIGH risks of the requested action itself (not the general risks of the case)."""
    return [
        r
        for r in screening.risks
        if r.outcome is Outcome.MET and r.level == "high" and r.applies_to and action in r.applies_to
    ]


# Asks a practitioner would weigh instead, in the order the review usually goes.
PREFERENCE = (
    RequestedAction.CONTINUANCE,
    RequestedAction.STIPULATION,
    RequestedAction.ADMINISTRATIVE_CLOSURE,
    RequestedAction.BOND_STIPULATION,
    RequestedAction.DISMISSAL,
    RequestedAction.JOIN_MOTION_TO_RECALENDAR_AND_TERMINATE,
    RequestedAction.NOT_APPEAL,
    RequestedAction.JOIN_MOTION_TO_REOPEN,
    RequestedAction.CANCEL_NTA,
)


def _fits(facts: CaseFacts, action: RequestedAction) -> bool:
    """Whether ``action`` is an ask this person's posture allows at all."""
    p, h = facts.proceedings, facts.immigration_history
    if action is RequestedAction.NONE_NOT_IN_PROCEEDINGS:
        return False  # not an ask at all
    if action is RequestedAction.CANCEL_NTA:
        return p.in_proceedings is False
    if action in (RequestedAction.JOIN_MOTION_TO_REOPEN, RequestedAction.NOT_APPEAL):
        return bool(h.final_order)
    if action is RequestedAction.BOND_STIPULATION:
        return bool(p.detained)
    if action is RequestedAction.JOIN_MOTION_TO_RECALENDAR_AND_TERMINATE:
        return bool(p.administratively_closed)
    return p.in_proceedings is not False


def safer_asks(facts: CaseFacts, policy: Policy, on: date) -> list[RequestedAction]:
    """The asks that fit this person's posture and that no met HIGH risk of the policy names."""
    risks = [r for r in policy.rules if r.kind is Kind.RISK and r.level == "high" and r.applies_to]
    out = []
    for action in PREFERENCE:
        if action is facts.requested_action or not _fits(facts, action):
            continue
        trial = facts.model_copy(update={"requested_action": action})
        named = [r for r in risks if action in r.applies_to]
        if not any(evaluate(r, policy.sources, trial, on).outcome is Outcome.MET for r in named):
            out.append(action)
    return out


@dataclass(frozen=True)
class Override:
    """A recorded decision to ask despite HIGH risks: from the case file or the CLI/web."""

    by: str
    on: date
    reason: str
    risks: tuple[str, ...]
    recorded_in: str  # "case file", "command line", "web app"

    @classmethod
    def from_case(cls, record: HighRiskOverride) -> Override:
        return cls(record.by, record.decided_on, record.reason, tuple(record.risks), "case file")


def check_high_risk(
    facts: CaseFacts,
    screening: Screening,
    policy: Policy,
    *,
    on: date,
    override: Override | None,
    action_titles: dict[RequestedAction, str],
) -> list[Finding]:
    """The HIGH risks the override covers; raises LetterRefused when one is not covered."""
    assert facts.requested_action is not None
    action = facts.requested_action
    found = high_risks(screening, action.value)
    if not found:
        return []
    uncovered = [r for r in found if override is None or r.id not in override.risks]
    if override is not None and not uncovered:
        return found
    lines = [
        f"the screen rates this {action_titles[action].lower()} request HIGH risk for this person, so the "
        "letter was not written:"
    ]
    for r in uncovered:
        lines.append(f"  - {r.label} [{r.id}]: {r.reason}")
        lines += [f"      lowered by: {way}" for way in r.lowered_by]
    safer = safer_asks(facts, policy, on)
    if safer:
        lines.append(
            "  Requests this screen does not rate HIGH risk for this person: "
            + ", ".join(f"{action_titles[a].lower()} ({a.value})" for a in safer)
            + "."
        )
    if override is not None:
        lines.append(
            f"  The override recorded ({override.recorded_in}) does not cover: {', '.join(r.id for r in uncovered)}."
        )
    lines.append(
        '  To ask anyway, record why: --override-high-risk "REASON" (with --signed-by NAME), or '
        "counsel.high_risk_override in the case file naming these risk ids; or choose another requested_action."
    )
    raise LetterRefused("\n".join(lines))


def covered_ids(risks: Sequence[Finding]) -> tuple[str, ...]:
    return tuple(r.id for r in risks)
