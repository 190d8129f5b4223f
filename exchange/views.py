"""Import pages (upload, preview, accept, confirm, cancel) and the downloadable templates."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import User

from . import blanks, services
from .forms import UploadForm
from .matching import LEADER, SECTOR, UNIT
from .models import ImportBatch
from .project_import import summarise

importers = role_required(User.Role.OFFICE, User.Role.UNIT)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_batch_for_user(request: HttpRequest, pk: int) -> ImportBatch:
    """A batch is seen only by the user who uploaded it; anyone else gets a 404."""
    return get_object_or_404(ImportBatch.objects.select_related("region"), pk=pk, user=request.user)


@importers
def import_list(request: HttpRequest) -> HttpResponse:
    batches = ImportBatch.objects.filter(user=request.user).select_related("region")[:50]
    return render(request, "exchange/list.html", {"batches": batches})


@importers
def import_upload(request: HttpRequest) -> HttpResponse:
    initial = {
        "kind": request.GET.get("kind")
        or (ImportBatch.Kind.PROJECTS if request.user.is_office else ImportBatch.Kind.MONTHLY)
    }
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                user=request.user,
                data=upload.read(),
                filename=upload.name,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                region=form.cleaned_data["region"],
                month=form.cleaned_data["month"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("exchange:preview", pk=batch.pk)
    return render(request, "exchange/upload.html", {"form": form})


@importers
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request, pk)
    preview = None
    if batch.status == ImportBatch.Status.PREVIEW:
        try:
            preview = services.import_preview(batch=batch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    tab = request.GET.get("tab") or ("problems" if preview and preview.errors else "create")
    kinds = [
        (UNIT, _("New responsible units")),
        (SECTOR, _("New sectors")),
        (LEADER, _("New leaders in charge")),
    ]
    proposals = getattr(preview, "proposals", {}) or {}
    groups = [(kind, label, proposals[kind]) for kind, label in kinds if proposals.get(kind)]
    if tab not in ("create", "update", "problems"):
        tab = "problems" if preview and preview.errors else "create"
    return render(
        request,
        "exchange/preview.html",
        {
            "batch": batch,
            "preview": preview,
            "tab": tab,
            "proposal_groups": groups,
        },
    )


@importers
@require_POST
def import_accept(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request, pk)
    if batch.status != ImportBatch.Status.PREVIEW:
        raise Http404
    kind = request.POST.get("kind", "")
    names = request.POST.getlist("name")
    services.import_accept(batch=batch, user=request.user, kind=kind, names=names)
    if names:
        messages.info(
            request,
            _("Accepted as new: %(names)s. Check the preview again, then confirm.")
            % {"names": "、".join(names)},
        )
    return redirect("exchange:preview", pk=batch.pk)


@importers
@require_POST
def import_choose(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's decisions in the preview: tolerant matches ticked, sectors confirmed, rows and
    fields left out. Each form posts one of them; nothing is written to the ledger."""
    batch = get_batch_for_user(request, pk)
    if batch.status != ImportBatch.Status.PREVIEW:
        raise Http404
    post = request.POST
    what = post.get("what", "")
    if what == "matches":
        matches: dict[str, list[str]] = {}
        for value in post.getlist("match"):
            kind, _sep, name = value.partition(":")
            matches.setdefault(kind, []).append(name)
        services.import_choose(batch=batch, user=request.user, matches=matches)
    elif what == "sectors":
        sectors = {}
        for key in post.getlist("row"):
            choice = post.get(f"sector:{key}", "")
            if choice.isdigit():
                sectors[key] = int(choice)
        services.import_choose(batch=batch, user=request.user, sectors=sectors)
    elif what == "rows":
        shown, kept = post.getlist("row"), set(post.getlist("keep"))
        left_out = set(batch.accepted.get("skip") or []) - set(shown) | {k for k in shown if k not in kept}
        fields: dict[str, list[str]] = {
            k: v for k, v in (batch.accepted.get("skip_fields") or {}).items() if k not in shown
        }
        kept_fields = set(post.getlist("keep_field"))
        for value in post.getlist("field"):
            if value not in kept_fields:
                key, _sep, name = value.rpartition("|")
                fields.setdefault(key, []).append(name)
        services.import_choose(batch=batch, user=request.user, skip=sorted(left_out), skip_fields=fields)
    else:
        raise Http404
    messages.info(request, _("Your choices are kept. Check the preview again, then confirm."))
    return redirect(f"{reverse('exchange:preview', args=[batch.pk])}?tab={post.get('tab', '')}")


@importers
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request, pk)
    try:
        preview = services.import_confirm(batch=batch, user=request.user)
    except services.ImportChanged:
        messages.warning(
            request, _("The data changed since the preview was shown. Look at it again, then confirm.")
        )
        return redirect("exchange:preview", pk=batch.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exchange:preview", pk=batch.pk)
    summary = summarise(preview)
    messages.success(
        request,
        _("Imported: created %(create)d, updated %(update)d, unchanged %(unchanged)d, errors %(errors)d.")
        % summary,
    )
    return redirect("exchange:preview", pk=batch.pk)


@importers
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request, pk)
    services.import_cancel(batch=batch, user=request.user)
    messages.info(request, _("The import was cancelled; nothing was written."))
    return redirect("exchange:imports")


@importers
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind == ImportBatch.Kind.PROJECTS and not request.user.is_office:
        raise PermissionDenied
    if kind not in ImportBatch.Kind.values:
        raise Http404
    body, filename = blanks.template_bytes(kind)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
