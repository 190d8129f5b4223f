"""Notifications: in the app (one row per user and thing per day, so a reminder is never repeated the
same day), the channels each user picked, the office's group robots and the log of what went out."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.today import now, today
from regions.models import Region, Unit, region_ids_for

if TYPE_CHECKING:
    from accounts.models import User


class Event(models.Model):
    """What every line of a timeline has — a report's workflow, a blocker's, a task's: when, and who
    (nobody for the system's own steps). The lines a service records; notifications follow them."""

    at = models.DateTimeField(_("at"), default=now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        abstract = True


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", _("Monthly report due")
        TASK_DUE = "task_due", _("Task deadline near")
        TASK_OVERDUE = "task_overdue", _("Task overdue")
        BLOCKER_DUE = "blocker_due", _("Blocker deadline near")
        BLOCKER_OVERDUE = "blocker_overdue", _("Blocker overdue")
        DOCUMENT = "document", _("Document generated")
        REPORT = "report", _("Monthly report")
        BLOCKER = "blocker", _("Blocker")
        TASK = "task", _("Supervision task")
        COMMITMENT = "commitment", _("Committed start")
        DECISION = "decision", _("Meeting decision")
        OTHER = "other", _("Other")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # What the notice is about ("task:12"); with `day`, what makes it unique for the user.
    key = models.CharField(max_length=80)
    day = models.DateField(_("day"), default=today)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key", "day"], name="notification_once_a_day")]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """The channels a user picked beside the app (which always shows the notice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class RobotQuerySet(models.QuerySet):
    def for_user(self, user: User) -> RobotQuerySet:
        """The robots an office configures: those of its own region (never another's)."""
        if not user.is_authenticated or not user.can_configure or user.region_id is None:
            return self.none()
        return self.filter(region_id=user.region_id)


class Robot(models.Model):
    """A group robot of a messaging app: a unit's group (it hears that unit's events) or the region's
    (it hears only titles and counts of region-wide events, never a unit's details)."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom (企业微信)")
        DINGTALK = "dingtalk", _("DingTalk (钉钉)")
        GOV_DINGTALK = "govding", _("Government DingTalk (政务钉钉)")
        FEISHU = "feishu", _("Feishu (飞书)")

    region = models.ForeignKey(Region, models.CASCADE, related_name="+", verbose_name=_("region"))
    unit = models.ForeignKey(
        Unit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Empty: the region's group, which hears titles and counts only."),
    )
    kind = models.CharField(_("messaging app"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    url = models.URLField(_("webhook address"), max_length=500)
    # The signing secret of DingTalk and Feishu robots (WeCom's key is in the URL). Stored as given:
    # the robot needs it to sign; the page never shows it back.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    objects = RobotQuerySet.as_manager()

    class Meta:
        ordering = ["region", "unit", "name", "pk"]
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_secret(self) -> str:
        return (
            f"{self.secret[:3]}…{self.secret[-2:]}" if len(self.secret) > 8 else ("…" if self.secret else "")
        )

    @property
    def masked_url(self) -> str:
        """The host and the last characters only: the key (WeCom), token (DingTalk) or path (Feishu's
        hook id) is the credential."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}/…{self.url[-4:]}"


class DeliveryQuerySet(models.QuerySet):
    def for_user(self, user: User) -> DeliveryQuerySet:
        """The delivery log of the office's region."""
        if not user.is_authenticated or not user.can_configure or user.region_id is None:
            return self.none()
        return self.filter(region__in=region_ids_for(user))


class Delivery(models.Model):
    """One message sent, or to be sent, outside the app: what went where, how it went, how many tries."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        ROBOT = "robot", _("Group robot")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(Region, models.CASCADE, null=True, blank=True, related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    robot = models.ForeignKey(Robot, models.SET_NULL, null=True, blank=True, related_name="deliveries")
    to = models.CharField(_("to"), max_length=200)
    key = models.CharField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=400, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "created_at"])]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.channel} → {self.to}"
