"""Links to files in other clouds (Google Drive, OneDrive, iCloud, Dropbox) found in text.

They are shown as cards with the provider and the file name read from the URL itself;
nothing is ever fetched from the provider. A card names a host, so it is only made when
that host is the one a browser opens (the WHATWG URL rules, not Python's ``urlsplit``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

_URL = re.compile(r"https?://[^\s<>()\"'\]]+", re.IGNORECASE)
_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*")
_PORT = re.compile(r"[0-9]{0,5}")

_PROVIDERS = [
    ("Google Drive", ("drive.google.com", "docs.google.com")),
    ("OneDrive", ("onedrive.live.com", "1drv.ms", "sharepoint.com")),
    ("iCloud", ("icloud.com", "www.icloud.com")),
    ("Dropbox", ("dropbox.com", "www.dropbox.com", "dl.dropboxusercontent.com", "db.tt")),
]
_GOOGLE_KINDS = {
    "document": "Google Docs document",
    "spreadsheets": "Google Sheets spreadsheet",
    "presentation": "Google Slides presentation",
    "forms": "Google Forms form",
}


@dataclass(frozen=True)
class CloudLink:
    provider: str
    name: str
    url: str


def browser_host(url: str) -> str | None:
    """The host a browser opens for the http(s) ``url``, or None unless it is unambiguous.

    Browsers end the authority at ``/ \\ ? #`` (a backslash is a slash in http URLs) and
    drop user info before ``@``, and they percent-decode and IDNA-map the host; ``urlsplit``
    does none of that. So: no backslash anywhere, no user info, and a host of plain ASCII
    letters, digits, dots and hyphens (with an optional numeric port) on which both agree.
    """
    if "\\" in url or "://" not in url:
        return None
    authority = re.split(r"[/?#]", url.split("://", 1)[1], maxsplit=1)[0]
    if "@" in authority:
        return None
    host, _, port = authority.partition(":")
    host = host.lower()
    if len(host) > 253 or not _HOST.fullmatch(host) or not _PORT.fullmatch(port):
        return None
    return host


def _provider(host: str) -> str | None:
    host = host.lower()
    for name, hosts in _PROVIDERS:
        if any(host == h or host.endswith("." + h) for h in hosts):
            return name
    return None


def _file_name(provider: str, url: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    for key in ("name", "filename", "file"):
        if query.get(key):
            return unquote(query[key][0])
    if provider == "iCloud" and parts.fragment:
        return unquote(parts.fragment).replace("_", " ")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if provider == "Google Drive":
        kind = next((label for key, label in _GOOGLE_KINDS.items() if key in segments), None)
        return kind or ("Google Drive folder" if "folders" in segments else "Google Drive file")
    named = [s for s in segments if "." in s and not s.startswith(".")]
    if named:
        return named[-1]
    return f"{provider} file"


def cloud_links(text: str) -> list[CloudLink]:
    """Distinct cloud-storage links in ``text``, in order of appearance."""
    found: list[CloudLink] = []
    seen: set[str] = set()
    for match in _URL.finditer(text or ""):
        url = match.group(0).rstrip(".,;:!?")
        host = browser_host(url)
        provider = _provider(host) if host else None
        if provider and url not in seen:
            seen.add(url)
            found.append(CloudLink(provider=provider, name=_file_name(provider, url), url=url))
    return found
