"""Users, each with one role and scoped to a region's subtree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class User(AbstractUser):
    class Role(models.TextChoices):
        OFFICE = "office", _("Key-project office")
        UNIT = "unit", _("Responsible unit")
        LEADER = "leader", _("Leader in charge")
        SUPERVISOR = "supervisor", _("Supervision office")
        VIEWER = "viewer", _("Viewer")

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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

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
    def can_configure(self) -> bool:
        """Only the office changes plans and configuration."""
        return self.role == self.Role.OFFICE
