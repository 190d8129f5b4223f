"""Pool pages: the list, a candidate with its documents, applications and review, proposing and
editing, the views by sector × maturity, unit, channel and quarter, and the channels the office
keeps. The export and import live in the exchange app (above the pool), which reads `filtered`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib import concurrency, params
from lib.forms import errors_onto

from . import figures, readiness, services
from .filters import CandidateFilter
from .forms import ApplicationForm, CandidateForm, ChannelForm, DocumentForm, ReviewForm
from .models import Candidate, FundingApplication, FundingChannel, PackagingDocument

PAGE_SIZE = 50
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "png": "image/png",
}


def get_candidate_for_user(request: HttpRequest, pk: int) -> Candidate:
    """The candidate if the user may see it; 404 otherwise."""
    qs = Candidate.objects.for_user(request.user).select_related(
        "region", "sector", "lead_unit", "leader", "project", "reviewed_by", "proposed_by"
    )
    return get_object_or_404(qs.prefetch_related("townships", "channels"), pk=pk)


def get_editable_candidate(request: HttpRequest, pk: int) -> Candidate:
    candidate = get_candidate_for_user(request, pk)
    if not Candidate.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return candidate


def filtered(request: HttpRequest) -> CandidateFilter:
    """The pool as the user may see it, filtered as the page asks: the list, the views and the
    export start here."""
    return CandidateFilter(request.GET, queryset=Candidate.objects.for_user(request.user), user=request.user)


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    flt = filtered(request)
    qs = flt.qs.select_related("sector", "lead_unit", "project").prefetch_related("channels")
    page = Paginator(qs.order_by("-proposed_start_year", "sector__sort", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    readiness.mark(list(page.object_list))
    context = {
        "filter": flt,
        "page": page,
        "query": _query(request),
        "totals": figures.sector_maturity(flt.qs).total,
        "can_propose": request.user.is_office or request.user.is_unit,
        "tab": "list",
    }
    return render(request, "pool/list.html", context)


@login_required
def by_sector(request: HttpRequest) -> HttpResponse:
    flt = filtered(request)
    context = {
        "filter": flt,
        "matrix": figures.sector_maturity(flt.qs),
        "maturities": Candidate.Maturity.choices,
        "query": _query(request),
        "tab": "sectors",
    }
    return render(request, "pool/by_sector.html", context)


@login_required
def by_unit(request: HttpRequest) -> HttpResponse:
    flt = filtered(request)
    context = {"filter": flt, "rows": figures.by_unit(flt.qs), "query": _query(request), "tab": "units"}
    return render(request, "pool/by_unit.html", context)


@login_required
def by_channel(request: HttpRequest) -> HttpResponse:
    flt = filtered(request)
    rows = figures.by_channel(flt.qs, FundingChannel.objects.for_user(request.user))
    totals = {
        name: sum((getattr(r, name) for r in rows), figures.ZERO)
        for name in ("applied", "approved", "arrived")
    }
    context = {"filter": flt, "rows": rows, "totals": totals, "query": _query(request), "tab": "channels"}
    return render(request, "pool/by_channel.html", context)


@login_required
def growth(request: HttpRequest) -> HttpResponse:
    flt = filtered(request)
    quarters = figures.growth_by_quarter(flt.qs)
    chart = {
        "labels": [q.label for q in quarters],
        "count": [q.count for q in quarters],
        "cumulative_count": [q.cumulative_count for q in quarters],
        "cumulative_investment": [str(q.cumulative_investment) for q in quarters],
        "names": {
            "count": _("Entered in the quarter"),
            "cumulative_count": _("Candidates in the pool"),
            "cumulative_investment": _("Estimated investment (10k yuan)"),
        },
    }
    context = {"filter": flt, "quarters": quarters, "chart": chart, "query": _query(request), "tab": "growth"}
    return render(request, "pool/growth.html", context)


def _history(candidate: Candidate) -> list:
    """The candidate's review trail from its history: who proposed, accepted or returned it, when,
    and the reason given each time it was returned."""
    records = candidate.history.select_related("history_user").order_by("history_date", "history_id")
    trail, last = [], None
    for record in records:
        if record.review_state != last:
            trail.append(record)
            last = record.review_state
    return trail


def _detail_context(request: HttpRequest, candidate: Candidate, **forms) -> dict:
    user = request.user
    editable = Candidate.objects.editable_by(user).filter(pk=candidate.pk).exists()
    documents = {d.kind: d for d in candidate.documents.all()}
    readiness.mark([candidate])
    return {
        "candidate": candidate,
        "documents": [(kind, label, documents.get(kind)) for kind, label in PackagingDocument.Kind.choices],
        "applications": candidate.applications.select_related("channel"),
        "trail": _history(candidate),
        "editable": editable,
        "can_review": user.is_office and editable,
        "review_form": forms.get("review") or ReviewForm(initial={"priority": candidate.priority}),
        "document_form": forms.get("document") or DocumentForm(),
        "application_form": forms.get("application") or ApplicationForm(user=user),
    }


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request, pk)
    return render(request, "pool/detail.html", _detail_context(request, candidate))


def _candidate_fields(data: dict) -> dict:
    return {name: data[name] for name in services.CANDIDATE_FIELDS if name in data}


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_office or user.is_unit):
        raise PermissionDenied
    services.channels_ensure_defaults(region=user.region)
    form = CandidateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidate = services.candidate_propose(
                by=user,
                region=user.region,
                fields=_candidate_fields(data),
                townships=data["townships"],
                channels=data["channels"],
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Candidate proposed."))
            return redirect("pool:detail", pk=candidate.pk)
    return render(request, "pool/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_editable_candidate(request, pk)
    form = CandidateForm(request.POST or None, instance=candidate, user=request.user)
    concurrency.carry_version(form, candidate)  # the unit and the office may edit it at once (issue 13)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> None:
            services.candidate_edit(
                candidate=candidate,
                by=request.user,
                fields=_candidate_fields(data),
                townships=data["townships"],
                channels=data["channels"],
            )

        try:
            conflict = concurrency.save_checked(form, candidate, save)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            if conflict is not None:
                context = {"form": form, "candidate": candidate, "conflict": conflict}
                return render(request, "pool/form.html", context, status=409)
            messages.success(request, _("Changes saved."))
            return redirect("pool:detail", pk=candidate.pk)
    return render(request, "pool/form.html", {"form": form, "candidate": candidate})


def _act(request: HttpRequest, candidate: Candidate, form, action, name: str) -> HttpResponse:
    """Run a service with a valid form; on bad input re-render the page with the errors, nothing saved."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("pool:detail", pk=candidate.pk)
    context = _detail_context(request, candidate, **{name: form})
    return render(request, "pool/detail.html", context, status=400)


@require_POST
@login_required
def candidate_review(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_office:
        raise PermissionDenied
    candidate = get_editable_candidate(request, pk)
    return _act(
        request,
        candidate,
        ReviewForm(request.POST),
        lambda d: services.candidate_review(
            candidate=candidate,
            by=request.user,
            accept=d["decision"] == "accept",
            reason=d["reason"],
            priority=d["priority"],
        ),
        "review",
    )


@require_POST
@login_required
def document_save(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_editable_candidate(request, pk)
    form = DocumentForm(request.POST, request.FILES)

    def save(data: dict) -> None:
        fields = {n: data[n] for n in ("state", "approved_on", "approving_body", "document_number")}
        services.document_save(
            candidate=candidate, by=request.user, kind=data["kind"], fields=fields, upload=data.get("upload")
        )

    return _act(request, candidate, form, save, "document")


@login_required
def document_download(request: HttpRequest, pk: int, doc_id: int) -> FileResponse:
    candidate = get_candidate_for_user(request, pk)
    doc = get_object_or_404(PackagingDocument, candidate=candidate, pk=doc_id)
    if not doc.file:
        raise Http404
    ext = doc.file.name.rsplit(".", 1)[-1]
    name = f"{candidate.name}-{doc.get_kind_display()}.{ext}"
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404("The document's file was removed.")
    return FileResponse(handle, as_attachment=True, filename=name, content_type=DOCUMENT_TYPES.get(ext))


@require_POST
@login_required
def application_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_editable_candidate(request, pk)
    form = ApplicationForm(request.POST, user=request.user)
    return _act(
        request,
        candidate,
        form,
        lambda d: services.application_save(candidate=candidate, by=request.user, fields=d),
        "application",
    )


@require_POST
@login_required
def application_delete(request: HttpRequest, pk: int, app_id: int) -> HttpResponse:
    candidate = get_editable_candidate(request, pk)
    application = get_object_or_404(FundingApplication, candidate=candidate, pk=app_id)
    services.application_delete(application=application, by=request.user)
    messages.success(request, _("Application removed."))
    return redirect("pool:detail", pk=candidate.pk)


@login_required
@require_http_methods(["GET", "POST"])
def channel_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_office:
        raise PermissionDenied
    services.channels_ensure_defaults(region=user.region)
    channels = FundingChannel.objects.filter(region=user.region)
    editing = None
    if params.is_id(request.GET.get("edit", "")):
        editing = get_object_or_404(channels, pk=int(request.GET["edit"]))
    if request.method == "POST" and params.is_id(request.POST.get("pk", "")):
        editing = get_object_or_404(channels, pk=int(request.POST["pk"]))
    form = ChannelForm(request.POST or None, instance=editing, region=user.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_save(by=user, fields=form.cleaned_data, channel=editing)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Channel saved."))
            return redirect(reverse("pool:channels"))
    status = 400 if request.method == "POST" else 200
    context = {"channels": channels, "form": form, "editing": editing}
    return render(request, "pool/channels.html", context, status=status)
