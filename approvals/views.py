"""Pages of the approvals: a project's (or a reserve candidate's) node plan, the register, the
departments, the templates."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import office_required
from lib import concurrency
from lib import params as lib_params
from lib.forms import errors_onto
from lib.today import today
from lib.xlsx import workbook_bytes
from pool.models import Candidate
from projects.models import Project
from projects.views import get_project_for_user
from regions.models import Unit
from workdays.calendar import WorkCalendar

from . import exports, services
from .forms import ApplyTemplateForm, NodeForm, RecordForm, SuspensionForm, TemplateNodeForm
from .models import ApprovalNode, NodeSuspension, NodeTemplate, Procedure
from .selectors import department_figures, register_rows, with_lateness

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Holder:
    """Whose node plan a page shows: a project's, or a reserve candidate's before it is promoted
    (its nodes then move onto the project). The rules are the same for both: every user who sees it
    reads the plan, the office and the owning unit record on it, the office alone sets it."""

    project: Project | None = None
    candidate: Candidate | None = None

    @property
    def item(self) -> Project | Candidate:
        return self.project or self.candidate

    @property
    def owner(self) -> dict:
        return {"project": self.project} if self.project is not None else {"candidate": self.candidate}

    def nodes(self):
        return ApprovalNode.objects.filter(**self.owner)

    def url(self, name: str = "plan") -> str:
        prefix = "" if self.project is not None else "candidate_"
        return reverse(f"approvals:{prefix}{name}", args=[self.item.pk])

    def can_record(self, user) -> bool:
        if self.project is not None:
            return Project.objects.editable_by(user).filter(pk=self.project.pk).exists()
        return Candidate.objects.preparation_editable_by(user).filter(pk=self.candidate.pk).exists()

    def can_plan(self, user) -> bool:
        return user.is_office and self.can_record(user)


def _holder_of(node: ApprovalNode) -> Holder:
    return Holder(project=node.project) if node.project_id else Holder(candidate=node.candidate)


def get_node_for_record(request: HttpRequest, pk: int) -> ApprovalNode:
    """A node the user may record on: 404 out of sight, 403 when only readable."""
    visible = ApprovalNode.objects.plans_of(request.user)
    node = get_object_or_404(
        visible.select_related("project", "project__region", "candidate", "candidate__region"), pk=pk
    )
    if not _holder_of(node).can_record(request.user):
        raise PermissionDenied(_("You may read this plan but not change it."))
    return node


def get_node_for_plan(request: HttpRequest, pk: int) -> ApprovalNode:
    node = get_node_for_record(request, pk)
    if not request.user.is_office:
        raise PermissionDenied(_("Only the key-project office sets the node plan."))
    return node


def _project(request: HttpRequest, pk: int) -> Holder:
    return Holder(project=get_project_for_user(request, pk))


def _candidate(request: HttpRequest, pk: int) -> Holder:
    candidate = get_object_or_404(
        Candidate.objects.for_user(request.user).select_related("region", "project"), pk=pk
    )
    return Holder(candidate=candidate)


def _for_plan(holder: Holder, user) -> Holder:
    if not holder.can_plan(user):
        raise PermissionDenied(_("Only the key-project office sets the node plan."))
    return holder


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _project(request, pk))


@login_required
def candidate_plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _candidate(request, pk))


def _versioned(form, node: ApprovalNode):
    """A node's inline form carrying the version it is drawn from: the office plans a node while the
    unit records on it, and two tabs or two people may hold one node (issue 13)."""
    concurrency.carry_version(form, node)
    return form


def _plan_page(request: HttpRequest, holder: Holder, *, status: int = 200, **forms) -> HttpResponse:
    calendar = WorkCalendar.load()
    on = today()
    rows = with_lateness(holder.nodes().order_by("sort", "pk"), on=on, calendar=calendar)
    can_record = holder.can_record(request.user)
    can_plan = can_record and request.user.is_office
    items = []
    for node, late in rows:
        items.append(
            {
                "node": node,
                "late": late,
                "record_form": forms.get(f"record_{node.pk}")
                or _versioned(RecordForm(instance=node, prefix=f"r{node.pk}"), node),
                "suspension_form": forms.get(f"suspend_{node.pk}")
                or SuspensionForm(node=node, prefix=f"s{node.pk}"),
                "node_form": forms.get(f"node_{node.pk}")
                or _versioned(NodeForm(instance=node, **holder.owner, prefix=f"n{node.pk}"), node),
                "conflict": forms.get(f"conflict_{node.pk}"),
            }
        )
    context = {
        "project": holder.project,
        "candidate": holder.candidate,
        "apply_url": holder.url("apply"),
        "add_url": holder.url("node_add"),
        "items": items,
        "can_record": can_record,
        "can_plan": can_plan,
        "apply_form": forms.get("apply") or ApplyTemplateForm(initial={"start": on}),
        "add_form": forms.get("add") or NodeForm(**holder.owner, prefix="new"),
        "today": on,
        "unknown_years": [y for y in {on.year, on.year + 1} if not calendar.known(y)],
    }
    return render(request, "approvals/plan.html", context, status=status)


def _apply(request: HttpRequest, holder: Holder) -> HttpResponse:
    _for_plan(holder, request.user)
    form = ApplyTemplateForm(request.POST)
    if form.is_valid():
        try:
            added = services.plan_apply_template(
                **holder.owner, procedure=form.cleaned_data["procedure"], start=form.cleaned_data["start"]
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("%(n)s nodes added to the plan.") % {"n": added})
            return redirect(holder.url())
    return _plan_page(request, holder, status=400, apply=form)


@login_required
@require_POST
def apply_template(request: HttpRequest, pk: int) -> HttpResponse:
    return _apply(request, _project(request, pk))


@login_required
@require_POST
def candidate_apply_template(request: HttpRequest, pk: int) -> HttpResponse:
    return _apply(request, _candidate(request, pk))


def _add(request: HttpRequest, holder: Holder) -> HttpResponse:
    _for_plan(holder, request.user)
    form = NodeForm(request.POST, **holder.owner, prefix="new")
    if form.is_valid():
        node = form.save(commit=False)
        node.project, node.candidate = holder.project, holder.candidate
        nodes = holder.nodes()
        node.procedure = nodes.values_list("procedure", flat=True).first() or Procedure.APPROVAL
        node.sort = (nodes.order_by("-sort").values_list("sort", flat=True).first() or 0) + 10
        node.save()
        messages.success(request, _("Node added."))
        return redirect(holder.url())
    return _plan_page(request, holder, status=400, add=form)


@login_required
@require_POST
def node_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(request, _project(request, pk))


@login_required
@require_POST
def candidate_node_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(request, _candidate(request, pk))


@login_required
@require_POST
def node_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_node_for_plan(request, pk)
    holder = _holder_of(node)
    form = _versioned(NodeForm(request.POST, instance=node, **holder.owner, prefix=f"n{node.pk}"), node)
    if form.is_valid():
        conflict = concurrency.save_checked(form, node, form.save)
        if conflict is None:
            messages.success(request, _("Changes saved."))
            return redirect(holder.url())
        return _plan_page(
            request, holder, status=409, **{f"node_{node.pk}": form, f"conflict_{node.pk}": conflict}
        )
    return _plan_page(request, holder, status=400, **{f"node_{node.pk}": form})


@login_required
@require_POST
def node_delete(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_node_for_plan(request, pk)
    holder = _holder_of(node)
    with transaction.atomic():
        node.soft_delete(by=request.user)  # kept, marked who and when (docs/audit.md)
    messages.success(request, _("Node removed from the plan."))
    return redirect(holder.url())


@login_required
@require_POST
def node_record(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_node_for_record(request, pk)
    holder = _holder_of(node)
    form = _versioned(RecordForm(request.POST, request.FILES, instance=node, prefix=f"r{node.pk}"), node)
    if form.is_valid():
        conflict = concurrency.save_checked(form, node, form.save)
        if conflict is None:
            messages.success(request, _("Recorded."))
            return redirect(holder.url())
        context = {f"record_{node.pk}": form, f"conflict_{node.pk}": conflict}
        return _plan_page(request, holder, status=409, **context)
    return _plan_page(request, holder, status=400, **{f"record_{node.pk}": form})


@login_required
@require_POST
def suspension_add(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_node_for_record(request, pk)
    holder = _holder_of(node)
    form = SuspensionForm(request.POST, node=node, prefix=f"s{node.pk}")
    if form.is_valid():
        suspension = form.save(commit=False)
        suspension.node = node
        suspension.save()
        messages.success(request, _("Suspension recorded."))
        return redirect(holder.url())
    return _plan_page(request, holder, status=400, **{f"suspend_{node.pk}": form})


@login_required
@require_POST
def suspension_delete(request: HttpRequest, pk: int) -> HttpResponse:
    visible = ApprovalNode.objects.plans_of(request.user)
    suspension = get_object_or_404(NodeSuspension.objects.filter(node__in=visible), pk=pk)
    node = get_node_for_record(request, suspension.node_id)
    suspension.soft_delete(by=request.user)
    messages.success(request, _("Suspension removed."))
    return redirect(_holder_of(node).url())


# The register -----------------------------------------------------------------------------------


def _register_rows(request: HttpRequest):
    """The register's rows for the query string; a bad value is ignored (the whole register)."""
    params = request.GET

    def number(key: str) -> int | None:
        value = params.get(key, "")
        return int(value) if lib_params.is_id(value) and len(value) < 10 else None

    return register_rows(
        request.user,
        node=lib_params.text(params.get("node"), limit=60, message=_("The search text is not valid.")),
        department=number("department"),
        project=number("project"),
        unit=number("unit"),
        state=params.get("state", ""),
        overdue=params.get("overdue") in ("1", "true"),
    )


def _filter_choices(user) -> dict:
    visible = ApprovalNode.objects.for_user(user)
    return {
        "names": sorted(set(visible.values_list("name", flat=True))),
        "departments": Unit.objects.for_user(user)
        .filter(pk__in=visible.values("department_id"))
        .order_by("name"),
        "units": Unit.objects.for_user(user)
        .filter(pk__in=visible.values("project__lead_unit_id"))
        .order_by("name"),
    }


@login_required
def register(request: HttpRequest) -> HttpResponse:
    rows = _register_rows(request)
    return render(
        request,
        "approvals/register.html",
        {"rows": rows, "params": request.GET, "today": today(), **_filter_choices(request.user)},
    )


@login_required
def register_export(request: HttpRequest) -> HttpResponse:
    on = today()
    body = workbook_bytes(
        [exports.register_sheet(_register_rows(request), region=request.user.region, on=on)]
    )
    return _xlsx(body, f"{request.user.region.name}前期手续台账{on:%Y%m%d}.xlsx")


@login_required
def departments(request: HttpRequest) -> HttpResponse:
    figures = department_figures(with_lateness(ApprovalNode.objects.for_user(request.user)))
    return render(request, "approvals/departments.html", {"figures": figures, "today": today()})


@login_required
def departments_export(request: HttpRequest) -> HttpResponse:
    on = today()
    figures = department_figures(with_lateness(ApprovalNode.objects.for_user(request.user)))
    body = workbook_bytes([exports.departments_sheet(figures, region=request.user.region, on=on)])
    return _xlsx(body, f"{request.user.region.name}审批部门办理情况{on:%Y%m%d}.xlsx")


def _xlsx(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# Templates (the office) --------------------------------------------------------------------------


@office_required
@require_http_methods(["GET", "POST"])
def templates(request: HttpRequest) -> HttpResponse:
    region = request.user.region
    form = TemplateNodeForm(request.POST or None, region=region)
    if request.method == "POST":
        if request.POST.get("standard"):
            added = services.templates_load_standard(region=region)
            messages.success(request, _("%(n)s nodes added to the templates.") % {"n": added})
            return redirect("approvals:templates")
        if form.is_valid():
            node = form.save(commit=False)
            node.region = region
            node.save()
            messages.success(request, _("Node added."))
            return redirect("approvals:templates")
    rows = NodeTemplate.objects.filter(region=region).select_related("department")
    groups = [(label, [t for t in rows if t.procedure == value]) for value, label in Procedure.choices]
    return render(
        request,
        "approvals/templates.html",
        {"groups": groups, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@office_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        get_object_or_404(NodeTemplate, pk=pk, region=request.user.region).soft_delete(by=request.user)
    messages.success(request, _("Node removed from the template."))
    return redirect("approvals:templates")
