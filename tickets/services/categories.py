from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Perm, require
from tickets.models import Category


@transaction.atomic
def category_create(*, actor: User, name: str) -> Category:
    require(actor, Perm.MANAGE_CATEGORIES)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    position = Category.objects.count()
    try:
        with transaction.atomic():
            return Category.objects.create(name=name, position=position)
    except IntegrityError:
        raise ValidationError({"name": _("“%(name)s” already exists.") % {"name": name}}) from None


@transaction.atomic
def category_update(*, actor: User, category: Category, name: str, is_active: bool) -> Category:
    require(actor, Perm.MANAGE_CATEGORIES)
    category.name = name.strip() or category.name
    category.is_active = is_active
    try:
        with transaction.atomic():
            category.save(update_fields=["name", "is_active"])
    except IntegrityError:
        raise ValidationError(
            {"name": _("“%(name)s” already exists.") % {"name": category.name}}
        ) from None
    return category
