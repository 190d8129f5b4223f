"""Import pages (upload, preview, accept, confirm, cancel) and the downloadable templates."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import role_required

from . import blanks, services
from .forms import UploadForm
from .matching import LEADER, SECTOR, UNIT
from .models import ImportBatch

importers = role_required("office", "unit")
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
    messages.success(
        request,
        _("Imported: %(create)d created, %(update)d updated.")
        % {"create": len(preview.creates), "update": len(preview.updates)},
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
