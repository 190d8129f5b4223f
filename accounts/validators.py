"""Password rules a government system needs: length is Django's; character classes are ours."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least `min_classes` of: lower-case, upper-case, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: object = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of: lower-case letters, upper-case letters, "
                    "digits, symbols."
                ),
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _("Use at least %(n)d of: lower-case letters, upper-case letters, digits, symbols.") % {
            "n": self.min_classes
        }


class NotCurrentPasswordValidator:
    """A new password must differ from the user's current one (a change, or an office's reset)."""

    def validate(self, password: str, user: object = None) -> None:
        encoded = getattr(user, "password", "")
        # hashers.check_password, not user.check_password: that one may re-hash and save the user.
        if encoded and check_password(password, encoded):
            raise ValidationError(
                _("The new password must differ from the current one."), code="password_unchanged"
            )

    def get_help_text(self) -> str:
        return _("It must differ from the current password.")
