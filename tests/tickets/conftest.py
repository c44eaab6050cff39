import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role
from tests.factories import UserFactory
from tests.support.tenancy import client_for, in_schema


@pytest.fixture
def other_member_a(system_a):
    with in_schema(system_a):
        return UserFactory(email="otto@alpha.example", full_name="Otto Other", role=Role.MEMBER)


@pytest.fixture
def member_client(system_a, member_a):
    return client_for(system_a, member_a)


@pytest.fixture
def agent_client(system_a, agent_a):
    return client_for(system_a, agent_a)


def png_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture
def admin_client_a_tickets(system_a):
    with in_schema(system_a):
        admin = UserFactory(email="adele@alpha.example", full_name="Adele Admin", role=Role.ADMIN)
    return client_for(system_a, admin)
