"""Next year's list (部署下一年重点项目): a draft the office builds from this year's continuing projects
and the pool's candidates ready to start, then publishes.

A draft lives in these two tables only: no YearPlan exists for it, so it counts in no figure, page or
endpoint of its year until it is published (lists.services.list_publish turns each entry into a
YearPlan, and each promoted candidate into a Project, in one transaction). Once published, the
entries keep the figures as published (the export reads them) and link to the plans they became.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.concurrency import Versioned
from lib.softdelete import LIVE, LiveManager, SoftDeletable
from pool.models import Candidate
from projects.models import MONEY, Project, YearPlan, visible_to
from regions.models import Region, region_ids_for

if TYPE_CHECKING:
    from accounts.models import User


class YearListQuerySet(models.QuerySet):
    def for_user(self, user: User) -> YearListQuerySet:
        """The lists a user may see: the office its region's lists, drafts included; everyone else
        in the region only published lists (a draft is the office's working paper and, like its
        plans, appears nowhere else until published). Which entries a unit or leader sees is
        ListEntry.objects.for_user."""
        if not user.is_authenticated or user.region_id is None:
            return self.none()
        scoped = self.filter(region__in=region_ids_for(user))
        if user.role == user.Role.OFFICE:
            return scoped
        return scoped.filter(state=YearList.State.PUBLISHED)


class YearList(models.Model):
    """One region's list of key projects for one year, drafted in the year before."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Real clock (an audit time), not the demo's pinned day.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    history = HistoricalRecords()
    objects = YearListQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region"]
        unique_together = [("region", "year")]
        verbose_name = _("year list")
        verbose_name_plural = _("year lists")

    def __str__(self) -> str:
        return f"{self.region} · {self.year}"

    @property
    def base_year(self) -> int:
        """The year it is drafted in, whose continuing projects roll over."""
        return self.year - 1

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


def entry_visible_to(user: User) -> Q:
    """The condition "the user may see this entry": the list's region for region-wide roles; a unit
    or leader the entries of projects it sees and of candidates it proposes or is in charge of."""
    if not user.is_authenticated or user.region_id is None:
        return Q(pk__in=[])
    scope = Q(year_list__region__in=region_ids_for(user))
    if user.is_region_wide:
        return scope
    projects = Q(project__in=Project.objects.filter(visible_to(user)).values("pk"))
    candidates = Q(candidate__in=Candidate.objects.for_user(user).values("pk"))
    return scope & (projects | candidates)


class ListEntryQuerySet(models.QuerySet):
    def for_user(self, user: User) -> ListEntryQuerySet:
        """The entries a user may see, of the lists the user may see."""
        return self.filter(entry_visible_to(user), year_list__in=YearList.objects.for_user(user))

    def with_rows(self) -> ListEntryQuerySet:
        """What a table of entries shows, in a fixed number of queries."""
        return self.select_related(
            "project__sector",
            "project__lead_unit",
            "candidate__sector",
            "candidate__lead_unit",
            "plan__project",
        )


class ListEntry(SoftDeletable, Versioned):
    """One project on a list: a continuing project of the year before (rolled over) or a promoted
    candidate (a new start), with the year plan the office sets for it."""

    Stage = YearPlan.Stage

    year_list = models.ForeignKey(
        YearList, models.CASCADE, related_name="entries", verbose_name=_("year list")
    )
    project = models.ForeignKey(
        Project, models.PROTECT, null=True, blank=True, related_name="list_entries", verbose_name=_("project")
    )
    candidate = models.ForeignKey(
        Candidate,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="list_entries",
        verbose_name=_("candidate project"),
    )
    stage = models.CharField(_("stage"), max_length=12, choices=YearPlan.Stage.choices)
    planned_investment = models.DecimalField(_("annual planned investment (10k yuan)"), **MONEY)
    # Completed before the list's year. A continuing project's value follows the reports of the year
    # before while this is None, and is stored (frozen) once December's report is approved, or when
    # the list is published; a candidate's is 0.
    invested_before = models.DecimalField(
        _("completed before the year (10k yuan)"), null=True, blank=True, **MONEY
    )
    planned_start_month = models.PositiveSmallIntegerField(
        _("planned start month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    progress_target = models.TextField(_("physical progress target"), blank=True)
    # The plan the entry became when the list was published.
    plan = models.OneToOneField(
        YearPlan, models.SET_NULL, null=True, blank=True, related_name="list_entry", editable=False
    )

    history = HistoricalRecords()
    objects = LiveManager.from_queryset(ListEntryQuerySet)()
    all_objects = ListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["year_list", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, candidate__isnull=True)
                | Q(project__isnull=True, candidate__isnull=False),
                name="lists_entry_project_or_candidate",
            ),
            models.UniqueConstraint(
                fields=["year_list", "project"],
                condition=Q(project__isnull=False) & LIVE,
                name="lists_entry_project_once",
            ),
            models.UniqueConstraint(
                fields=["year_list", "candidate"],
                condition=Q(candidate__isnull=False) & LIVE,
                name="lists_entry_candidate_once",
            ),
        ]
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")

    def __str__(self) -> str:
        return f"{self.year_list} · {self.name}"

    @property
    def subject(self) -> Project | Candidate:
        return self.project or self.candidate

    @property
    def name(self) -> str:
        return self.subject.name

    @property
    def sector(self):
        return self.subject.sector

    @property
    def lead_unit(self):
        return self.subject.lead_unit

    @property
    def total_investment(self):
        return self.project.total_investment if self.project else self.candidate.estimated_investment

    @property
    def is_promoted(self) -> bool:
        return self.candidate_id is not None
