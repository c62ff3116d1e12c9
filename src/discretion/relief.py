"""Alternative-relief flags: other paths that may fit better than PD, for attorney review.

Relief rules are statutory and live in ``data/relief.yaml`` (same rule shape as policies, kind
``relief``). Each flag states its threshold, the facts that meet or miss it, and its citation.
A flag is never a legal conclusion: ``met`` means "raise for review", not "eligible".

Before a threshold is reported, the flag's ``gates`` (data) decide whether the relief can be used
at all on the date and in the person's posture: a program that did not yet exist is never offered,
court-only relief is "not available now" outside proceedings and "needs a motion to reopen first"
after a final order, and a prior removal order sends every relief it can bar to attorney review.
The predicates measure; the gates' words come from the file's ``wording``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from discretion import predicates
from discretion.facts import CaseFacts
from discretion.predicates import Outcome, Verdict
from discretion.rulefiles import FileProblems, check_sources, parse_rules, read_data_file
from discretion.rules import Finding, Gates, Kind, Rule, Source, evaluate_with

RELIEF_FILE = Path(__file__).parent / "data" / "relief.yaml"

# The sentences the gates say; every one must be in the file's `wording` (checked on load).
WORDING_KEYS = (
    "not_in_force",
    "change_ahead",
    "change_in_force",
    "not_in_proceedings",
    "proceedings_unknown",
    "final_order",
    "final_order_in_absentia",
    "prior_order",
)


class ReliefFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    sources: list[Source] = Field(min_length=1)
    wording: dict[str, str] = Field(default_factory=dict)
    relief: list[dict[str, Any]] = Field(min_length=1)


def check_relief(path: Path = RELIEF_FILE) -> tuple[tuple[Rule, ...], dict[str, Source], FileProblems]:
    """Parse the relief file, collecting every problem (one line each) instead of stopping."""
    problems = read_data_file(path)
    if problems.found:
        return (), {}, problems
    parsed: ReliefFile | None = None
    try:
        parsed = ReliefFile.model_validate(problems.data)
    except ValidationError as exc:
        problems.add_errors(
            e for e in exc.errors() if not (e["loc"][:1] == ("relief",) and len(e["loc"]) > 1)
        )
    source_ids = check_sources(problems)
    # `kind: relief` is redundant but harmless; any other kind is a mistake.
    rules = parse_rules(problems, "relief", Kind.RELIEF, source_ids, {}, allow_kind=True)
    sources = {s.id: s for s in parsed.sources} if parsed else {}
    if parsed is not None and parsed.wording:
        for key in WORDING_KEYS:
            if key not in parsed.wording:
                problems.add(("wording",), f"the gate sentence {key!r} is missing")
    _check_gates(problems, rules, source_ids, required=bool(parsed and parsed.wording))
    return tuple(rules), sources, problems


def _check_gates(problems: FileProblems, rules: list[Rule], source_ids: set[str], *, required: bool) -> None:
    """Every relief is dated and gated (when the file words the gates) and cites known sources."""
    for index, rule in enumerate(rules):
        loc = ("relief", index, "gates")
        if rule.gates is None:
            if required:
                problems.add(
                    ("relief", index), "a relief flag needs `gates` (its date, forum and order bars)"
                )
            continue
        if rule.gates.source not in source_ids:
            problems.add((*loc, "source"), f"gates cite unknown source {rule.gates.source!r}")
        for n, change in enumerate(rule.gates.changes):
            if change.source not in source_ids:
                problems.add((*loc, "changes", n, "source"), f"change cites unknown source {change.source!r}")


def load_relief(path: Path = RELIEF_FILE) -> tuple[tuple[Rule, ...], dict[str, Source]]:
    """The relief rules and their sources; the first problem is raised as a PolicyError."""
    rules, sources, problems = check_relief(path)
    problems.raise_first()
    return rules, sources


def wording_of(path: Path = RELIEF_FILE) -> dict[str, str]:
    problems = read_data_file(path)
    data = problems.data if isinstance(problems.data, dict) else {}
    wording = data.get("wording") or {}
    return {str(k): str(v) for k, v in wording.items()} if isinstance(wording, dict) else {}


@cache
def _shipped() -> tuple[tuple[Rule, ...], dict[str, Source]]:
    return load_relief()


@cache
def _shipped_wording() -> dict[str, str]:
    return wording_of()


# --- the gates ------------------------------------------------------------------------------


def prior_order_on(facts: CaseFacts, on: date) -> str | None:
    """What exposes the person to reinstatement of a prior order as of ``on``, in words, or None."""
    h = facts.immigration_history
    for removal in h.prior_removals or ():
        if removal.kind in ("removal", "expedited_removal") and (
            removal.removed_on is None or removal.removed_on <= on
        ):
            when = f" on {removal.removed_on.isoformat()}" if removal.removed_on else ""
            return f"a prior {removal.kind.replace('_', ' ')}{when}"
    if h.reentered_after_removal:
        return "a re-entry after removal"
    return None


def _final_order(facts: CaseFacts, on: date) -> bool:
    h = facts.immigration_history
    return bool(h.final_order) and (h.final_order_on is None or h.final_order_on <= on)


def _in_proceedings(facts: CaseFacts, on: date) -> bool | None:
    p = facts.proceedings
    if p.in_proceedings is not None:
        return p.in_proceedings
    # A served NTA, a court or a hearing on file says a case exists even when the box is not ticked.
    if (p.nta_served_on is not None and p.nta_served_on <= on) or p.court or p.next_hearing:
        return True
    return None


def _changes(gates: Gates, on: date, wording: dict[str, str]) -> list[str]:
    """The last change in force on ``on`` and every change still ahead of it, in words."""
    out = []
    past = [c for c in gates.changes if c.starts <= on]
    if past:
        last = max(past, key=lambda c: c.starts)
        out.append(
            wording["change_in_force"].format(date=last.starts.isoformat(), text=last.text, mark=_mark(last))
        )
    for change in sorted((c for c in gates.changes if c.starts > on), key=lambda c: c.starts):
        out.append(
            wording["change_ahead"].format(
                date=change.starts.isoformat(), text=change.text, mark=_mark(change)
            )
        )
    return out


def _mark(change: Any) -> str:
    mark = change.confidence.mark
    return f" {mark}" if mark else ""


def _joined(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def apply_gates(rule: Rule, verdict: Verdict, facts: CaseFacts, on: date, wording: dict[str, str]) -> Verdict:
    """``verdict`` as the relief's gates leave it on ``on``: never ``met`` where it cannot be used."""
    gates = rule.gates
    if gates is None or not wording:
        return verdict
    label = rule.label
    if gates.in_force_from is not None and on < gates.in_force_from:
        text = wording["not_in_force"].format(
            label=label, date=gates.in_force_from.isoformat(), on=on.isoformat()
        )
        return Verdict(Outcome.NOT_MET, text, (), (), (), (text,))
    if gates.changes:
        reason = _joined(verdict.reason, *_changes(gates, on, wording))
        base = Verdict(
            verdict.outcome, reason, verdict.facts_used, verdict.missing, verdict.supporting, verdict.against
        )
    else:  # the common case: nothing to add, no new Verdict (a docket runs this a million times)
        reason, base = verdict.reason, verdict
    if verdict.outcome is Outcome.NOT_MET:
        return base  # a threshold clearly missed stays missed, whatever the posture
    used = verdict.facts_used
    # Sent to attorney review when the thresholds are met (or weighed); a screen that still needs
    # facts stays unknown, with the gate's words in front, so the questions are still asked.
    review = Outcome.UNKNOWN if verdict.outcome is Outcome.UNKNOWN else Outcome.REVIEW
    prior = prior_order_on(facts, on)
    if prior and gates.prior_order == "review":
        text = _joined(
            wording["prior_order"].format(label=label, prior=prior), gates.prior_order_note or "", reason
        )
        paths = (*used, "immigration_history.prior_removals", "immigration_history.reentered_after_removal")
        return Verdict(
            review,
            text,
            tuple(dict.fromkeys(paths)),
            verdict.missing,
            verdict.supporting,
            verdict.against,
        )
    if gates.forum == "uscis":
        return base
    if _final_order(facts, on) and gates.final_order == "motion_to_reopen":
        key = (
            "final_order_in_absentia" if facts.immigration_history.final_order_in_absentia else "final_order"
        )
        text = _joined(wording[key].format(label=label), reason)
        paths = (*used, "immigration_history.final_order", "immigration_history.final_order_in_absentia")
        return Verdict(
            review,
            text,
            tuple(dict.fromkeys(paths)),
            verdict.missing,
            verdict.supporting,
            verdict.against,
        )
    if gates.forum != "court":
        return base
    in_court = _in_proceedings(facts, on)
    if in_court is False:
        text = _joined(wording["not_in_proceedings"].format(label=label), reason)
        against = (*verdict.against, "not in removal proceedings: decided only by an immigration judge")
        return Verdict(
            Outcome.NOT_MET, text, (*used, "proceedings.in_proceedings"), (), verdict.supporting, against
        )
    if in_court is None:
        text = _joined(wording["proceedings_unknown"].format(label=label), reason)
        missing = tuple(dict.fromkeys((*verdict.missing, "proceedings.in_proceedings")))
        return Verdict(
            Outcome.UNKNOWN,
            text,
            tuple(dict.fromkeys((*used, *missing))),
            missing,
            verdict.supporting,
            verdict.against,
        )
    return base


def gated(rule: Rule, wording: dict[str, str] | None = None) -> Callable[..., Verdict]:
    """``rule``'s predicate with its gates applied: what both the screen and the batch path call."""
    test = predicates.get(rule.test)
    words = _shipped_wording() if wording is None else wording
    if rule.gates is None or not words:
        return test

    def run(facts: CaseFacts, on: date, **params: Any) -> Verdict:
        return apply_gates(rule, test(facts, on, **params), facts, on, words)

    return run


@cache
def shipped_calls() -> tuple[tuple[Callable[..., Verdict], dict[str, Any]], ...]:
    """The shipped relief rules' gated predicates and parameters, in file order (the batch plan)."""
    return tuple((gated(rule), rule.params) for rule in _shipped()[0])


def screen_relief(facts: CaseFacts, *, on: date) -> tuple[Finding, ...]:
    if not RELIEF_FILE.exists():
        return ()
    rules, sources = _shipped()
    calls = shipped_calls()
    return tuple(
        evaluate_with(rule, sources, facts, on, call) for rule, (call, _) in zip(rules, calls, strict=True)
    )
