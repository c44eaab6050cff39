"""Third-party analytics, only when the operator configured a provider.

Each provider's loader is written here (not copied from the vendor), loads with the
response's CSP nonce, and widens the Content-Security-Policy by exactly its own hosts,
only on the pages the operator chose. With no provider, pages load nothing third-party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escapejs, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from legal.models import ANALYTICS_KEY_RE, AnalyticsProvider

# URL arguments by these names are secrets: invitation, sign-in, reset, confirmation and
# undo links. A page reached by one never loads analytics and sends no Referer.
TOKEN_ARGUMENTS = frozenset({"token", "key", "undo_token", "uidb36"})
# ...and, for a URL no view answered, any long token-like path segment.
_TOKEN_LIKE = re.compile(r"/[A-Za-z0-9_:.=-]{24,}(/|$)")


def carries_token(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and TOKEN_ARGUMENTS & set(match.kwargs):
        return True
    return bool(_TOKEN_LIKE.search(request.path))


@dataclass(frozen=True)
class Loader:
    script_src: tuple[str, ...]
    connect_src: tuple[str, ...] = ()
    img_src: tuple[str, ...] = ()
    frame_src: tuple[str, ...] = ()
    # Whether we can hand the provider the page's address without its query string (search
    # words, filters). One that reads location itself is loaded only where there is none.
    strips_query: bool = False
    extra: dict = field(default_factory=dict)


LOADERS: dict[str, Loader] = {
    AnalyticsProvider.Kind.GOOGLE_ANALYTICS: Loader(
        script_src=("https://www.googletagmanager.com",),
        connect_src=(
            "https://*.google-analytics.com",
            "https://*.analytics.google.com",
            "https://*.googletagmanager.com",
        ),
        img_src=("https://*.google-analytics.com", "https://*.googletagmanager.com"),
        strips_query=True,
    ),
    AnalyticsProvider.Kind.SEGMENT: Loader(
        script_src=("https://cdn.segment.com",),
        connect_src=("https://api.segment.io", "https://cdn.segment.com"),
        strips_query=True,
    ),
    AnalyticsProvider.Kind.CLARITY: Loader(
        script_src=("https://www.clarity.ms", "https://*.clarity.ms"),
        connect_src=("https://*.clarity.ms",),
        img_src=("https://*.clarity.ms",),
    ),
    AnalyticsProvider.Kind.FRESHWORKS: Loader(
        script_src=("https://widget.freshworks.com", "https://*.freshworks.com"),
        connect_src=("https://*.freshworks.com", "https://*.freshdesk.com"),
        frame_src=("https://*.freshworks.com", "https://*.freshdesk.com"),
    ),
}


def loads_here(provider: AnalyticsProvider, request) -> bool:
    loader = LOADERS.get(provider.kind)
    if loader is None or carries_token(request):
        return False
    return loader.strips_query or not request.META.get("QUERY_STRING")


# What the providers that accept it are told: the page and the referrer without query
# string or fragment (written once, used by each loader below).
_PLAIN_ADDRESSES = (
    "function sdPlain(u){{try{{var a=new URL(u);return a.origin+a.pathname;}}"
    'catch(e){{return "";}}}}'
)


def render(provider: AnalyticsProvider, nonce: str) -> SafeString:
    key = provider.key
    if not ANALYTICS_KEY_RE.match(key):  # never put an unchecked value into a script
        return mark_safe("")
    if provider.kind == AnalyticsProvider.Kind.GOOGLE_ANALYTICS:
        return format_html(
            '<script nonce="{}" async src="https://www.googletagmanager.com/gtag/js?{}"></script>'
            '<script nonce="{}">window.dataLayer=window.dataLayer||[];'
            "function gtag(){{dataLayer.push(arguments);}}" + _PLAIN_ADDRESSES + ";"
            'gtag("js",new Date());gtag("config","{}",{{page_location:sdPlain(location.href),'
            "page_referrer:sdPlain(document.referrer)}});</script>",
            nonce,
            urlencode({"id": key}),
            nonce,
            escapejs(key),
        )
    if provider.kind == AnalyticsProvider.Kind.SEGMENT:
        return format_html(
            '<script nonce="{}" defer'
            ' src="https://cdn.segment.com/analytics.js/v1/{}/analytics.min.js"></script>'
            '<script nonce="{}">' + _PLAIN_ADDRESSES + ';addEventListener("load",function(){{'
            "if(window.analytics&&window.analytics.page){{window.analytics.page({{"
            'url:sdPlain(location.href),path:location.pathname,search:"",'
            "referrer:sdPlain(document.referrer)}});}}}});</script>",
            nonce,
            key,
            nonce,
        )
    if provider.kind == AnalyticsProvider.Kind.CLARITY:
        return format_html(
            '<script nonce="{}" async src="https://www.clarity.ms/tag/{}"></script>', nonce, key
        )
    if provider.kind == AnalyticsProvider.Kind.FRESHWORKS:
        return format_html(
            '<script nonce="{}" async src="https://widget.freshworks.com/widgets/{}.js"></script>',
            nonce,
            key,
        )
    return mark_safe("")


def csp_with(base: dict, providers: list[AnalyticsProvider]) -> dict:
    """``base`` (settings.SECURE_CSP) widened by the hosts of ``providers`` only."""
    policy = {directive: list(values) for directive, values in base.items()}
    for provider in providers:
        loader = LOADERS.get(provider.kind)
        if loader is None:
            continue
        for directive, hosts in (
            ("script-src", loader.script_src),
            ("connect-src", loader.connect_src),
            ("img-src", loader.img_src),
            ("frame-src", loader.frame_src),
        ):
            if hosts:
                current = policy.setdefault(directive, list(base.get("default-src", [])))
                current.extend(host for host in hosts if host not in current)
    return policy
