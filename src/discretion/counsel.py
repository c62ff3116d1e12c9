"""What counsel records in a case beyond its facts: advice, consent, overrides, own words.

These are the case file's ``counsel:`` section and ``narrative.factors``:

- ``counsel.advice``: each time counsel explained the risks of a request to the client — who
  explained, when, in which language (and through which interpreter), which risks of the screen
  (by rule id), and whether and when the client consented. It is privileged: it appears on the
  practitioner's review sheet and in the client's own summary, never in anything sent to ICE.
- ``counsel.high_risk_override``: counsel's decision to ask for an action the screen rates HIGH
  risk, with the reason and the risks it covers. Without it ``discretion letter`` refuses.
- ``narrative.factors``: the practitioner's own paragraph for one factor, added to the generated
  paragraph or replacing it.

They live in their own module so the facts model (``facts.py``) stays about facts; the classes
import nothing from it, so ``facts.py`` can include them.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _action(value: str | None) -> str | None:
    # Imported here: facts.py imports this module.
    from discretion.facts import RequestedAction

    if value is not None and value not in {a.value for a in RequestedAction}:
        raise ValueError(f"{value!r} is not one of {', '.join(a.value for a in RequestedAction)}")
    return value


class Advice(_Model):
    """One occasion on which counsel explained the risks of a request to the client."""

    given_on: date = Field(description="When the advice was given.")
    by: str = Field(description="Who gave it (the attorney or accredited representative).")
    language: str = Field(description="The language it was given in, e.g. Spanish.")
    interpreter: str | None = Field(None, description="Who interpreted, if anyone.")
    action: str | None = Field(
        None, description="The request the advice was about (a requested_action value); default: the case's."
    )
    risks: list[str] = Field(
        default_factory=list,
        description="Ids of the screen's risk rules that were explained (the review sheet lists them).",
    )
    consent: bool | None = Field(None, description="The client agreed to the request after the advice.")
    consent_on: date | None = None
    notes: str | None = Field(None, description="What else was said; shown on the review sheet only.")

    @field_validator("action")
    @classmethod
    def _known_action(cls, value: str | None) -> str | None:
        return _action(value)


class HighRiskOverride(_Model):
    """Counsel's recorded decision to ask for an action the screen rates HIGH risk."""

    by: str = Field(description="Who decided (the person signing the letter).")
    decided_on: date
    reason: str = Field(min_length=10, description="Why the request is made despite the risks.")
    risks: list[str] = Field(min_length=1, description="Ids of the HIGH risk rules this decision covers.")

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must say why the request is made despite the risks")
        return value.strip()


class Counsel(_Model):
    """Counsel's own record of the case: privileged, never printed in a letter to ICE."""

    advice: list[Advice] | None = Field(
        None, description="Each time the risks of a request were explained to the client."
    )
    high_risk_override: HighRiskOverride | None = None


class FactorNote(_Model):
    """The practitioner's own words for one factor of the letter."""

    factor: str = Field(
        description="The rule id (e.g. t25.work_and_taxes) or the factor kind, its test (e.g. work_history)."
    )
    text: str = Field(min_length=1)
    replace: bool = Field(
        False, description="true: this text replaces the generated paragraph; false: it follows it."
    )
