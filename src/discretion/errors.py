"""Every error the core raises on purpose. Each message names the file, entry or field at fault.

DiscretionError
  + CaseFileError     (a case file cannot be read: missing, bad YAML/JSON, wrong type, unknown field)
  + PolicyError       (a policy or rule data file is wrong: names file and entry)
  + NoPolicyInForce   (no policy governs the as-of date; names the nearest ones)
  + BatchError        (a docket CSV cannot be read at all)
  + DocumentError     (a letter, checklist or packet cannot be made; names the input at fault)
"""

from __future__ import annotations


class DiscretionError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero."""


class CaseFileError(DiscretionError):
    """``path`` and ``reason`` are set when the input hygiene refused one value (a form can
    put the reason beside that field); otherwise ``path`` is empty."""

    def __init__(self, message: str, *, path: tuple[str | int, ...] = (), reason: str = ""):
        super().__init__(message)
        self.path = path
        self.reason = reason


class PolicyError(DiscretionError):
    pass


class NoPolicyInForce(DiscretionError):
    pass


class BatchError(DiscretionError):
    pass


class DocumentError(DiscretionError):
    pass
