from __future__ import annotations

from django import forms


class ReplyGuardForm(forms.Form):
    """What the reply form carries besides the reply: the newest message its page showed,
    and whether the sender chose "Send anyway" after being told of newer ones."""

    seen = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def seen_value(self) -> int | None:
        """None when the form did not say (an older page): no check then."""
        return self.cleaned_data.get("seen") if self.is_valid() else None

    def confirmed(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data.get("confirm"))


class TakeForm(forms.Form):
    """ "Take it": who held the ticket on the page the button was pressed on."""

    assignee = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class PresenceForm(forms.Form):
    typing = forms.BooleanField(required=False)
    left = forms.BooleanField(required=False)
