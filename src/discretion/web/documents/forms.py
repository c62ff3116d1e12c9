"""The forms of the documents pages: the signer's profile, the letterhead, the letter's options
and the HIGH-risk confirmation."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms

from discretion.web.documents.models import Letterhead, SignerProfile
from discretion.web.files.models import ROTATIONS


class SignerProfileForm(forms.ModelForm):
    class Meta:
        model = SignerProfile
        fields = ["name", "kind", "bar_number", "bar_state", "eoir_id", "phone", "email"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == "attorney":
            for name in ("bar_number", "bar_state"):
                if not data.get(name):
                    self.add_error(name, "An attorney's signature block needs it.")
        if data.get("kind") in ("attorney", "accredited_representative") and not data.get("eoir_id"):
            self.add_error("eoir_id", "Needed to sign for a case before the immigration court.")
        return data


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = ["name", "address", "phone", "email"]


class LetterForm(forms.Form):
    """What the practitioner chooses when generating a letter."""

    signer = forms.ChoiceField(label="Signed by", required=False)
    send_to = forms.CharField(
        label="Verified sending channel",
        max_length=200,
        required=False,
        help_text="The office's PD e-mail address or 'ICE eService', only once you have confirmed it; "
        "without it the letter has no Via line and the e-mail no recipient.",
    )
    summary_en = forms.BooleanField(label="Summary for the client in English", required=False, initial=True)
    summary_es = forms.BooleanField(label="Summary for the client in Spanish", required=False)
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, signers=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["signer"]).choices = [
            ("", "Me (my signer profile)"),
            *[(str(p.pk), p.name) for p in signers],
        ]

    def clean_send_to(self) -> str:
        value = " ".join(self.cleaned_data.get("send_to", "").split())
        if value and "@" not in value and value.lower() != "ice eservice":
            raise forms.ValidationError("Give an e-mail address, or 'ICE eService'.")
        return value


class OverrideForm(LetterForm):
    """Asking despite HIGH risks: counsel's reason, recorded and audited."""

    reason = forms.CharField(
        label="Why ask for this despite the risks",
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label="I have explained these risks to the client, and the client agrees to this request.",
        required=True,
    )


EXHIBIT_LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("pt", "Portuguese"),
    ("ht", "Haitian Creole"),
    ("zh", "Chinese"),
    ("vi", "Vietnamese"),
    ("ar", "Arabic"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("so", "Somali"),
    ("other", "Other (not English)"),
]


class ChecklistItemsField(forms.Field):
    """The checklist items an exhibit proves: item ids such as ``passport`` (at most 20)."""

    widget = forms.SelectMultiple

    def to_python(self, value):
        values = [v.strip() for v in (value or []) if v and v.strip()]
        if len(values) > 20 or any(len(v) > 80 or not re.fullmatch(r"[A-Za-z0-9_.:-]+", v) for v in values):
            raise forms.ValidationError("choose items from the list")
        return values


class ExhibitForm(forms.Form):
    """One row of the exhibit list: its order, description, language, translation, what it proves.

    Its fields are named ``position-<file code>`` and so on (``add_prefix``), so each row is tied
    to its file, not to its place on the page.
    """

    position = forms.IntegerField(
        min_value=1,
        max_value=999,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), "enter a whole number from 1 to 999"
        ),
    )
    description = forms.CharField(required=False, max_length=300)
    language = forms.ChoiceField(
        required=False,
        choices=EXHIBIT_LANGUAGES,
        error_messages={"invalid_choice": "choose one from the list"},
    )
    translation = forms.CharField(required=False, max_length=40)
    proves = ChecklistItemsField(required=False)
    remove = forms.BooleanField(required=False)
    rotation = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=ROTATIONS,
        error_messages={"invalid_choice": "choose one from the list"},
    )

    def __init__(self, *args, file, **kwargs):
        self.file = file
        kwargs["prefix"] = str(file.code)
        super().__init__(*args, **kwargs)

    def add_prefix(self, field_name: str) -> str:
        return f"{field_name}-{self.prefix}"

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or "en"

    def clean_description(self) -> str:
        return " ".join(self.cleaned_data.get("description", "").split())


class ExhibitListForm:
    """The exhibit list as one form: an ``ExhibitForm`` per exhibit file, checked together.

    Not a Django formset: the rows are the case's exhibit files, keyed by file code, so a
    management form's row counts would only restate the number of files, and a file uploaded
    between loading the page and saving it could shift counted rows onto the wrong file.
    """

    def __init__(self, data, *, files, candidates) -> None:
        self.forms = [ExhibitForm(data, file=f) for f in files]
        self.candidates = {str(c.code): c for c in candidates}
        self.errors: list[str] = []
        self.links: dict[int, int | None] = {}

    _LABELS = {
        "position": "Order",
        "language": "Language",
        "description": "Description",
        "proves": "Proves",
        "rotation": "Turn pages",
    }

    def is_valid(self) -> bool:
        self.errors = []
        for form in self.forms:
            f = form.file
            if not form.is_valid():
                for name, errors in form.errors.items():
                    self.errors.append(f"{self._LABELS.get(name, name)} of {f.original_name}: {errors[0]}")
                continue
            chosen = form.cleaned_data["translation"]
            if not chosen:
                self.links[f.pk] = None
                continue
            other = self.candidates.get(chosen)
            if (
                other is None
                or other.pk == f.pk
                or (other.translation_of_id is None and other.translations.exists())
            ):
                self.errors.append(
                    f"Certified translation of {f.original_name}: choose another uploaded file that is not "
                    "an exhibit with its own translation"
                )
            elif form.cleaned_data["language"] == "en":
                self.errors.append(
                    f"Certified translation of {f.original_name}: set the exhibit's language first (it is marked English)"
                )
            else:
                self.links[f.pk] = other.pk
        chosen = [pk for pk in self.links.values() if pk]
        if len(chosen) != len(set(chosen)):
            self.errors.append("Certified translation: one file cannot translate two exhibits")
        return not self.errors

    @property
    def rows(self) -> list[tuple[Any, dict[str, Any], int | None]]:
        """Each valid row: (file, its cleaned data, the file chosen as its translation)."""
        return [(form.file, form.cleaned_data, self.links.get(form.file.pk)) for form in self.forms]


class LetterEditForm(forms.Form):
    """The letter's paragraphs, each a text box holding its current words.

    One field per paragraph of the generated letter, named by its anchor; ``base`` is the
    version the page was made from, so a save from an older page is a conflict, not a loss."""

    base = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = forms.CharField(
        label="What changed (optional)",
        max_length=200,
        required=False,
        help_text="Kept with the version, e.g. 'Added the school counselor's letter'.",
    )

    def __init__(self, *args, paragraphs=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.paragraphs = list(paragraphs)
        current = current or {}
        for p in self.paragraphs:
            label = (f"{p.number}. " if p.number is not None else "") + (p.heading or "Opening")
            self.fields[self.key(p.anchor)] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                widget=forms.Textarea(
                    attrs={"rows": max(2, min(10, len(current.get(p.anchor, p.text)) // 90 + 1))}
                ),
                initial=current.get(p.anchor, p.text),
            )

    @staticmethod
    def key(anchor: str) -> str:
        return "p-" + anchor.replace(".", "-")

    def clean(self):
        from discretion.errors import DocumentError
        from discretion.letters.edits import clean_text

        super().clean()
        data = self.cleaned_data
        for p in self.paragraphs:
            name = self.key(p.anchor)
            if name not in data:
                continue
            try:
                clean_text(data[name] or "", where="This paragraph")
            except DocumentError as exc:
                self.add_error(name, str(exc).removeprefix("This paragraph: ").capitalize() + ".")
        return data

    def texts(self) -> dict[str, str]:
        return {p.anchor: self.cleaned_data.get(self.key(p.anchor)) or "" for p in self.paragraphs}
