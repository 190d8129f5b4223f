"""Pre-construction approvals (前期手续): node templates per kind of project, each project's node plan
and the time its nodes were suspended.

The approving departments are the region's units (regions.Unit: 县发展改革委, 县规划自然资源局,
县生态环境局, ...) — the same bodies that lead projects, so they need no second list.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.concurrency import Versioned
from lib.softdelete import LIVE, LiveManager, SoftDeletable
from pool.models import Candidate
from projects.models import Project
from regions.models import Region, Unit


class Procedure(models.TextChoices):
    """How a project is authorised: government-invested projects are approved, large enterprise
    projects ratified, the rest filed."""

    APPROVAL = "approval", _("Approval (审批类)")
    RATIFICATION = "ratification", _("Ratification (核准类)")
    FILING = "filing", _("Filing (备案类)")


class LimitBasis(models.TextChoices):
    STATUTORY = "statutory", _("Statutory limit")
    PROMISED = "promised", _("Promised limit")


class NodeTemplate(SoftDeletable):
    """One node of a region's template for a kind of project, in order. Nodes that share a parallel
    group run side by side (环评 beside 节能审查); the others follow each other."""

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="node_templates", verbose_name=_("region")
    )
    procedure = models.CharField(_("kind of project"), max_length=12, choices=Procedure.choices)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("node"), max_length=60)
    department = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approving department"),
    )
    time_limit = models.PositiveSmallIntegerField(_("time limit (working days)"), default=20)
    limit_basis = models.CharField(
        _("kind of limit"), max_length=10, choices=LimitBasis.choices, default=LimitBasis.PROMISED
    )
    parallel_group = models.PositiveSmallIntegerField(_("parallel group"), null=True, blank=True)
    required_for_start = models.BooleanField(_("required to start construction"), default=True)
    # Who changed or deleted a node of the template, and its values: in the audit log, restorable.
    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "procedure", "sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "procedure", "name"], condition=LIVE, name="approvals_template_node_once"
            ),
        ]
        verbose_name = _("node template")
        verbose_name_plural = _("node templates")

    def __str__(self) -> str:
        return self.name


class ApprovalNodeQuerySet(models.QuerySet):
    def for_user(self, user) -> ApprovalNodeQuerySet:
        """The nodes of the projects a user may see."""
        return self.filter(project__in=Project.objects.for_user(user))

    def editable_by(self, user) -> ApprovalNodeQuerySet:
        """The nodes a user may record on: the office in its region, a unit on its own projects."""
        return self.filter(project__in=Project.objects.editable_by(user))

    def of_candidates_for(self, user) -> ApprovalNodeQuerySet:
        """The nodes of the reserve candidates a user may see (Candidate.objects.for_user). The
        register, the departments' figures and the warnings count projects' nodes only (for_user)."""
        return self.filter(candidate__in=Candidate.objects.for_user(user).values("pk"))

    def plans_of(self, user) -> ApprovalNodeQuerySet:
        """Every node whose plan the user may read: its projects' and its reserve candidates' (the node
        pages, the record form and the attachment view; figures count projects' nodes only)."""
        return self.for_user(user) | self.of_candidates_for(user)


def attachment_path(node: ApprovalNode, filename: str) -> str:
    if node.project_id is None:
        return f"approvals/candidate-{node.candidate_id}/{filename}"
    return f"approvals/{node.project_id}/{filename}"


class ApprovalNode(SoftDeletable, Versioned):
    """One approval a project needs (可研批复, 环评批复, ...): who approves it, when the owner plans to
    submit it, the time limit, and what happened."""

    # A node belongs to a project, or to a reserve-pool candidate until it is promoted (then it moves
    # onto the project: services.nodes_follow_promotion) — exactly one of the two.
    project = models.ForeignKey(
        Project,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="approval_nodes",
        verbose_name=_("project"),
    )
    candidate = models.ForeignKey(
        Candidate,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="approval_nodes",
        verbose_name=_("reserve candidate"),
    )
    procedure = models.CharField(_("kind of project"), max_length=12, choices=Procedure.choices)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("node"), max_length=60)
    department = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_nodes",
        verbose_name=_("approving department"),
    )
    planned_on = models.DateField(_("planned submission"), null=True, blank=True)
    time_limit = models.PositiveSmallIntegerField(_("time limit (working days)"), default=20)
    limit_basis = models.CharField(
        _("kind of limit"), max_length=10, choices=LimitBasis.choices, default=LimitBasis.PROMISED
    )
    parallel_group = models.PositiveSmallIntegerField(_("parallel group"), null=True, blank=True)
    required_for_start = models.BooleanField(_("required to start construction"), default=True)
    submitted_on = models.DateField(_("submitted (complete)"), null=True, blank=True)
    approved_on = models.DateField(_("approved"), null=True, blank=True)
    doc_number = models.CharField(_("document number"), max_length=80, blank=True)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = LiveManager.from_queryset(ApprovalNodeQuerySet)()
    all_objects = ApprovalNodeQuerySet.as_manager()

    class Meta:
        ordering = ["project", "sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], condition=LIVE, name="approvals_node_once_per_project"
            ),
            models.UniqueConstraint(
                fields=["candidate", "name"],
                condition=Q(candidate__isnull=False) & LIVE,
                name="approvals_node_once_per_candidate",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False, candidate__isnull=True)
                | Q(project__isnull=True, candidate__isnull=False),
                name="approvals_node_of_a_project_or_a_candidate",
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(submitted_on__isnull=False),
                name="approvals_node_approved_after_submitted",
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(approved_on__gte=F("submitted_on")),
                name="approvals_node_approved_not_before_submitted",
            ),
        ]
        indexes = [models.Index(fields=["department", "approved_on"])]
        verbose_name = _("approval node")
        verbose_name_plural = _("approval nodes")

    def __str__(self) -> str:
        return self.name


class NodeSuspension(SoftDeletable):
    """Time the clock stops for a node: the department asked for corrections (补正), sent it to expert
    review or put it out for public notice (公示). Its working days do not count against the limit."""

    class Reason(models.TextChoices):
        CORRECTION = "correction", _("Corrections requested (补正)")
        EXPERT = "expert", _("Expert review (专家评审)")
        PUBLICITY = "publicity", _("Public notice (公示)")
        OTHER = "other", _("Other")

    node = models.ForeignKey(
        ApprovalNode, models.CASCADE, related_name="suspensions", verbose_name=_("approval node")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty while it lasts."))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["node", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="approvals_suspension_ends_after_start",
            ),
        ]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on or ''}"
