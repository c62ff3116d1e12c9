"""Model fields sealed at rest (files.sealing): the database holds ``s1:<key id>:<ciphertext>``.

The model sees clear values; only the column is sealed, with the column's name as associated
data, so a sealed value copied into another column does not open. Values written before a key
was configured (clear text or JSON) are still read, and sealed the next time they are saved (or
by ``discretion manage rotate_keys``). A sealed column cannot be searched or sorted by the
database: the case list searches keyed hashes instead (cases.models.Case.apply_facts).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from discretion.web.files import sealing


class SealedTextField(models.TextField):
    def _column(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return sealing.seal_text(str(value), column=self._column())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return sealing.open_text(value, column=self._column())


class SealedJSONField(models.TextField):
    """A JSON value (dict, list...) stored as sealed text."""

    # For django-stubs: the model attribute holds the JSON value, not the column's text.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def _column(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
        return sealing.seal_text(text, column=self._column())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):  # a JSON column not yet migrated to text
            return value
        return json.loads(sealing.open_text(value, column=self._column()))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(sealing.open_text(value, column=self._column()))
        return value

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(**({"form_class": forms.JSONField} | kwargs))
