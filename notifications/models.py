"""In-app notifications: one row per user and thing per day, so a reminder is never repeated the same day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.today import now, today


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
