"""Links to Google Drive, OneDrive, iCloud and Dropbox become cards (nothing is fetched)."""

import pytest

from tickets.links import CloudLink, browser_host, cloud_links


@pytest.mark.parametrize(
    "url, provider, name",
    [
        (
            "https://drive.google.com/file/d/1AbC/view?usp=sharing",
            "Google Drive",
            "Google Drive file",
        ),
        (
            "https://docs.google.com/spreadsheets/d/1x/edit",
            "Google Drive",
            "Google Sheets spreadsheet",
        ),
        ("https://drive.google.com/drive/folders/0B", "Google Drive", "Google Drive folder"),
        (
            "https://www.dropbox.com/s/abc123/Quarterly%20report.pdf?dl=0",
            "Dropbox",
            "Quarterly report.pdf",
        ),
        ("https://onedrive.live.com/view.aspx?resid=1&name=Budget.xlsx", "OneDrive", "Budget.xlsx"),
        ("https://contoso.sharepoint.com/:w:/g/personal/x/Design.docx", "OneDrive", "Design.docx"),
        ("https://1drv.ms/u/s!AbC", "OneDrive", "OneDrive file"),
        ("https://www.icloud.com/iclouddrive/0a1#Team_photo", "iCloud", "Team photo"),
    ],
)
def test_providers_and_file_names_come_from_the_url(url, provider, name):
    assert cloud_links(f"Please see {url}.") == [CloudLink(provider, name, url)]


def test_other_links_and_duplicates_are_ignored():
    text = "https://example.com/a.pdf and https://drive.google.com/file/d/1/view twice https://drive.google.com/file/d/1/view"
    assert [link.provider for link in cloud_links(text)] == ["Google Drive"]


def test_a_lookalike_host_is_not_a_provider():
    assert cloud_links("https://drive.google.com.evil.example/file") == []
    assert cloud_links("https://evildropbox.com/s/x/y.pdf") == []


def test_cards_show_on_the_ticket_page(system_a, make_ticket, member_a, member_client):
    ticket = make_ticket(
        member_a, description="Specs: https://www.dropbox.com/s/abc/specs.pdf?dl=0"
    )
    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert '<span class="link-card-provider">Dropbox</span>' in page
    assert '<span class="link-card-name">specs.pdf</span>' in page


@pytest.mark.parametrize(
    "url",
    [
        # A browser reads a backslash as a slash: this opens evil.example.
        "https://evil.example\\@www.dropbox.com/s/a/Invoice.pdf",
        "https://evil.example\\www.dropbox.com/s/a/Invoice.pdf",
        # User info: what is before @ is not the host, and hides the one that is.
        "https://www.dropbox.com@evil.example/s/a/Invoice.pdf",
        "https://evil.example:x@www.dropbox.com/s/a/Invoice.pdf",
        # Browsers percent-decode a host; evil.example/www.dropbox.com is no Dropbox host.
        "https://evil.example%2fwww.dropbox.com/s/a/Invoice.pdf",
        "https://drive.google.com%2eevil.example/file/d/1/view",
        "https://www.dropbox.com:evil/s/a/Invoice.pdf",
    ],
)
def test_a_url_a_browser_would_open_elsewhere_makes_no_card(url):
    assert cloud_links(f"Invoice: {url}") == []


def test_a_card_opens_the_host_it_names():
    (link,) = cloud_links("See https://WWW.Dropbox.com:443/s/a/Invoice.pdf?dl=0 now")
    assert (link.provider, link.name) == ("Dropbox", "Invoice.pdf")
    assert browser_host(link.url) == "www.dropbox.com"


def test_the_ticket_page_shows_no_card_for_a_disguised_link(
    system_a, make_ticket, member_a, member_client
):
    ticket = make_ticket(
        member_a, description="Pay https://evil.example\\@www.dropbox.com/s/a/Invoice.pdf"
    )
    page = member_client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "link-card" not in page
