"""Every text a web form takes passes the core's input hygiene (discretion/hygiene.py).

``install()`` (called once, when the cases app is ready) gives Django's ``forms.CharField``, and
so every text field of every form (and the person's pages' too), a validator that refuses NUL, other
control characters (a vertical tab pasted from Word included: "use a line break"), lone
surrogates and text longer than the boundary allows, with the field named by the form's error
summary. A validator, not a cleaner: the bound form shows back exactly what was typed, so
nothing is lost and nothing is changed behind the person's back. Django's own CharField already
refuses NUL; this adds the rest, through the same function the case files and CSVs use.

The fact sections are not Django forms: their values go through ``casefile.parse_facts``,
which applies the same hygiene.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from discretion.hygiene import text_problem


def refuse_unsafe_text(value: object) -> None:
    if not isinstance(value, str):
        return
    problem = text_problem(value.replace("\r\n", "\n").replace("\r", "\n"), multiline=True)
    if not problem:
        return
    if (translation.get_language() or "en-us") == "en-us":  # the workbench (LANGUAGE_CODE)
        raise ValidationError(f"This {problem}.", code="unsafe_text")  # the exact character, for staff
    # The person's pages, in their language (client/language.py): the intake's plain words.
    raise ValidationError(_("Remove the special characters from your answer."), code="unsafe_text")


def install() -> None:
    if refuse_unsafe_text not in forms.CharField.default_validators:
        forms.CharField.default_validators = [*forms.CharField.default_validators, refuse_unsafe_text]
