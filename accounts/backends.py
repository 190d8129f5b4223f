"""Signing in with a username and password, and the signed-in user read back on every request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserBackend(ModelBackend):
    """Django's ModelBackend, reading the signed-in user with its region, unit and leader in one
    query: every page asks for them (the project scope needs the region's path and the unit's
    township, the layout names all three), and read one at a time they were three round trips."""

    def get_user(self, user_id: int) -> User | None:
        try:
            user = User._default_manager.select_related("region", "unit", "leader").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
