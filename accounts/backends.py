"""Signing in with a username and password, and the signed-in user read back on every request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import router

from lib import statements

from .models import User

# The user's own columns, then each related row's (select_related's order): one read, made models.
RELATED = ("region", "unit", "leader")
USER_COLUMNS = tuple(field.attname for field in User._meta.concrete_fields)
RELATED_COLUMNS = tuple(
    (name, tuple(field.attname for field in User._meta.get_field(name).related_model._meta.concrete_fields))
    for name in RELATED
)
COLUMNS = USER_COLUMNS + tuple(f"{name}__{column}" for name, columns in RELATED_COLUMNS for column in columns)


def _user(db: str, row: tuple) -> User:
    """The user of a COLUMNS row with its region, unit and leader (None where it has none), as
    select_related("region", "unit", "leader") makes it."""
    user = User.from_db(db, USER_COLUMNS, row[: len(USER_COLUMNS)])
    at = len(USER_COLUMNS)
    for name, columns in RELATED_COLUMNS:
        field = User._meta.get_field(name)
        values = row[at : at + len(columns)]
        at += len(columns)
        related = None
        if getattr(user, field.attname) is not None:
            related = field.related_model.from_db(db, columns, values)
        field.set_cached_value(user, related)
    return user


class UserBackend(ModelBackend):
    """Django's ModelBackend, reading the signed-in user with its region, unit and leader in one
    query: every page asks for them (the project scope needs the region's path and the unit's
    township, the layout names all three), and read one at a time they were three round trips.
    The query is compiled once per process (lib.statements, the user's id bound in): compiling
    its three joins on every request cost ~2,200 of a report submission's Python calls."""

    def get_user(self, user_id: int) -> User | None:
        found = statements.by_ids(
            User,
            ("signed-in user",),
            [user_id],
            lambda ids: User._default_manager.filter(pk__in=ids).order_by().values_list(*COLUMNS),
        )
        if not found:
            return None
        user = _user(router.db_for_read(User), found[0])
        return user if self.user_can_authenticate(user) else None
