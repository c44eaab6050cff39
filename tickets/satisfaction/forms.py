from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import Form
from tickets.satisfaction.models import Answer
from tickets.satisfaction.services import MAX_COMMENT_CHARS


class RatingForm(Form):
    answer = forms.ChoiceField(
        label=_("How did we do?"),
        choices=[
            (Answer.GOOD, _("Good, I'm satisfied")),
            (Answer.BAD, _("Bad, I'm not satisfied")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
