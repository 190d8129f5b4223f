"""The baseline revision requests (概算调整/工期调整申请) the office approves or rejects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib import concurrency

from . import baseline
from .models import BaselineRevision


@login_required
def revision_requests(request: HttpRequest, status: int = 200) -> HttpResponse:
    """The requests waiting in the user's scope; the office decides them here, others read them."""
    return render(
        request,
        "projects/baseline_requests.html",
        {"requests": list(baseline.pending(request.user)), "can_decide": request.user.is_office},
        status=status,
    )


def _seen(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _decide(request: HttpRequest, pk: int, decide) -> HttpResponse:
    try:
        revision = baseline.get_revision_for_decision(request.user, pk)
    except BaselineRevision.DoesNotExist as exc:
        raise Http404 from exc
    try:
        decide(revision, _seen(request))
    except concurrency.Stale as stale:
        who, when = stale.current.last_change()
        messages.error(
            request,
            _("Changed by %(who)s at %(when)s: look at the request again before deciding.")
            % {
                "who": who or _("someone else"),
                "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else "—",
            },
        )
        return revision_requests(request, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return revision_requests(request, status=409 if isinstance(exc, concurrency.WrongState) else 400)
    return redirect("projects:baseline_requests")


@require_POST
@login_required
def revision_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def approve(revision: BaselineRevision, seen: int | None) -> None:
        done = baseline.revision_approve(
            user=request.user,
            revision=revision,
            seen=seen,
            approval_number=request.POST.get("approval_number", "")[:100],
            approving_authority=request.POST.get("approving_authority", "")[:100],
        )
        messages.success(
            request, _("Approved: %(name)s now has the requested values.") % {"name": done.project.name}
        )

    return _decide(request, pk, approve)


@require_POST
@login_required
def revision_reject(request: HttpRequest, pk: int) -> HttpResponse:
    def reject(revision: BaselineRevision, seen: int | None) -> None:
        done = baseline.revision_reject(
            user=request.user, revision=revision, seen=seen, reason=request.POST.get("reason", "")[:2000]
        )
        messages.success(request, _("Rejected: %(name)s keeps its values.") % {"name": done.project.name})

    return _decide(request, pk, reject)
