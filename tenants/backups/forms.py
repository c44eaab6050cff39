from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tenants.backups.models import Backup


class BackupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Backup) -> str:  # type: ignore[override]
        # In the reader's zone (the page names it), as every time on the page.
        return date_format(timezone.localtime(obj.started_at), "DATETIME_FORMAT")


class RestoreRequestForm(forms.Form):
    backup = BackupChoiceField(
        queryset=Backup.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("A backup"),
    )
    # Typed in the reader's zone (Django reads a naive input in the active one, the
    # middleware's) and kept in UTC like every moment.
    point_in_time = forms.DateTimeField(
        required=False,
        label=_("…or a moment"),
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
        zone = timezone.get_current_timezone_name()
        self.fields["point_in_time"].label = gettext("…or a moment (%(zone)s time)") % {
            "zone": zone
        }
        self.fields["point_in_time"].help_text = gettext(
            "In %(zone)s, your time zone. We restore the last backup taken before it."
        ) % {"zone": zone}

    def clean(self) -> dict:
        data = super().clean() or {}
        if not self.errors and bool(data.get("backup")) == bool(data.get("point_in_time")):
            raise forms.ValidationError(_("Choose a backup or a moment (one of the two)."))
        return data
