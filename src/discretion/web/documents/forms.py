"""The forms of the documents pages: the signer's profile, the letterhead, the letter's options
and the HIGH-risk confirmation."""

from __future__ import annotations

from django import forms

from discretion.web.documents.models import Letterhead, SignerProfile


class SignerProfileForm(forms.ModelForm):
    class Meta:
        model = SignerProfile
        fields = ["name", "kind", "bar_number", "bar_state", "eoir_id", "phone", "email"]

    def clean(self):
        data = super().clean()
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
        self.fields["signer"].choices = [
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

        data = super().clean()
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
