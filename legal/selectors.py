"""Reads for the legal texts: which version is in effect, history, differences, who has
not accepted yet, operator access, analytics providers."""

from __future__ import annotations

import difflib
import html
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from accounts.models import User
from legal.models import (
    AnalyticsProvider,
    OperatorAccess,
    OperatorAccessView,
    TermsAcceptance,
    TermsVersion,
)

# Every page asks "which terms are in effect?"; the list of versions changes only when
# the operator publishes, so each process keeps it for a minute and decides "in effect"
# against the clock on every request (a scheduled version takes effect on time).
_VERSIONS_TTL = 60.0
_versions_cache: dict[str, tuple[float, list[TermsVersion]]] = {}


def versions_forget() -> None:
    _versions_cache.clear()


def _versions(document: str) -> list[TermsVersion]:
    cached = _versions_cache.get(document)
    if cached and time.monotonic() - cached[0] < _VERSIONS_TTL:
        return cached[1]
    versions = list(
        TermsVersion.objects.filter(document=document)
        .only(
            "id",
            "document",
            "version",
            "effective_at",
            "summary",
            "announced_at",
            "short_notice_reason",
        )
        .order_by("-effective_at")
    )
    _versions_cache[document] = (time.monotonic(), versions)
    return versions


def terms_current(document: str = TermsVersion.Document.TERMS) -> TermsVersion | None:
    """The latest version in effect now (no full text: fetch it with terms_get)."""
    now = timezone.now()
    return next((v for v in _versions(document) if v.effective_at <= now), None)


def terms_get(*, version: str, document: str = TermsVersion.Document.TERMS) -> TermsVersion | None:
    return TermsVersion.objects.filter(document=document, version=version).first()


def terms_history(document: str = TermsVersion.Document.TERMS) -> list[TermsVersion]:
    """Every version, newest first, scheduled ones included (they are announced ahead)."""
    return _versions(document)


@dataclass(frozen=True)
class Upcoming:
    version: TermsVersion
    previous: TermsVersion | None  # what it changes: the version before it


def terms_upcoming(document: str = TermsVersion.Document.TERMS) -> list[Upcoming]:
    """Published versions not in effect yet, soonest first, each with the one it follows
    (announced ahead: people read what is coming and what changes)."""
    now = timezone.now()
    oldest_first = list(reversed(_versions(document)))
    return [
        Upcoming(version=version, previous=oldest_first[index - 1] if index else None)
        for index, version in enumerate(oldest_first)
        if version.effective_at > now
    ]


# The default texts we ship (the migrations publish the English ones as version 1.0), and
# their translations in texts/<language>/.
TEXTS = Path(__file__).resolve().parent / "texts"


@cache
def _shipped_text(document: str, version: str, language: str) -> str | None:
    folder = TEXTS if language == "en" else TEXTS / language
    path = folder / f"{document}-{version}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def terms_body(*, version: TermsVersion, language: str | None = None) -> str:
    """The text of ``version`` for a reader of ``language`` (the active one by default).

    The operator's own text is theirs, in the one language they published it in. Our
    default text, while the operator has not replaced it, is shown in the reader's language
    when we ship a translation: the same version either way, so what a person accepts (a
    version) does not depend on the language they read it in."""
    language = (language or get_language() or "en").split("-")[0].lower()
    if language == "en":
        return version.body
    default = _shipped_text(version.document, version.version, "en")
    if default is None or version.body.strip() != default.strip():
        return version.body
    return _shipped_text(version.document, version.version, language) or version.body


def has_accepted(*, user: User, version: TermsVersion) -> bool:
    return TermsAcceptance.objects.filter(user=user, terms_version_id=version.pk).exists()


def people_without_acceptance(*, version: TermsVersion) -> QuerySet[User]:
    """Active accounts of this System that haven't accepted ``version`` yet."""
    accepted = TermsAcceptance.objects.filter(terms_version_id=version.pk).values("user_id")
    return User.objects.filter(is_active=True).exclude(pk__in=accepted).order_by("full_name")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "gap"
    text: str


def terms_diff(old: TermsVersion, new: TermsVersion, *, context: int = 2) -> list[DiffLine]:
    """Line by line, with a little unchanged context around each change."""
    before, after = old.body.splitlines(), new.body.splitlines()
    lines: list[DiffLine] = []
    for group in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_grouped_opcodes(
        context
    ):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for op, a1, a2, b1, b2 in group:
            if op == "equal":
                lines += [DiffLine("same", line) for line in before[a1:a2]]
            if op in {"delete", "replace"}:
                lines += [DiffLine("removed", line) for line in before[a1:a2]]
            if op in {"insert", "replace"}:
                lines += [DiffLine("added", line) for line in after[b1:b2]]
    return lines


def diff_html(lines: list[DiffLine]) -> SafeString:
    """Added lines in <ins>, removed in <del>, each also marked with a sign and, for screen
    readers (which mostly don't announce <ins>/<del>), a word: never colour alone."""
    tags = {"added": "ins", "removed": "del", "same": "span", "gap": "span"}
    signs = {"added": "+", "removed": "&minus;", "same": " ", "gap": " "}
    words = {"added": gettext("Added:"), "removed": gettext("Removed:")}
    rendered = []
    for line in lines:
        tag = tags[line.kind]
        said = words.get(line.kind)
        label = f'<span class="visually-hidden">{html.escape(said)} </span>' if said else ""
        rendered.append(
            f'<{tag} class="diff-{line.kind}"><span class="diff-sign" aria-hidden="true">'
            f"{signs[line.kind]} </span>{label}{html.escape(line.text) or '&nbsp;'}</{tag}>"
        )
    return mark_safe("\n".join(rendered))  # noqa: S308 - escaped line by line


# --- operator access ------------------------------------------------------------------------


def operator_access_for_system(*, system_id: int) -> QuerySet[OperatorAccess]:
    return OperatorAccess.objects.filter(system_id=system_id).prefetch_related(
        Prefetch("views", queryset=OperatorAccessView.objects.order_by("at", "id"))
    )


def operator_access_open(*, system_id: int, operator_id: int) -> OperatorAccess | None:
    now = timezone.now()
    return (
        OperatorAccess.objects.filter(
            system_id=system_id, operator_id=operator_id, ended_at__isnull=True, expires_at__gt=now
        )
        .order_by("-granted_at")
        .first()
    )


# --- analytics ------------------------------------------------------------------------------

_providers_cache: tuple[float, list[AnalyticsProvider]] | None = None


def providers_forget() -> None:
    global _providers_cache
    _providers_cache = None


def analytics_providers() -> list[AnalyticsProvider]:
    """Enabled providers (kept a minute per process; changes in admin clear it here)."""
    global _providers_cache
    if _providers_cache and time.monotonic() - _providers_cache[0] < _VERSIONS_TTL:
        return _providers_cache[1]
    providers = list(AnalyticsProvider.objects.filter(enabled=True).order_by("kind"))
    _providers_cache = (time.monotonic(), providers)
    return providers


def analytics_for_page(*, in_system: bool) -> list[AnalyticsProvider]:
    wanted = {
        AnalyticsProvider.Pages.ALL,
        AnalyticsProvider.Pages.SYSTEMS if in_system else AnalyticsProvider.Pages.PUBLIC,
    }
    return [provider for provider in analytics_providers() if provider.pages in wanted]
