"""Small pieces the API's resources share: the call's person, and people as references."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value] # the token's person (accounts.api.auth)


def person_ref(user: User | None, *, show_email: bool) -> dict[str, object] | None:
    """A person as lists show him; his address only to those the pages show it to."""
    if user is None:
        return None
    return {
        "id": user.pk,
        "name": user.get_full_name(),
        "email": user.email if show_email else None,
    }
