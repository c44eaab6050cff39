from __future__ import annotations

from django import forms

from servicedesk.forms import Form
from tickets.satisfaction.models import Answer
from tickets.satisfaction.services import MAX_COMMENT_CHARS


class RatingForm(Form):
    answer = forms.ChoiceField(
        label="How did we do?",
        choices=[(Answer.GOOD, "Good, I'm satisfied"), (Answer.BAD, "Bad, I'm not satisfied")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Anything to add? (optional)",
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
