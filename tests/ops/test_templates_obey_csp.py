"""Templates say nothing the Content-Security-Policy would block: no inline style or script."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# style="…" attributes, on*= handlers and <script> without src are what `style-src 'self'`
# and `script-src 'self'` refuse; the browser drops them silently, so only a read catches it.
BLOCKED = {
    "a style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "an inline event handler": re.compile(r"<[^>]*\son[a-z]+\s*=\s*[\"']", re.I),
    # A JSON data block (json_script, Swagger UI's settings) is never run: CSP allows it.
    "an inline script": re.compile(
        r"<script(?![^>]*\ssrc=)(?![^>]*\stype=\"application/json\")[^>]*>", re.I
    ),
    "an inline stylesheet": re.compile(r"<style[\s>]", re.I),
}


def test_no_template_carries_what_the_csp_blocks():
    offences = [
        f"{path.relative_to(TEMPLATES)}: {what}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        # Mail is read in mail clients, which ignore stylesheets and our CSP alike.
        if path.relative_to(TEMPLATES).parts[0] != "emails"
        for what, pattern in BLOCKED.items()
        if pattern.search(path.read_text())
    ]
    assert offences == []
