"""Land acquisition and demolition (征地拆迁): what a project needs in each township, and what is done,
month by month.

A `LandPlan` is one project's land in one township: the area it needs (亩) and of it farmland, the
state of its land-use approval (用地报批), the households and buildings to relocate, the compensation
needed (万元) and the date the land is to be handed over (交地). A `LandMonth` records what was done
IN that month (not a running total): area acquired and handed over, households and buildings relocated,
compensation paid. To-date figures are the sums of the months (selectors.plans_with_totals), so a
month corrected later changes every total after it with no second place to update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.concurrency import Versioned
from lib.softdelete import LIVE, LiveManager, SoftDeletable
from pool.models import Candidate
from projects.models import Project, Township, visible_to

if TYPE_CHECKING:
    from accounts.models import User

AREA = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}
MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class LandPlanQuerySet(models.QuerySet):
    def for_user(self, user: User) -> LandPlanQuerySet:
        """The land plans of the projects a user may see; every page, export and endpoint starts here."""
        return self.filter(visible_to(user, via="project"))

    def editable_by(self, user: User) -> LandPlanQuerySet:
        """The plans a user may change: the office any in its region, a unit those of its own projects."""
        return self.filter(project__in=Project.objects.editable_by(user).values("pk"))

    def of_candidates_for(self, user: User) -> LandPlanQuerySet:
        """The land plans of the reserve candidates a user may see (Candidate.objects.for_user). The
        register, its export, the API and the warnings count projects' land only (for_user)."""
        return self.filter(candidate__in=Candidate.objects.for_user(user).values("pk"))

    def of_candidates_editable_by(self, user: User) -> LandPlanQuerySet:
        """The candidates' plans a user may change: as on a project, the office in its region and a
        unit on its own candidates, while they are in the pool."""
        return self.filter(candidate__in=Candidate.objects.preparation_editable_by(user).values("pk"))


class LandPlan(SoftDeletable, Versioned):
    class Approval(models.TextChoices):
        NOT_SUBMITTED = "not_submitted", _("Not submitted")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")

    # A plan belongs to a project, or to a reserve-pool candidate until it is promoted (then it moves
    # onto the project: services.plans_follow_promotion) — exactly one of the two.
    project = models.ForeignKey(
        Project, models.CASCADE, null=True, blank=True, related_name="land_plans", verbose_name=_("project")
    )
    candidate = models.ForeignKey(
        Candidate,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="land_plans",
        verbose_name=_("reserve candidate"),
    )
    township = models.ForeignKey(
        Township, models.PROTECT, related_name="land_plans", verbose_name=_("township")
    )
    area_needed = models.DecimalField(_("area needed (mu)"), **AREA)
    farmland = models.DecimalField(_("of it farmland (mu)"), default=0, **AREA)
    approval = models.CharField(
        _("land-use approval"), max_length=14, choices=Approval.choices, default=Approval.NOT_SUBMITTED
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_number = models.CharField(_("approval document number"), max_length=60, blank=True)
    households = models.PositiveIntegerField(_("households to relocate"), default=0)
    buildings = models.PositiveIntegerField(_("buildings to relocate"), default=0)
    compensation_needed = models.DecimalField(_("compensation needed (10k yuan)"), default=0, **MONEY)
    handover_due = models.DateField(_("planned hand-over date"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated"])

    objects = LiveManager.from_queryset(LandPlanQuerySet)()
    all_objects = LandPlanQuerySet.as_manager()

    class Meta:
        ordering = ["project__code", "township__sort", "township__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "township"], condition=LIVE, name="land_plan_one_per_township"
            ),
            models.UniqueConstraint(
                fields=["candidate", "township"],
                condition=Q(candidate__isnull=False) & LIVE,
                name="land_plan_one_per_township_of_a_candidate",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False, candidate__isnull=True)
                | Q(project__isnull=True, candidate__isnull=False),
                name="land_plan_of_a_project_or_a_candidate",
            ),
            models.CheckConstraint(
                condition=Q(farmland__lte=F("area_needed")), name="land_plan_farmland_within_area"
            ),
            models.CheckConstraint(
                condition=~Q(approval="approved") | Q(approved_on__isnull=False),
                name="land_plan_approved_has_date",
            ),
        ]
        verbose_name = _("land plan")
        verbose_name_plural = _("land plans")

    def __str__(self) -> str:
        return f"{self.project or self.candidate} · {self.township}"


class LandMonth(Versioned):
    """What was done for one plan in one month (in-month figures, not running totals)."""

    plan = models.ForeignKey(LandPlan, models.CASCADE, related_name="months", verbose_name=_("land plan"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    acquired = models.DecimalField(_("area acquired (mu)"), default=0, **AREA)
    handed_over = models.DecimalField(_("area handed over (mu)"), default=0, **AREA)
    households_relocated = models.PositiveIntegerField(_("households relocated"), default=0)
    buildings_relocated = models.PositiveIntegerField(_("buildings relocated"), default=0)
    compensation_paid = models.DecimalField(_("compensation paid (10k yuan)"), default=0, **MONEY)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ["plan", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "month"], name="land_month_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="land_month_month_1_12"),
        ]
        verbose_name = _("land month")
        verbose_name_plural = _("land months")

    def __str__(self) -> str:
        return f"{self.plan} {self.year}-{self.month:02d}"
