"""Recorded soft deletes (issue 13 item 6): a row a user deletes stays in its table, marked who and when.

A model that mixes in `SoftDeletable` gets `deleted_at` (the real clock, `timezone.now()`: an audit
time, never the demo's pinned today) and `deleted_by`. Its DEFAULT manager (`objects`, `LiveManager`)
returns live rows only, so every query written against the model — the scoped `for_user`, related
managers (`project.milestones`), `get_object_or_404`, form choices, selectors, warnings and exports —
keeps ignoring deleted rows without a change; `all_objects` sees every row (restore, the audit
trail). Two things the default manager cannot reach, so a model's author must:

- a unique constraint a re-added row would hit gets `condition=LIVE` (`deleted_at IS NULL`);
- a lookup that JOINS into the table from another model (`Project.objects.filter(milestones__…)`,
  `Count("milestones")`) does not go through the manager: spell `…__deleted_at__isnull=True`, or
  filter a subquery from the model's own manager instead.

`soft_delete()` saves the mark with the model's history (django-simple-history), so the historical
row of the delete says who and when; audit.recording shows that change as a deletion with the
row's values. `undelete()` clears the mark (audit.services.deleted_restore).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DELETED_AT = "deleted_at"
# The condition of a unique constraint among live rows: a deleted row never blocks a new one.
LIVE = Q(deleted_at__isnull=True)


class LiveManager(models.Manager):
    """The default manager of a soft-deletable model: live rows only. Combine it with the model's
    own QuerySet as `LiveManager.from_queryset(TheQuerySet)()`."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(LIVE)


class SoftDeletable(models.Model):
    """Mixin for a model whose deletions are recorded soft deletes. Declare `objects` (a
    LiveManager, first) and `all_objects` on the model itself when it has its own QuerySet."""

    # Editable in the model's sense only so that its history's diff sees the mark; no form lists them.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 (managers, not fields: the live one first, the default)

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def soft_delete(self, *, by: Any | None) -> None:
        """Mark the row deleted by `by` (None: by the system, e.g. a promotion dropping a copy) now,
        on the real clock; one historical version records it. Callers hold the transaction."""
        self.deleted_at = timezone.now()
        self.deleted_by = by
        if by is not None:
            self._history_user = by
        self.save(update_fields=[DELETED_AT, "deleted_by"])

    def undelete(self, *, reason: str = "restored") -> None:
        """Clear the mark: the row is live again, a version with the change reason `reason`."""
        self.deleted_at = None
        self.deleted_by = None
        self._change_reason = reason
        self.save(update_fields=[DELETED_AT, "deleted_by"])
