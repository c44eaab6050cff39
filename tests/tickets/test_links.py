"""Links to Google Drive, OneDrive, iCloud and Dropbox become cards (nothing is fetched)."""

import pytest

from tickets.links import CloudLink, cloud_links


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
