"""Supervision pages: the task list and one task with its feedback; daily inspections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib import concurrency, params
from lib.forms import errors_onto
from lib.today import today
from projects.views import get_project_for_user

from . import exports, rules, services
from .filters import TaskFilter
from .forms import InspectionForm, NoteForm, OptionalNoteForm, TaskForm
from .models import Inspection, InspectionPhoto, SupervisionTask
from .selectors import inspection_queryset, open_tasks_for, task_list_queryset


def get_task_for_user(request: HttpRequest, pk: int) -> SupervisionTask:
    """The task if the user may see it; 404 otherwise."""
    qs = SupervisionTask.objects.for_user(request.user).select_related(
        "project",
        "assignee_unit",
        "leader",
        "blocker",
        "source_decision_link__decision__meeting",
        "source_inspection",
    )
    return get_object_or_404(qs, pk=pk)


def get_inspection_for_user(request: HttpRequest, pk: int) -> Inspection:
    qs = Inspection.objects.for_user(request.user).select_related("project", "inspector")
    return get_object_or_404(qs, pk=pk)


def _filtered(request: HttpRequest) -> TaskFilter:
    return TaskFilter(request.GET, queryset=task_list_queryset(request.user, on=today()), user=request.user)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    flt = _filtered(request)
    page = Paginator(flt.qs.order_by("-overdue_now", "status", "deadline", "pk"), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": flt,
        "page": page,
        "query": query.urlencode(),
        "can_assign": rules.can_assign(request.user),
    }
    return render(request, "supervision/task_list.html", context)


@login_required
def task_export(request: HttpRequest) -> HttpResponse:
    qs = _filtered(request).qs.order_by("deadline", "pk")
    return exports.tasks_response(qs, region=request.user.region, on=today())


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request, pk)
    return render(request, "supervision/task_detail.html", _task_context(request, task))


def _versioned(form, task: SupervisionTask):
    concurrency.carry_version(form, task)
    return form


def _task_context(request: HttpRequest, task: SupervisionTask, conflict=None, **forms) -> dict:
    return {
        "conflict": conflict,
        "task": task,
        "overdue": task.is_overdue(today()),
        "feedback": task.feedback.select_related("by"),
        "can": rules.allowed(request.user, task),
        "feedback_form": forms.get("feedback") or NoteForm(label=_("Progress")),
        "report_form": forms.get("report") or _versioned(NoteForm(label=_("What was done")), task),
        "verify_form": forms.get("verify")
        or _versioned(OptionalNoteForm(label=_("Check note or reason for sending back")), task),
    }


def _task_action(
    request: HttpRequest, pk: int, name: str, allowed, action, form_class=NoteForm
) -> HttpResponse:
    task = get_task_for_user(request, pk)
    if not allowed(request.user, task):
        if rules.is_assignee(request.user, task) or rules.is_manager(request.user):
            # A step the task has already passed (two clicks, two people): say where it is now.
            messages.warning(
                request,
                _("The task has moved on: it is now %(status)s.") % {"status": task.get_status_display()},
            )
            return redirect("supervision:task", pk=task.pk)
        raise PermissionDenied
    form = _versioned(form_class(request.POST), task)
    status, conflict = 400, None
    if form.is_valid():
        try:
            action(task, form.cleaned_data["text"], concurrency.seen_version(form, task))
        except concurrency.Stale as stale:
            status, conflict = 409, concurrency.conflict(form, stale.current)
            task = get_task_for_user(request, pk)
        except concurrency.WrongState as exc:
            messages.warning(request, " ".join(exc.messages))
            return redirect("supervision:task", pk=task.pk)
        except ValidationError as exc:
            form.add_error("text" if hasattr(exc, "error_dict") else None, exc.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("supervision:task", pk=task.pk)
    context = _task_context(request, task, conflict, **{name: form})
    return render(request, "supervision/task_detail.html", context, status=status)


@require_POST
@login_required
def task_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request,
        pk,
        "feedback",
        rules.can_feedback,
        lambda t, text, version: services.task_feedback(task=t, by=request.user, text=text),
    )


@require_POST
@login_required
def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request,
        pk,
        "report",
        rules.can_report_done,
        lambda t, text, version: services.task_report_done(
            task=t, by=request.user, text=text, version=version
        ),
    )


@require_POST
@login_required
def task_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """One form, two buttons: close the task, or send it back with the reason."""
    if request.POST.get("decision") == "send_back":

        def action(t, text, version):
            return services.task_send_back(task=t, by=request.user, reason=text, version=version)
    else:

        def action(t, text, version):
            return services.task_close(task=t, by=request.user, note=text, version=version)

    return _task_action(request, pk, "verify", rules.can_verify, action, form_class=OptionalNoteForm)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    if not rules.can_assign(request.user):
        raise PermissionDenied
    initial = {"deadline": today()}
    if project_id := params.optional_id(
        request.GET.get("project"), _("The project named in the address is not valid.")
    ):
        initial["project"] = get_project_for_user(request, project_id)
    form = TaskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The task belongs where the work is: the project's county, else the assignee unit's, so
            # that a task a city office assigns is in the assignee's own scope.
            region = data["project"].region if data.get("project") else data["assignee_unit"].region
            task = services.task_assign(region=region, by=request.user, **data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Task assigned."))
            return redirect("supervision:task", pk=task.pk)
    return render(request, "supervision/task_form.html", {"form": form})


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    qs = inspection_queryset(request.user).order_by("-date", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/inspection_list.html",
        {"page": page, "can_inspect": rules.can_inspect(request.user)},
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for_user(request, pk)
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "photos": inspection.photos.all(),
            "blockers": inspection.blockers.all(),
            "tasks": inspection.tasks.select_related("assignee_unit"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest) -> HttpResponse:
    if not rules.can_inspect(request.user):
        raise PermissionDenied
    form = InspectionForm(
        request.POST or None, request.FILES or None, user=request.user, initial={"date": today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_record(
                project=data["project"],
                by=request.user,
                date=data["date"],
                findings=data["findings"],
                photos=data["photos"],
                follow_up=data["follow_up"],
                blocker_kind=data["blocker_kind"],
                task_title=data["task_title"],
                assignee_unit=data["assignee_unit"],
                deadline=data["deadline"],
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("supervision:inspection", pk=inspection.pk)
    return render(request, "supervision/inspection_form.html", {"form": form})


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The home-page card of open tasks (htmx partial)."""
    return render(
        request, "supervision/_my_tasks.html", {"my_tasks": open_tasks_for(request.user), "today": today()}
    )


@login_required
def inspection_photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """An inspection photo, served through the same scope check as its inspection."""
    photo = get_object_or_404(
        InspectionPhoto, pk=photo_id, inspection__in=Inspection.objects.for_user(request.user)
    )
    content_type = "image/png" if photo.image.name.lower().endswith(".png") else "image/jpeg"
    return FileResponse(photo.image.open("rb"), content_type=content_type)
