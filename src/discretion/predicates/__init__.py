"""The vocabulary that rule data may name in ``test:``. One small function each.

A predicate takes the case facts and the as-of date ``on``, plus the ``with:`` parameters from
the data file as keyword arguments, and returns a :class:`Verdict`. Its ``reason`` is plain
English shown to the practitioner; ``facts_used`` names the fact paths it read; when it cannot
decide because a fact is unknown it returns ``Verdict.unknown(...)`` naming the missing paths
instead of guessing.

Predicates live in small modules by subject (``presence``, ``criminal``, ``family``...) and
register themselves with ``@predicate``. The policy loader checks every ``test:`` name and its
parameters against this registry, so a typo in data is a load error, not a silent miss.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from discretion.facts import CaseFacts


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    # Measured but not decided: the rule has no line in its source (a memo that names "length of
    # presence" without a number), or a gate sends the flag to the attorney (a prior removal order, a
    # final order needing a motion to reopen). Never argued as met, never closed as not met.
    REVIEW = "review"


@dataclass(frozen=True, slots=True, init=False)
class Verdict:
    """What a predicate decided, and why."""

    outcome: Outcome
    reason: str
    facts_used: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    supporting: tuple[str, ...] = field(default=())  # facts that meet a threshold (relief flags)
    against: tuple[str, ...] = field(default=())  # facts that miss it

    # Written out, not generated: a docket builds some forty Verdicts per case, and the frozen
    # dataclass __init__ (object.__setattr__ per field, then __post_init__) cost twice as much.
    def __init__(
        self,
        outcome: Outcome,
        reason: str,
        facts_used: tuple[str, ...] = (),
        missing: tuple[str, ...] = (),
        supporting: tuple[str, ...] = (),
        against: tuple[str, ...] = (),
    ) -> None:
        # Reasons are assembled from parts that may themselves end in a full stop ("the U.S.",
        # a practitioner's "Type 1 diabetes."): one full stop at the end, but keep an ellipsis.
        if reason.endswith("..") and not reason.endswith("..."):
            reason = reason.rstrip(".") + "."
        _set_outcome(self, outcome)
        _set_reason(self, reason)
        _set_facts_used(self, facts_used)
        _set_missing(self, missing)
        _set_supporting(self, supporting)
        _set_against(self, against)

    @classmethod
    def met(cls, reason: str, *facts_used: str, **kw: Any) -> Verdict:
        return cls(Outcome.MET, reason, tuple(facts_used), **kw)

    @classmethod
    def not_met(cls, reason: str, *facts_used: str, **kw: Any) -> Verdict:
        return cls(Outcome.NOT_MET, reason, tuple(facts_used), **kw)

    @classmethod
    def unknown(
        cls, reason: str, missing: tuple[str, ...] | list[str], *facts_used: str, **kw: Any
    ) -> Verdict:
        used = tuple(facts_used) or tuple(missing)
        return cls(Outcome.UNKNOWN, reason, used, tuple(missing), **kw)

    @classmethod
    def review(cls, reason: str, *facts_used: str, **kw: Any) -> Verdict:
        return cls(Outcome.REVIEW, reason, tuple(facts_used), **kw)

    @classmethod
    def of(cls, value: bool | None, path: str, yes: str, no: str, unknown: str | None = None) -> Verdict:
        """The common case: one boolean fact decides."""
        if value is None:
            return cls.unknown(unknown or f"Not known: {path}.", (path,))
        return cls.met(yes, path) if value else cls.not_met(no, path)


# The slots' own setters, which a frozen class's __setattr__ does not go through.
_SLOTS = Verdict.__dict__
_set_outcome = _SLOTS["outcome"].__set__
_set_reason = _SLOTS["reason"].__set__
_set_facts_used = _SLOTS["facts_used"].__set__
_set_missing = _SLOTS["missing"].__set__
_set_supporting = _SLOTS["supporting"].__set__
_set_against = _SLOTS["against"].__set__


def unknown_paths(*facts: tuple[str, object]) -> tuple[str, ...]:
    """The paths, of the given ``(path, value)`` pairs, whose value is unknown (``None``)."""
    return tuple(path for path, value in facts if value is None)


Predicate = Callable[..., Verdict]

REGISTRY: dict[str, Predicate] = {}


def predicate(fn: Predicate) -> Predicate:
    """Register ``fn`` under its own name. It must take ``(facts, on, *, **params)``."""
    if fn.__name__ in REGISTRY:
        raise RuntimeError(f"predicate {fn.__name__!r} is defined twice")
    if not (fn.__doc__ or "").strip():
        raise RuntimeError(
            f"predicate {fn.__name__!r} needs a docstring: it is the rule's plain-English test"
        )
    REGISTRY[fn.__name__] = fn
    return fn


def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_LOADED = False


def _ensure_loaded() -> None:
    # Every module, not "until the registry is non-empty": code that imports one predicate
    # module for a helper (the letter reads presence.presence_start) must not hide the others.
    global _LOADED
    if not _LOADED:
        _load_all()
        _LOADED = True


def get(name: str) -> Predicate:
    _ensure_loaded()
    return REGISTRY[name]


def names() -> list[str]:
    _ensure_loaded()
    return sorted(REGISTRY)


def check_parameters(name: str, params: dict[str, Any]) -> str | None:
    """Return a message if ``params`` do not fit predicate ``name``'s keyword-only signature."""
    try:
        fn = get(name)
    except KeyError:
        return f"no predicate named {name!r}"
    signature = inspect.signature(fn)
    accepted = {p.name: p for p in signature.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        return f"predicate {name!r} takes no parameter {', '.join(map(repr, unknown))} (it takes: {', '.join(accepted) or 'none'})"
    missing = sorted(
        k for k, p in accepted.items() if p.default is inspect.Parameter.empty and k not in params
    )
    if missing:
        return f"predicate {name!r} needs parameter {', '.join(map(repr, missing))}"
    for key, value in params.items():
        expected = accepted[key].annotation
        if isinstance(expected, str):
            expected = {"int": int, "str": str, "bool": bool, "date": date, "float": float}.get(expected)
        mismatched = isinstance(expected, type) and not isinstance(value, expected)
        if mismatched and not (expected is float and isinstance(value, int)):
            return f"predicate {name!r}: parameter {key!r} must be {expected.__name__}, not {type(value).__name__}"
    # A predicate may check the values too (e.g. that listed actions exist): `fn.check_params`.
    check = getattr(fn, "check_params", None)
    problem = check(params) if check else None
    return f"predicate {name!r}: {problem}" if problem else None


def evaluate(name: str, facts: CaseFacts, on: date, params: dict[str, Any]) -> Verdict:
    return get(name)(facts, on, **params)
