"""The ledger's domain: sectors, projects and their year plans (units and leaders live in regions)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lib import national_code
from lib.concurrency import Versioned
from lib.softdelete import SoftDeletable
from lib.today import today

# Unit, Leader and region_ids_for are imported here too, so the upper apps may keep importing them
# from projects.models; the layers below import them from regions.
from regions.models import Leader, Region, Township, Unit, region_ids_for

if TYPE_CHECKING:
    from accounts.models import User

NATIONAL_CODE_MESSAGES = {
    "shape": _("A project code has 24 characters in five groups, like %(example)s."),
    "year": _("The code's first group is the year it was issued (%(first)d to %(last)d)."),
    "division": _("The code's second group is not an administrative division code."),
}


def clean_national_code(text: str) -> str:
    """The national project code normalized, or a ValidationError in the user's language."""
    this_year = today().year
    try:
        return national_code.validate(text, this_year=this_year)
    except national_code.NationalCodeError as exc:
        params = {"example": national_code.EXAMPLE, "first": national_code.FIRST_YEAR, "last": this_year + 1}
        raise ValidationError(NATIONAL_CODE_MESSAGES[exc.code], code=exc.code, params=params) from exc


def validate_national_code(value: str) -> None:
    if value and clean_national_code(value) != value:
        raise ValidationError(NATIONAL_CODE_MESSAGES["shape"], params={"example": national_code.EXAMPLE})


MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Sector(models.Model):
    """行业领域 — transport, water conservancy, urban construction, ..."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


def visible_to(user: User, *, via: str = "") -> Q:
    """The condition "the user may see this project", on Project itself (`via` "") or on a model
    that reaches it through a foreign key (`via` "project": a YearPlan, a report).

    One definition for both, so a list of plans is scoped by a condition on the project it already
    joins rather than by a semi-join on a second copy of the projects table: PostgreSQL plans at
    most eight joins in the best order, and the extra copy made it join a province's plans before
    scoping them to a county (docs/benchmarks.md).
    """
    nothing = Q(pk__in=[])
    # The three administrators read no business data (三员分立, accounts.duties).
    if not user.is_authenticated or user.region_id is None or user.is_administrator:
        return nothing
    at = f"{via}__" if via else ""
    project_pk = OuterRef(f"{via}_id" if via else "pk")
    scope = Q(**{f"{at}region__in": region_ids_for(user)})
    if user.role == user.Role.UNIT:
        if user.unit_id is None:
            return nothing
        mine = Q(**{f"{at}lead_unit_id": user.unit_id}) | Exists(
            Project.cooperating_units.through.objects.filter(project_id=project_pk, unit_id=user.unit_id)
        )
        township_id = user.unit.township_id
        if township_id:
            mine |= Exists(
                Project.townships.through.objects.filter(project_id=project_pk, township_id=township_id)
            )
        return scope & mine
    if user.role == user.Role.LEADER:
        if user.leader_id is None:
            return nothing
        return scope & Q(**{f"{at}leader_id": user.leader_id})
    return scope


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user: User) -> ProjectQuerySet:
        """The projects a user may see. Every page, export, API and job starts here."""
        return self.filter(visible_to(user))

    def editable_by(self, user: User) -> ProjectQuerySet:
        """The projects whose data a user may change: office in its region, a unit its own projects."""
        if not user.is_authenticated:
            return self.none()
        if user.role == user.Role.OFFICE:
            return self.for_user(user)
        if user.role == user.Role.UNIT and user.unit_id:
            return self.for_user(user).filter(
                Q(lead_unit_id=user.unit_id)
                | Exists(
                    Project.cooperating_units.through.objects.filter(
                        project_id=OuterRef("pk"), unit_id=user.unit_id
                    )
                )
            )
        return self.none()


class Project(Versioned):
    """重点项目."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County key project")
        CITY = "city", _("City key project")
        PROVINCE = "province", _("Province key project")

    class Nature(models.TextChoices):
        NEW = "new", _("New construction")
        EXPANSION = "expansion", _("Expansion or renovation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        UNDER_CONSTRUCTION = "construction", _("Under construction")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")

    region = models.ForeignKey(Region, models.PROTECT, related_name="projects", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=30)
    # 项目代码, issued by the online approval and supervision platform (lib/national_code.py checks
    # its form); blank until issued, unique once set. A promoted candidate's code moves here.
    national_code = models.CharField(
        _("national project code"), max_length=24, blank=True, default="", validators=[validate_national_code]
    )
    name = models.CharField(_("project name"), max_length=120)
    sector = models.ForeignKey(Sector, models.PROTECT, related_name="projects", verbose_name=_("sector"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.COUNTY)
    nature = models.CharField(_("nature"), max_length=10, choices=Nature.choices, default=Nature.NEW)
    content = models.TextField(_("construction content and scale"))
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    lead_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="led_projects", verbose_name=_("lead responsible unit")
    )
    cooperating_units = models.ManyToManyField(
        Unit, blank=True, related_name="cooperating_projects", verbose_name=_("cooperating units")
    )
    townships = models.ManyToManyField(
        Township, blank=True, related_name="projects", verbose_name=_("townships")
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    leader = models.ForeignKey(
        Leader,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("leader in charge"),
    )
    team_name = models.CharField(_("special team"), max_length=100, blank=True)
    contact_person = models.CharField(_("named person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("named person's phone"), max_length=40, blank=True)
    total_investment = models.DecimalField(_("total investment (10k yuan)"), **MONEY)
    funding_sources = models.CharField(_("funding sources"), max_length=200, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned completion"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual completion"), null=True, blank=True)
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREPARING)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[cooperating_units, townships], excluded_fields=["updated", "version"]
    )
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        unique_together = [("region", "code")]
        constraints = [
            models.UniqueConstraint(
                fields=["national_code"],
                condition=~Q(national_code=""),
                name="projects_project_national_code_unique",
                violation_error_message=_("Another project has this project code."),
            )
        ]
        indexes = [
            models.Index(fields=["region", "lead_unit"]),
            models.Index(fields=["region", "sector"]),
            # The ledger's default order: a page of 50 at province scale walks this index and stops.
            models.Index(fields=["code", "id"], name="projects_project_code_idx"),
        ]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        """Who saved it last and when (its history), for a stale form's message."""
        record = self.history.select_related("history_user").order_by("-history_id").first()
        return (record.history_user, record.history_date) if record else (None, None)


class YearPlan(Versioned):
    """年度计划 — what a project is to do in one year."""

    class Stage(models.TextChoices):
        NEW = "new", _("New start")
        CONTINUING = "continuing", _("Continuing")
        COMPLETING = "completing", _("Completing")
        PREPARATORY = "preparatory", _("Preparatory")

    project = models.ForeignKey(Project, models.CASCADE, related_name="plans", verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    planned_investment = models.DecimalField(_("annual planned investment (10k yuan)"), **MONEY)
    invested_before = models.DecimalField(_("completed before this year (10k yuan)"), default=0, **MONEY)
    planned_start_month = models.PositiveSmallIntegerField(
        _("planned start month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    progress_target = models.TextField(_("physical progress target"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["project__code", "year"]
        unique_together = [("project", "year")]
        indexes = [models.Index(fields=["year", "project"])]
        verbose_name = _("year plan")
        verbose_name_plural = _("year plans")

    def __str__(self) -> str:
        return f"{self.project} · {self.year}"

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        """Who saved it last and when (its history), for a stale form's message."""
        record = self.history.select_related("history_user").order_by("-history_id").first()
        return (record.history_user, record.history_date) if record else (None, None)


class PlanMonth(models.Model):
    """An optional monthly investment plan line (计划 for one month of a year plan)."""

    plan = models.ForeignKey(YearPlan, models.CASCADE, related_name="months")
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    amount = models.DecimalField(_("planned investment (10k yuan)"), **MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "month"]
        unique_together = [("plan", "month")]
        verbose_name = _("monthly plan")
        verbose_name_plural = _("monthly plans")

    def __str__(self) -> str:
        return f"{self.plan} · {self.month}"


class TeamMember(SoftDeletable):
    """A member of the project's special team (专班)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="team", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=40)
    position = models.CharField(_("position"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    duty = models.CharField(_("duty in the team"), max_length=80, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name


# -- the baseline (原始基线) and its revisions (概算调整/工期调整): projects/baseline.py keeps the rules ---
BASELINE_FIELDS = ("total_investment", "planned_start", "planned_end")


class Baseline(models.Model):
    """The project's total investment and planned dates as they were when it entered the list."""

    class How(models.TextChoices):
        CREATED = "created", _("Recorded when the project was created")
        HISTORY = "history", _("Taken from the project's earliest history record")
        CURRENT = "current", _("Taken from the project's values when baselines were introduced")

    project = models.OneToOneField(
        Project, models.CASCADE, primary_key=True, related_name="baseline", verbose_name=_("project")
    )
    total_investment = models.DecimalField(_("original total investment (10k yuan)"), **MONEY)
    planned_start = models.DateField(_("original planned start"), null=True, blank=True)
    planned_end = models.DateField(_("original planned completion"), null=True, blank=True)
    how = models.CharField(_("how it was recorded"), max_length=10, choices=How.choices)
    # When the values were the project's (its creation, or its earliest history record) and when this
    # row was written, both on the real clock (audit times, not lib.today).
    as_of = models.DateTimeField(_("values as of"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("original baseline")
        verbose_name_plural = _("original baselines")

    def __str__(self) -> str:
        return f"{self.project_id} · {self.total_investment}"


class BaselineRevision(Versioned):
    """A change of total investment or planned dates after the baseline: the office's own change
    (approved at once) or a unit's request the office approves or rejects."""

    class State(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("baseline", "Requested")
        APPROVED = "approved", pgettext_lazy("baseline", "Approved")
        REJECTED = "rejected", pgettext_lazy("baseline", "Rejected")

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="baseline_revisions", verbose_name=_("project")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    old_total_investment = models.DecimalField(_("total investment before (10k yuan)"), **MONEY)
    new_total_investment = models.DecimalField(_("total investment after (10k yuan)"), **MONEY)
    old_planned_start = models.DateField(_("planned start before"), null=True, blank=True)
    new_planned_start = models.DateField(_("planned start after"), null=True, blank=True)
    old_planned_end = models.DateField(_("planned completion before"), null=True, blank=True)
    new_planned_end = models.DateField(_("planned completion after"), null=True, blank=True)
    reason = models.TextField(_("reason for the revision"))
    approval_number = models.CharField(_("approval document number"), max_length=100, blank=True)
    approving_authority = models.CharField(_("approving authority"), max_length=100, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["project", "-requested_at", "-pk"]
        constraints = [
            # One request waits at a time: a second would be decided against values the first may change.
            models.UniqueConstraint(
                fields=["project"], condition=Q(state="requested"), name="projects_one_pending_revision"
            )
        ]
        indexes = [models.Index(fields=["state", "project"])]
        verbose_name = _("baseline revision")
        verbose_name_plural = _("baseline revisions")

    def __str__(self) -> str:
        return f"{self.project_id} · {self.get_state_display()}"

    def changed(self) -> list[str]:
        """The baseline fields this revision changes (of BASELINE_FIELDS)."""
        return [
            name for name in BASELINE_FIELDS if getattr(self, f"old_{name}") != getattr(self, f"new_{name}")
        ]

    @property
    def changes_investment(self) -> bool:
        return self.old_total_investment != self.new_total_investment

    @property
    def changes_dates(self) -> bool:
        return (
            self.old_planned_start != self.new_planned_start or self.old_planned_end != self.new_planned_end
        )

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        record = self.history.select_related("history_user").order_by("-history_id").first()
        return (record.history_user, record.history_date) if record else (None, None)
