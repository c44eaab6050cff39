from __future__ import annotations

import pytest

from tests.support.tenancy import in_schema
from tickets.kb import services
from tickets.kb.models import Article, KbSection


@pytest.fixture
def kb(system_a, agent_a):
    """``kb.section(name)`` and ``kb.article(title, body, visibility=..., ...)`` in System A,
    written by agent_a through the services."""

    class Kb:
        def __init__(self) -> None:
            self._default: KbSection | None = None

        def section(self, name: str = "Getting started", **fields) -> KbSection:
            with in_schema(system_a):
                return services.section_create(actor=agent_a, name=name, **fields)

        def article(
            self, title: str, body: str = "Some text.", *, section=None, **fields
        ) -> Article:
            if section is None:
                self._default = self._default or self.section()
                section = self._default
            fields.setdefault("visibility", "public")
            with in_schema(system_a):
                return services.article_create(
                    actor=agent_a, section=section, title=title, body=body, **fields
                )

    return Kb()
