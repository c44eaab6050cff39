"""Enumerate a URLconf and turn every pattern into a concrete path to request."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

DEFAULT_SAMPLES = {
    "int": "1",
    "slug": "x",
    "str": "x",
    "path": "x",
    "uuid": str(uuid.UUID(int=1)),
}
_CANDIDATES = ["1", "x", "abc", "1-x", "key", str(uuid.UUID(int=1))]
_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name, or the route when unnamed
    path: str
    view: str


def _group_end(regex: str, start: int) -> int:
    """Index just after the parenthesised group opening at ``start``."""
    depth = 0
    i = start
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced group in {regex!r}")


def _fill_regex(regex: str, samples: dict[str, str]) -> str:
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    out = []
    i = 0
    while i < len(regex):
        match = _NAMED_GROUP.match(regex, i)
        if match:
            end = _group_end(regex, i)
            inner = regex[match.end() : end - 1]
            name = match["name"]
            options = ([samples[name]] if name in samples else []) + _CANDIDATES
            value = next((c for c in options if re.fullmatch(inner, c)), None)
            if value is None:
                raise ValueError(f"no sample matches group {name!r} ({inner!r})")
            out.append(value)
            i = end
            continue
        if regex[i] == "(" and not regex.startswith("(?P<", i):
            # An unnamed group marked optional (``(_mime)?``): the path without it.
            end = _group_end(regex, i)
            if end < len(regex) and regex[end] == "?":
                i = end + 1
                continue
        char = regex[i]
        if char == "\\" and i + 1 < len(regex):
            out.append(regex[i + 1])
            i += 2
            continue
        if char in "?*+":
            raise ValueError(f"can't build a path for optional parts of {regex!r}")
        out.append(char)
        i += 1
    return "".join(out)


def _fill_route(route: str, samples: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if name in samples:
            return samples[name]
        return DEFAULT_SAMPLES.get(match["converter"] or "str", "x")

    return _ROUTE_PARAM.sub(replace, route)


def _fill(pattern, samples: dict[str, str]) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern), samples)
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern.regex.pattern, samples)
    raise TypeError(f"unknown pattern type {type(pattern)!r}")


def endpoints(urlconf: str, samples: dict[str, str] | None = None) -> list[Endpoint]:
    """Every view reachable through ``urlconf``, with a path that resolves to it."""
    samples = samples or {}
    found: list[Endpoint] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            part = _fill(entry.pattern, samples)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + part)
            elif isinstance(entry, URLPattern):
                path = "/" + prefix + part
                match = resolve(path, urlconf=urlconf)
                view = f"{entry.callback.__module__}.{entry.callback.__qualname__}"
                if match.func is not entry.callback and match.url_name != entry.name:
                    # An earlier pattern shadows this path; still request it, but note it.
                    view += " (shadowed)"
                found.append(Endpoint(name=entry.name or str(entry.pattern), path=path, view=view))

    walk(get_resolver(urlconf).url_patterns, "")
    return found
