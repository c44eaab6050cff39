"""What a System's subdomain may be."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SUBDOMAIN_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$")

# Names that belong to the operator, to infrastructure or that would confuse users.
_RESERVED = """
about abuse account accounts admin administrator api app apps assets auth autoconfig
autodiscover billing blog cdn dashboard demo-operator dev docs download email faq files
ftp health healthz help helpdesk host hostmaster imap info invoice invoices legal login
logout m mail mailer media mobile mx news noc ns ns1 ns2 operator ops owner password pay
payment payments pop pop3 portal postmaster pricing privacy public root sales secure
security service servicedesk settings signin signup smtp sso staff stage staging static
status store support system systems terms test user users webmail webmaster wiki www
"""
RESERVED_SUBDOMAINS = frozenset(_RESERVED.split())


def validate_subdomain(value: str) -> None:
    if value != value.lower():
        raise ValidationError(_("Use lowercase letters only."), code="case")
    if not SUBDOMAIN_RE.match(value):
        raise ValidationError(
            _(
                "Use 3 to 63 lowercase letters, digits or hyphens, starting and ending with a "
                "letter or digit."
            ),
            code="format",
        )
    if "--" in value:
        raise ValidationError(_("Two hyphens in a row are not allowed."), code="format")
    if value in RESERVED_SUBDOMAINS:
        raise ValidationError(_("“%(name)s” is reserved.") % {"name": value}, code="reserved")
