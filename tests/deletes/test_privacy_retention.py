"""The privacy page says how long backups of a deleted System live, from the settings."""

from django.test import override_settings

from tests.support.tenancy import client_for


def test_the_privacy_page_states_the_backup_window_from_the_settings(public_client, system_a):
    page = public_client.get("/privacy/").content.decode()
    assert "removed by their retention within 35 days (7 daily and 4 weekly" in page

    with override_settings(BACKUP_KEEP_DAILY=3, BACKUP_KEEP_WEEKLY=2, SYSTEM_DELETION_GRACE_DAYS=5):
        changed = client_for(system_a).get("/privacy/").content.decode()

    assert "within 17 days (3 daily and 2 weekly copies are kept)" in changed
    assert "removed 5 days later" in changed
