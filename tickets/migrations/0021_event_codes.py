"""The history keeps a status or priority as its code ("open"), not its English label
("Open"): labels are translated when shown. Existing rows are converted (labels of either
field, any case); values that are neither (free text, "—") stay as they are."""

from django.db import migrations

CODES = {
    "status": ("new", "open", "pending", "solved", "closed"),
    "priority": ("low", "normal", "high", "urgent"),
}
# The labels of these codes are the codes capitalised: going back writes them again.
LABELS = {
    "status": {
        "new": "New",
        "open": "Open",
        "pending": "Pending",
        "solved": "Solved",
        "closed": "Closed",
    },
    "priority": {"low": "Low", "normal": "Normal", "high": "High", "urgent": "Urgent"},
}


def _update(to_code: bool) -> str:
    statements = []
    for field, codes in CODES.items():
        listed = ", ".join(f"'{c}'" for c in codes)
        for column in ("old_value", "new_value"):
            if to_code:
                value, test = f"lower(btrim({column}))", f"lower(btrim({column})) IN ({listed})"
            else:
                cases = " ".join(f"WHEN '{c}' THEN '{label}'" for c, label in LABELS[field].items())
                value, test = f"CASE {column} {cases} END", f"{column} IN ({listed})"
            statements.append(
                f"UPDATE tickets_ticketevent SET {column} = {value} "
                f"WHERE field = '{field}' AND {test} AND {column} <> {value};"
            )
    return "\n".join(statements)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0020_satisfaction_preference"),
    ]

    operations = [
        migrations.RunSQL(sql=_update(to_code=True), reverse_sql=_update(to_code=False)),
    ]
