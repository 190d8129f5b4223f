"""API tokens for other systems, and the log of every API call."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "kp_"


def digest(secret: str) -> str:
    """The stored form of a token: its SHA-256, so the database never holds a usable secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_office(self, office) -> ApiTokenQuerySet:
        """Tokens of the users in the office's region subtree (the ones it may issue and revoke)."""
        return self.filter(user__region__path__startswith=office.region.path)


class ApiToken(models.Model):
    """A bearer token that acts as its user: exactly the user's role and scope, nothing more."""

    name = models.CharField(_("name"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, shown in lists so the office can tell tokens apart.
    prefix = models.CharField(_("begins with"), max_length=12, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked is None

    @classmethod
    def issue(cls, *, user, name: str, by) -> tuple[ApiToken, str]:
        """A new token for `user` and its secret. The secret is returned once and never stored."""
        secret = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            name=name, user=user, digest=digest(secret), prefix=secret[:10], created_by=by
        )
        return token, secret

    @classmethod
    def find(cls, secret: str) -> ApiToken | None:
        """The token a secret belongs to (revoked or not), or None."""
        return (
            cls.objects.select_related("user", "user__region", "user__unit")
            .filter(digest=digest(secret))
            .first()
        )

    def revoke(self) -> None:
        if self.revoked is None:
            self.revoked = timezone.now()
            self.save(update_fields=["revoked"])


class ApiCallQuerySet(models.QuerySet):
    def for_office(self, office) -> ApiCallQuerySet:
        return self.filter(user__region__path__startswith=office.region.path)

    def older_than(self, moment: dt.datetime) -> ApiCallQuerySet:
        return self.filter(at__lt=moment)


class ApiCall(models.Model):
    """One call of /api/v1/ by a known caller: a token's or a signed-in session's."""

    class Via(models.TextChoices):
        TOKEN = "token", _("Token")
        SESSION = "session", _("Browser session")

    at = models.DateTimeField(_("time"), default=timezone.now)
    via = models.CharField(_("signed in by"), max_length=8, choices=Via.choices)
    token = models.ForeignKey(
        ApiToken, models.SET_NULL, null=True, blank=True, related_name="calls", verbose_name=_("token")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("endpoint"), max_length=200)
    status = models.PositiveSmallIntegerField(_("status"))

    objects = ApiCallQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "at"], name="api_call_user_at"),
            models.Index(fields=["token", "at"], name="api_call_token_at"),
            models.Index(fields=["at"], name="api_call_at"),  # pruning deletes by age
        ]
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"
