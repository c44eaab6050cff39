"""Extra sections of the reports page, offered by other features (satisfaction) without
this package importing them: a feature registers a provider in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Table:
    """A report's numbers: what the page shows under its chart and the CSV holds."""

    key: str  # in the CSV's URL
    title: str
    headers: list[str]
    rows: list[list[object]]


# Called with the range's bounds (aware, [start, end)); must answer in a fixed number of
# queries. Integrator: register satisfaction here, e.g. in tickets.satisfaction.apps:
#   register_section("satisfaction", lambda *, start, end: <Table from satisfaction_summary>)
Provider = Callable[..., Table]
_SECTIONS: dict[str, Provider] = {}


def register_section(key: str, provider: Provider) -> None:
    _SECTIONS[key] = provider


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def extra_tables(*, start: datetime, end: datetime) -> list[Table]:
    return [provider(start=start, end=end) for provider in _SECTIONS.values()]
