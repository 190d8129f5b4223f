"""Key milestones (关键节点): what a project is to reach on which day of its year, and when it did.

A milestone is slipped when its planned date has passed and it has not been reached
(milestones.selectors.slipped — the one rule); a slipped milestone puts a warning on its project
beside the schedule light (reports.warnings), with its name, planned date and days overdue. One reached
after its planned date is shown as reached late; it is history, not a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.concurrency import Versioned
from lib.softdelete import LIVE, LiveManager, SoftDeletable
from lib.today import today
from projects.models import Project, visible_to

if TYPE_CHECKING:
    from accounts.models import User


class MilestoneQuerySet(models.QuerySet):
    def for_user(self, user: User) -> MilestoneQuerySet:
        """The milestones of the projects a user may see; every page, export and endpoint starts here."""
        return self.filter(visible_to(user, via="project"))

    def editable_by(self, user: User) -> MilestoneQuerySet:
        """The milestones a user may change: the office's region's, a unit's own projects'."""
        return self.filter(project__in=Project.objects.editable_by(user).values("pk"))


class Milestone(SoftDeletable, Versioned):
    project = models.ForeignKey(Project, models.CASCADE, related_name="milestones", verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("milestone"), max_length=60)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated"])
    objects = LiveManager.from_queryset(MilestoneQuerySet)()
    all_objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["planned_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "name"], condition=LIVE, name="milestone_unique_name"
            ),
        ]
        indexes = [models.Index(fields=["year", "project"])]
        verbose_name = _("key milestone")
        verbose_name_plural = _("key milestones")

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.planned_date and self.year and self.planned_date.year != self.year:
            errors["planned_date"] = _("The planned date must fall in %(year)s.") % {"year": self.year}
        if self.actual_date and self.actual_date > today():
            errors["actual_date"] = _("A milestone cannot be reached in the future.")
        if errors:
            raise ValidationError(errors)
