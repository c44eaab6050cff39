from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tenants.backups.models import Backup


class BackupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Backup) -> str:  # type: ignore[override]
        return f"{obj.started_at:%A %-d %B %Y, %H:%M} UTC"


class RestoreRequestForm(forms.Form):
    backup = BackupChoiceField(
        queryset=Backup.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("A backup"),
    )
    point_in_time = forms.DateTimeField(
        required=False,
        label=_("…or a moment (UTC)"),
        help_text=_("We restore the last backup taken before it."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=_("What went wrong?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was lost or damaged, and when you noticed. The operator reads it."),
    )

    def __init__(self, *args, backups: QuerySet[Backup], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["backup"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = backups

    def clean(self) -> dict:
        data = super().clean() or {}
        if not self.errors and bool(data.get("backup")) == bool(data.get("point_in_time")):
            raise forms.ValidationError(_("Choose a backup or a moment (one of the two)."))
        return data
