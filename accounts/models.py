"""Users, each with one role and scoped to a region's subtree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import Region


class User(AbstractUser):
    class Role(models.TextChoices):
        OFFICE = "office", _("Key-project office")
        UNIT = "unit", _("Responsible unit")
        LEADER = "leader", _("Leader in charge")
        SUPERVISOR = "supervisor", _("Supervision office")
        VIEWER = "viewer", _("Viewer")
        # The three administrators (三员分立, docs/security.md): none reads business data, none does
        # another's work (accounts.duties).
        SYSADMIN = "sysadmin", _("System administrator")
        SECADMIN = "secadmin", _("Security administrator")
        AUDITOR = "auditor", _("Security auditor")

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("region")
    )
    unit = models.ForeignKey(
        "regions.Unit", models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("unit")
    )
    leader = models.ForeignKey(
        "regions.Leader",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("leader"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Real clock. Set by set_password; the password expires KEYPROJ_PASSWORD_DAYS after it.
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    # Set when an administrator creates the account or sets its password: the user must choose their
    # own at the next sign-in before anything else (accounts.middleware).
    must_change_password = models.BooleanField(_("must change password"), default=False)

    # Who changed a user's role, unit, region or active flag, and when (the audit trail). Never the
    # password hash; a password set or changed is a SecurityEvent. A sign-in's last_login is stored
    # without a history row (accounts.apps).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def clean(self) -> None:
        super().clean()
        if self.role == self.Role.UNIT and not self.unit_id:
            raise ValidationError({"unit": _("A unit user must belong to a unit.")})
        if self.role == self.Role.LEADER and not self.leader_id:
            raise ValidationError({"leader": _("A leader's account must name the leader it is for.")})
        if self.region_id is None:
            raise ValidationError({"region": _("Every user works inside a region.")})

    @property
    def is_office(self) -> bool:
        return self.role == self.Role.OFFICE

    @property
    def is_unit(self) -> bool:
        return self.role == self.Role.UNIT

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER

    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR

    @property
    def is_viewer(self) -> bool:
        return self.role == self.Role.VIEWER

    @property
    def is_region_wide(self) -> bool:
        """Office, supervision office and readers see everything in their region (units and leaders
        see their own projects only)."""
        return self.role in (self.Role.OFFICE, self.Role.SUPERVISOR, self.Role.VIEWER)

    @property
    def is_overseer(self) -> bool:
        """The office and the supervision office: they assign, verify, close and generate documents."""
        return self.role in (self.Role.OFFICE, self.Role.SUPERVISOR)

    @property
    def takes_part(self) -> bool:
        """Every role but the reader: raises blockers and acts on what concerns it."""
        return self.role != self.Role.VIEWER

    @property
    def is_administrator(self) -> bool:
        """One of the three administrators: reads no business data (accounts.duties)."""
        return self.role in ADMINISTRATOR_ROLES

    @property
    def can_configure(self) -> bool:
        """Only the office changes plans and configuration."""
        return self.role == self.Role.OFFICE


ADMINISTRATOR_ROLES = frozenset({User.Role.SYSADMIN, User.Role.SECADMIN, User.Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(User.Role) - ADMINISTRATOR_ROLES)


class SecurityEvent(models.Model):
    """A sign-in, a failed sign-in, a sign-out or a password set, for the login log (等保 安全审计).

    Keyed by the user when the typed name was one (so a rename keeps the user's events), with the
    name as typed. Real clock (timezone.now), never the demo's pinned "today". Rows are never
    changed or deleted (audit.immutability), except by the retention prune.
    """

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        FAILED = "failed", _("Sign-in failed")
        THROTTLED = "throttled", _("Sign-in delayed")
        SIGNED_OUT = "signed_out", _("Signed out")
        PASSWORD_CHANGED = "password", _("Password changed")
        PASSWORD_SET = "password_set", _("Password set by the office")
        OTP_ENROLLED = "otp_enrolled", _("Two-factor sign-in enrolled")
        OTP_FAILED = "otp_failed", _("Wrong two-factor code")
        OTP_RESET = "otp_reset", _("Two-factor sign-in reset")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    # PROTECT: a user with a sign-in history is deactivated, never deleted.
    user = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("username as typed"), max_length=150, blank=True)
    by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["kind", "at"])]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.kind}"
