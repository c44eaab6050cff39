"""Our default terms and privacy policy (until the operator publishes their own) are shown
in the reader's language; the operator's own text is shown as published. Either way the
reader reads, and accepts, the same version."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from legal import selectors
from legal.models import TermsVersion
from legal.selectors import TEXTS, terms_body


def _page(path: str, language: str) -> str:
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("document", ["terms", "privacy"])
def test_every_default_text_we_ship_has_a_vietnamese_version(document):
    english = (TEXTS / f"{document}-1.0.md").read_text(encoding="utf-8")
    vietnamese = (TEXTS / "vi" / f"{document}-1.0.md").read_text(encoding="utf-8")

    # As many sections, in the same order, so the two say the same thing.
    assert english.count("\n## ") == vietnamese.count("\n## ") > 0
    assert vietnamese != english


@pytest.mark.parametrize(
    ("path", "english", "vietnamese"),
    [
        ("/terms/", "The service and you", "Dịch vụ và bạn"),
        ("/privacy/", "What we keep, and why", "Chúng tôi lưu giữ gì, và vì sao"),
    ],
)
def test_a_vietnamese_reader_sees_the_default_text_in_vietnamese(db, path, english, vietnamese):
    in_english = _page(path, "en")
    in_vietnamese = _page(path, "vi")

    assert english in in_english and vietnamese not in in_english
    assert vietnamese in in_vietnamese and english not in in_vietnamese


def test_the_operators_own_text_is_shown_as_published_in_every_language(db):
    TermsVersion.objects.create(
        version="2.0",
        effective_at=timezone.now() - timedelta(minutes=1),
        summary="Our own terms.",
        body="# Our terms\n\nOnly in English, as the operator wrote them.\n",
    )
    selectors.versions_forget()

    page = _page("/terms/", "vi")

    assert "Only in English, as the operator wrote them." in page
    assert "Điều khoản dịch vụ" not in page.split("legal-text", 1)[1].split("</article>")[0]


def test_both_languages_of_the_default_are_one_version(db):
    default = TermsVersion.objects.get(document="terms", version="1.0")

    assert terms_body(version=default, language="en") == default.body
    assert "Điều khoản dịch vụ" in terms_body(version=default, language="vi")
    # The page a Vietnamese reader accepts names the same version as the English one.
    assert selectors.terms_current().pk == default.pk


def test_a_changed_text_under_the_default_number_is_the_operators(db):
    default = TermsVersion.objects.get(document="terms", version="1.0")
    default.body = default.body.replace("default terms", "terms")

    assert terms_body(version=default, language="vi") == default.body
