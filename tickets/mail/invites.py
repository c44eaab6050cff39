"""The one line a calendar invite adds to a message's text: "Invitation: <SUMMARY> at <DTSTART>"."""

from __future__ import annotations

import re

_DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$")


def _unescape(value: str) -> str:
    return (
        value.replace("\\n", " ").replace("\\N", " ").replace("\\,", ",").replace("\\;", ";")
    ).replace("\\\\", "\\")


def _when(value: str, params: str) -> str:
    match = _DATE_TIME.match(value.strip())
    if not match:
        return value.strip()
    year, month, day, hour, minute, _second, utc = match.groups()
    if hour is None:
        return f"{year}-{month}-{day}"
    zone = " UTC" if utc else ""
    tzid = re.search(r"TZID=\"?([^\";:]+)", params, re.IGNORECASE)
    if tzid and not utc:
        zone = f" ({tzid.group(1)})"
    return f"{year}-{month}-{day} {hour}:{minute}{zone}"


def invite_summary(ics: str) -> str:
    """The summary line of the first event in an iCalendar text, "" when it has none."""
    unfolded = re.sub(r"\r?\n[ \t]", "", ics)
    method = ""
    summary = start = ""
    in_event = False
    for line in unfolded.splitlines():
        name_params, _sep, value = line.partition(":")
        name, _sep, params = name_params.partition(";")
        name = name.strip().upper()
        if name == "METHOD":
            method = value.strip().upper()
        elif name == "BEGIN" and value.strip().upper() == "VEVENT":
            in_event = True
        elif name == "END" and value.strip().upper() == "VEVENT":
            break
        elif in_event and name == "SUMMARY" and not summary:
            summary = " ".join(_unescape(value).split())
        elif in_event and name == "DTSTART" and not start:
            start = _when(value, params)
    if not in_event:
        return ""
    label = "Cancelled" if method == "CANCEL" else "Invitation"
    line = f"{label}: {summary or '(no title)'}"
    return f"{line} at {start}" if start else line
