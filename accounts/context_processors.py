from django.http import HttpRequest

from accounts.permissions import Perm, can


class _Can:
    """``{% if can.view_people %}`` in templates asks the permission module."""

    def __init__(self, user) -> None:
        self.user = user

    def __getattr__(self, name: str) -> bool:
        try:
            perm = Perm(name)
        except ValueError:
            raise AttributeError(name) from None
        return can(self.user, perm)


def permissions(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if getattr(request, "system", None) is None or user is None:
        return {}
    return {"can": _Can(user)}
