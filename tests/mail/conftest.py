import pytest

from tests.mail.support import deliver_now


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """``deliver(raw, to=[...])``: received, then processed at once (the task runs eagerly
    when the transaction's commit callbacks run)."""

    def run(raw: bytes, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return deliver_now(raw, **kwargs)

    return run


@pytest.fixture
def other_member_a(system_a):
    from accounts.models import Role
    from tests.factories import UserFactory
    from tests.support.tenancy import in_schema

    with in_schema(system_a):
        return UserFactory(email="otto@alpha.example", full_name="Otto Other", role=Role.MEMBER)


@pytest.fixture(scope="session")
def imap_server():
    """A real IMAP server (pymap) for the whole run; each test makes its own folder."""
    from tests.support import imap_server as server

    running = server.start()
    yield running
    server.stop(running)


@pytest.fixture
def mailbox(imap_server):
    """A fresh folder on the IMAP server: ``mailbox.folder``, ``mailbox.append(raw, ...)``."""

    class Mailbox:
        server = imap_server
        folder = imap_server.new_folder()

        def append(self, *raws: bytes) -> None:
            imap_server.append(self.folder, *raws)

    return Mailbox()
