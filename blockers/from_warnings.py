"""A blocker raised from a warning (预警) in one click: an approval node late → an approvals blocker, land
behind → a land blocker. Generic over every kind of warning that names a kind of blocker
(reports.warnings.register(..., blocker_kind=...)); the reason is the warning's own, recomputed here,
never taken from the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.today import today
from projects.models import Project
from projects.views import get_project_for_user
from reports import warnings

from . import rules, services
from .models import Blocker

STILL_OPEN = [Blocker.Status.OPEN, Blocker.Status.COORDINATING]


@login_required
@require_POST
def raise_from_warning(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk)
    kind = warnings.kind(request.POST.get("warning", ""))
    if kind is None or not kind.blocker_kind:
        raise Http404(_("There is no such warning."))
    if not rules.can_raise(request.user, project):
        raise PermissionDenied(_("You may not raise a blocker on this project."))
    found = warnings.for_projects(Project.objects.filter(pk=project.pk), today().year).get(project.pk, [])
    reasons = [w.reason for w in found if w.kind == kind.code]
    if not reasons:
        messages.info(request, _("The warning has cleared: no blocker is needed."))
        return redirect("projects:detail", pk=project.pk)
    description = "；".join(reasons)
    same = Blocker.objects.filter(
        project=project, kind=kind.blocker_kind, description=description, status__in=STILL_OPEN
    ).first()
    if same is not None:
        messages.info(request, _("This blocker is already open."))
        return redirect("blockers:detail", pk=same.pk)
    blocker = services.blocker_raise(
        project=project, by=request.user, kind=kind.blocker_kind, description=description
    )
    messages.success(request, _("Blocker recorded."))
    return redirect("blockers:detail", pk=blocker.pk)
