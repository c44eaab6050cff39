"""What a restore never takes from the backup: how people sign in, and who may do what.

A backup's password hashes, second factors, roles and active flags are those of its day.
Restored as they are, a password changed since because it leaked would work again, a second
factor removed with a lost phone would be back, a demoted admin would be admin again and a
deactivated person could sign in. So, in the transaction that switches the System to the
restored schema, each person found in both (the same id and the same address) gets his
current password, second factors, role, active flag and suspension.

People only in the backup (deleted since, or whose address changed) come back deactivated,
without a password or second factors: an admin reactivates them if they are wanted, and
they choose a password with "forgot password". People added since the backup are not in
the restored data, like everything else written since.

Exactly one owner stays: the current owner when he is in both, else the backup's owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.db import connection

from accounts.models import Role, User


@dataclass(frozen=True)
class SignInKept:
    kept: int  # people whose current sign-in, role and flags the restored data took
    deactivated: int  # people only in the backup, who were active there
    seats_used: int
    owner_email: str


def _table(schema: str, table: str) -> str:
    return f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(table)}"


def sign_in_carry_over(*, previous: str, restored: str) -> SignInKept:
    """Give the people of ``restored`` their sign-in, roles and flags from ``previous``
    (both schemas of one System; call it inside the swap's transaction)."""
    now_users = _table(previous, User._meta.db_table)
    new_users = _table(restored, User._meta.db_table)
    now_factors = _table(previous, Authenticator._meta.db_table)
    new_factors = _table(restored, Authenticator._meta.db_table)
    # Names below come from our models and from schema names we made, never from input.
    same = "p.id = r.id AND lower(p.email) = lower(r.email)"
    owner = Role.OWNER.value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id FROM {new_users} r JOIN {now_users} p ON {same} "  # noqa: S608
            "WHERE p.role = %s",
            [owner],
        )
        found = cursor.fetchone()
        if found is None:  # the current owner joined after the backup: the backup's stays
            cursor.execute(f"SELECT id FROM {new_users} WHERE role = %s", [owner])  # noqa: S608
            found = cursor.fetchone()
        owner_id = found[0] if found else None

        # The one-owner index is checked row by row: nobody else holds the role meanwhile.
        cursor.execute(
            f"UPDATE {new_users} SET role = %s "  # noqa: S608
            "WHERE role = %s AND id IS DISTINCT FROM %s",
            [Role.ADMIN.value, owner, owner_id],
        )
        cursor.execute(
            f"UPDATE {new_users} r SET password = p.password, is_active = p.is_active, "  # noqa: S608
            "deactivated_at = p.deactivated_at, suspended_at = p.suspended_at, "
            "suspension_reason = p.suspension_reason, "
            "role = CASE WHEN r.id = %s THEN %s ELSE p.role END "
            f"FROM {now_users} p WHERE {same}",
            [owner_id, owner],
        )
        kept = cursor.rowcount
        only_in_backup = f"NOT EXISTS (SELECT 1 FROM {now_users} p WHERE {same})"  # noqa: S608
        cursor.execute(
            # An unusable password, as Django writes one ("!" and random characters).
            f"UPDATE {new_users} r "  # noqa: S608
            "SET password = '!' || replace(gen_random_uuid()::text, '-', '') "
            f"WHERE {only_in_backup}"
        )
        cursor.execute(
            f"UPDATE {new_users} r SET is_active = false, deactivated_at = now() "  # noqa: S608
            f"WHERE is_active AND id IS DISTINCT FROM %s AND {only_in_backup}",
            [owner_id],
        )
        deactivated = cursor.rowcount

        names = [
            connection.ops.quote_name(field.column) for field in Authenticator._meta.concrete_fields
        ]
        columns = ", ".join(names)
        from_previous = ", ".join(f"f.{name}" for name in names)
        cursor.execute(f"DELETE FROM {new_factors}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {new_factors} ({columns}) "  # noqa: S608
            f"SELECT {from_previous} FROM {now_factors} f "
            f"JOIN {now_users} p ON p.id = f.user_id JOIN {new_users} r ON {same}"
        )
        _sequence_past_highest(cursor, restored, Authenticator._meta.db_table)

        cursor.execute(
            f"SELECT count(*) FILTER (WHERE is_active), "  # noqa: S608
            f"max(email) FILTER (WHERE role = %s) FROM {new_users}",
            [owner],
        )
        seats_used, owner_email = cursor.fetchone()
    return SignInKept(
        kept=kept, deactivated=deactivated, seats_used=seats_used, owner_email=owner_email or ""
    )


def _sequence_past_highest(cursor, schema: str, table: str) -> None:
    """The second factors kept may carry ids the restored sequence has not reached yet."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [_table(schema, table)])
    (sequence,) = cursor.fetchone()
    highest = f"SELECT COALESCE(max(id), 0) FROM {_table(schema, table)}"  # noqa: S608
    reached = f"SELECT last_value FROM {sequence}"  # noqa: S608 - a name from the catalog
    cursor.execute(f"SELECT setval(%s, GREATEST(({highest}), ({reached})), true)", [sequence])
