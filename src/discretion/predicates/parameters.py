"""Load-time checks on the values that policy data passes to predicates.

The registry checks parameter names and simple types; a list of offence categories or
relationships is only a ``list`` to it. A misspelt category would otherwise surface as a crash
in the middle of a screening, so predicates that take enum values declare them here and the
loader reports a bad value as one line naming the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from discretion.predicates import Predicate


def enum_values(**enums: type[StrEnum]) -> Callable[[Predicate], Predicate]:
    """Declare that parameter ``name`` holds values (or a list of values) of ``enums[name]``."""

    def attach(fn: Predicate) -> Predicate:
        def check_params(params: dict[str, Any]) -> str | None:
            for key, enum in enums.items():
                value = params.get(key)
                values = [value] if isinstance(value, str) else value or ()
                if not isinstance(values, list | tuple):
                    return f"parameter {key!r} must be a list"
                allowed = [m.value for m in enum]
                for item in values:
                    if item not in allowed:
                        return f"parameter {key!r}: {item!r} is not one of {', '.join(allowed)}"
            return None

        fn.check_params = check_params  # type: ignore[attr-defined]
        return fn

    return attach
