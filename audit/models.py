"""The audit log (等保 安全审计): one searchable line per recorded change, written as it happens.

The historical tables of django-simple-history keep every version of the audited models; an
AuditEntry is that change read once, at write time — who, when (the real clock), what object, the
action and each field's old → new as text — with the region it belongs to, so the office's audit log
page is one scoped, indexed query. Report, blocker and task timeline steps are entered too.
Rows are never changed or deleted (audit.immutability), except by the retention prune.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")
        # A soft-deleted row brought back (manage.py restore_deleted).
        RESTORED = "restored", _("restored")
        SUBMITTED = "submitted", _("submitted")
        RESUBMITTED = "resubmitted", _("resubmitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")
        REOPENED = "reopened", _("reopened")
        # Steps of a blocker's and a task's timeline (blockers.BlockerEvent, supervision.TaskFeedback).
        STATUS = "status", _("Status changed")
        ESCALATED = "escalated", _("Escalated")
        COMMENT = "comment", _("Comment")
        AGENDA = "agenda", _("Put on a meeting's agenda")
        DECIDED = "decided", _("Decided at a meeting")
        FEEDBACK = "feedback", _("Progress feedback")
        REPORTED = "reported", _("Reported done")
        SENT_BACK = "sent_back", _("Sent back")
        CLOSED = "closed", _("Closure verified")
        # The audit log itself exported (audit.views): who took which lines out.
        EXPORTED = "exported", _("Exported")

    at = models.DateTimeField(_("time"), default=timezone.now)
    # PROTECT: a user with recorded changes is deactivated, never deleted.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    model = models.CharField(_("object type"), max_length=60)  # "app_label.modelname"
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    # The region the object belongs to (the scope of the audit log page); None for none.
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    # [{"field": name, "old": text, "new": text}, ...]: values as they read then.
    changes = models.JSONField(_("changes"), default=list, blank=True)
    # The object and every old and new value in one lower-case text, for the page's search box.
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["region", "at"]),
            models.Index(fields=["model", "object_id"]),
            models.Index(fields=["by", "at"]),
            models.Index(fields=["at"]),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.model}:{self.object_id}"
