"""The reserve pool (谋划储备库): candidate projects before they enter a year's list, their packaging
documents, and the funding channels they are aligned with and applied to.

A candidate is its own model, not a Project at an early stage: the year's figures, pages and
endpoints count projects only, and a candidate never enters them until it is promoted onto a
published list (apps above the pool do that and set `project`). Its history, documents and
applications stay on the candidate and the project's pages read them through `project.candidate`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.concurrency import Versioned
from lib.softdelete import LiveManager, SoftDeletable
from lib.today import today

# The national code's validator lives beside Project.national_code, one for both (the migration
# names it here).
from projects.models import MONEY, Project, Sector, clean_national_code, validate_national_code  # noqa: F401
from regions.models import Leader, Region, Township, Unit, region_ids_for

if TYPE_CHECKING:
    from accounts.models import User

DEFAULT_CHANNELS = (
    "中央预算内投资",
    "地方政府专项债券",
    "超长期特别国债",
    "政策性开发性金融工具",
    "银行贷款",
    "PPP/特许经营",
    "社会资本",
)


class FundingChannelQuerySet(models.QuerySet):
    def for_user(self, user: User) -> FundingChannelQuerySet:
        """The channels of the user's region and the regions above it (a county uses the
        channels its own office keeps; a city's office sees its counties' lists too)."""
        if not user.is_authenticated or user.region_id is None:
            return self.none()
        return self.filter(region__in=region_ids_for(user))

    def active(self) -> FundingChannelQuerySet:
        return self.filter(retired=False)


class FundingChannel(models.Model):
    """A policy and funding channel (资金渠道) the office keeps for its region."""

    region = models.ForeignKey(Region, models.CASCADE, related_name="+", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=60)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    retired = models.BooleanField(_("retired"), default=False)

    history = HistoricalRecords()
    objects = FundingChannelQuerySet.as_manager()

    class Meta:
        ordering = ["region", "sort", "name"]
        unique_together = [("region", "name")]
        verbose_name = _("funding channel")
        verbose_name_plural = _("funding channels")

    def __str__(self) -> str:
        return self.name


class CandidateQuerySet(models.QuerySet):
    def for_user(self, user: User) -> CandidateQuerySet:
        """The candidates a user may see. Every pool page, export, import and endpoint starts here:
        the office, supervisors and viewers their region's subtree, a unit the candidates it
        proposes (its lead unit), a leader those in its charge."""
        if not user.is_authenticated or user.region_id is None:
            return self.none()
        scoped = self.filter(region__in=region_ids_for(user))
        if user.role == user.Role.UNIT:
            return scoped.filter(lead_unit_id=user.unit_id) if user.unit_id else self.none()
        if user.role == user.Role.LEADER:
            return scoped.filter(leader_id=user.leader_id) if user.leader_id else self.none()
        return scoped

    def editable_by(self, user: User) -> CandidateQuerySet:
        """The candidates whose data a user may change: the office in its region, a unit its own
        while they are proposed or returned (an accepted candidate is the office's to change)."""
        if not user.is_authenticated:
            return self.none()
        if user.role == user.Role.OFFICE:
            return self.for_user(user)
        if user.role == user.Role.UNIT:
            return self.for_user(user).exclude(review_state=Candidate.Review.ACCEPTED)
        return self.none()

    def preparation_editable_by(self, user: User) -> CandidateQuerySet:
        """The candidates whose pre-construction work (approval nodes, land) a user records, as on a
        project: the office in its region, a unit its own — whatever the review, since approvals are
        obtained after acceptance — while they are in the pool."""
        if not user.is_authenticated or user.role not in (user.Role.OFFICE, user.Role.UNIT):
            return self.none()
        return self.for_user(user).in_pool()

    def in_pool(self) -> CandidateQuerySet:
        """Not yet promoted onto a list."""
        return self.filter(project__isnull=True)


class Candidate(Versioned):
    """储备项目 — a project being planned and packaged, proposed by a unit."""

    class Maturity(models.TextChoices):
        IDEA = "idea", _("Idea")
        PACKAGED = "packaged", _("Packaged")
        PREPARATORY = "preparatory", _("In approvals")
        READY = "ready", _("Ready to start")

    class Review(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    class Priority(models.TextChoices):
        A = "A", _("A (first)")
        B = "B", _("B (second)")
        C = "C", _("C (third)")

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    name = models.CharField(_("project name"), max_length=120)
    sector = models.ForeignKey(Sector, models.PROTECT, related_name="candidates", verbose_name=_("sector"))
    lead_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="candidates", verbose_name=_("proposing unit")
    )
    townships = models.ManyToManyField(
        Township, blank=True, related_name="candidates", verbose_name=_("townships")
    )
    leader = models.ForeignKey(
        Leader,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("leader in charge"),
    )
    content = models.TextField(_("construction content and scale"))
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    estimated_investment = models.DecimalField(_("estimated total investment (10k yuan)"), **MONEY)
    proposed_start_year = models.PositiveSmallIntegerField(
        _("proposed start year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    maturity = models.CharField(_("maturity"), max_length=12, choices=Maturity.choices, default=Maturity.IDEA)
    national_code = models.CharField(
        _("national project code"), max_length=24, blank=True, validators=[validate_national_code]
    )
    channels = models.ManyToManyField(
        FundingChannel, blank=True, related_name="candidates", verbose_name=_("funding channels")
    )
    # A business date (the demo's "today"), for the pool's growth by quarter.
    entered_on = models.DateField(_("entered the pool on"), default=today)
    review_state = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PROPOSED
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    priority = models.CharField(_("priority"), max_length=1, choices=Priority.choices, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Set when the candidate is promoted onto a published list (by the lists app).
    project = models.OneToOneField(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
        verbose_name=_("key project"),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[townships, channels], excluded_fields=["updated", "version"])
    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_start_year", "sector__sort", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_code"],
                condition=~Q(national_code=""),
                name="pool_candidate_national_code_unique",
            )
        ]
        indexes = [
            models.Index(fields=["region", "proposed_start_year"]),
            models.Index(fields=["region", "lead_unit"]),
        ]
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")

    def __str__(self) -> str:
        return self.name

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        """Who saved it last and when (its history), for a stale form's message."""
        record = self.history.select_related("history_user").order_by("-history_date", "-history_id").first()
        return (record.history_user, record.history_date) if record else (None, None)


def document_path(instance: PackagingDocument, filename: str) -> str:
    # A random name: the file is served only through the scoped download view, never guessed.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"pool/{instance.candidate_id}/{uuid.uuid4().hex}.{ext[:5]}"


class PackagingDocument(models.Model):
    """A packaging document (项目建议书, 可行性研究报告, 初步设计) and where it stands."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Project proposal")
        FEASIBILITY = "feasibility", _("Feasibility study report")
        DESIGN = "design", _("Preliminary design")

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not prepared yet")
        PREPARED = "prepared", _("Prepared")
        APPROVED = "approved", _("Approved by the authority")

    candidate = models.ForeignKey(
        Candidate, models.CASCADE, related_name="documents", verbose_name=_("candidate project")
    )
    kind = models.CharField(_("document"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.NOT_STARTED)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approving_body = models.CharField(_("approving body"), max_length=100, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ["candidate", "kind"]
        unique_together = [("candidate", "kind")]
        verbose_name = _("packaging document")
        verbose_name_plural = _("packaging documents")

    def __str__(self) -> str:
        return f"{self.candidate} · {self.get_kind_display()}"


class FundingApplicationQuerySet(models.QuerySet):
    def for_user(self, user: User) -> FundingApplicationQuerySet:
        """The applications of the candidates the user may see."""
        return self.filter(candidate__in=Candidate.objects.for_user(user).values("pk"))


class FundingApplication(SoftDeletable):
    """One application of a candidate to a funding channel (申报): applied, approved, arrived."""

    candidate = models.ForeignKey(
        Candidate, models.CASCADE, related_name="applications", verbose_name=_("candidate project")
    )
    channel = models.ForeignKey(
        FundingChannel, models.PROTECT, related_name="applications", verbose_name=_("funding channel")
    )
    batch = models.CharField(_("batch"), max_length=60, blank=True)
    amount_applied = models.DecimalField(_("applied (10k yuan)"), default=0, **MONEY)
    amount_approved = models.DecimalField(_("approved (10k yuan)"), default=0, **MONEY)
    amount_arrived = models.DecimalField(_("arrived (10k yuan)"), default=0, **MONEY)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = LiveManager.from_queryset(FundingApplicationQuerySet)()
    all_objects = FundingApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["candidate", "applied_on", "pk"]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")

    def __str__(self) -> str:
        return f"{self.candidate} · {self.channel} {self.batch}".strip()
