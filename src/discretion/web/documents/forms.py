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
