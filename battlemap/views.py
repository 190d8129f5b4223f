"""Battle map pages: dashboard, wall chart (and its PDF), big screen, map and boundary upload.

Views parse the period, call the selectors and render; the charts draw from the same data the
/api/v1/ endpoints serve, handed to the page in a json_script island.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import office_required
from projects.models import Project
from projects.selectors import ledger_years
from reports import warnings
from reports.figures import month_plans

from . import pdf, selectors
from .forms import BoundaryUploadForm
from .fragments import (
    headline_html,
    json_script_html,
    period_form_html,
    project_list_html,
    ranking_cards_html,
    warning_counts_html,
)
from .maps import boundary_for
from .models import MapBoundary
from .wallchart import GROUPINGS, wall_chart

MONTHS = list(range(1, 13))


def _period_context(request: HttpRequest, *, extra_fields: list[tuple] = ()) -> dict:
    """The period asked for and the form that changes it (`extra_fields`: hidden inputs it keeps)."""
    year, month = selectors.period(request.user, request.GET.get("year"), request.GET.get("month"))
    years = ledger_years(request.user) or [year]
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return {
        "year": year,
        "month": month,
        "years": years,
        "months": MONTHS,
        "labels": chart_labels(),
        "period_html": period_form_html(
            years=years, year=year, months=MONTHS, month=month, extra_fields=extra_fields
        ),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = _period_context(request)
    data = selectors.dashboard(request.user, year=context["year"], month=context["month"])
    # Warnings beside the lights, counted by kind (projects carrying each); never in the lights.
    counts = warnings.counts(Project.objects.for_user(request.user), context["year"])
    context.update(
        data=data,
        headline=data["headline"],
        headline_html=headline_html(data["headline"]),
        ranking_html=ranking_cards_html(
            [_ranking_kind(data, name) for name in ("units", "townships")],
            rank_size=selectors.RANK_SIZE,
            units_url=data["units_url"],
        ),
        lagging_html=project_list_html(
            data["lagging"]["items"], empty=_("No started project is behind the schedule.")
        ),
        not_started_html=project_list_html(
            data["not_started"]["items"], empty=_("Every project has started."), start=True
        ),
        warning_counts=counts,
        warning_counts_html=warning_counts_html(counts),
        **_islands(data, context["labels"]),
    )
    return render(request, "battlemap/dashboard.html", context)


def _islands(data: dict, labels: dict) -> dict:
    """The charts' data and words as json_script islands (fragments.json_script_html)."""
    return {
        "data_island": json_script_html(data, "battlemap-data"),
        "labels_island": json_script_html(labels, "battlemap-labels"),
    }


def _ranking_kind(data: dict, name: str) -> dict:
    """A ranking card: how many groups are ranked, whether only both ends are shown, and the groups
    listed apart (rank None: no schedule requirement this month)."""
    apart = [r for r in data[name] if r["rank"] is None]
    ranked = data[f"{name}_ranked"]
    return {"name": name, "ranked": ranked, "capped": ranked > len(data[name]) - len(apart), "apart": apart}


def _wall_context(request: HttpRequest, *, size: int | None = None) -> dict:
    by = request.GET.get("by") if request.GET.get("by") in GROUPINGS else "sector"
    context = _period_context(request, extra_fields=[("by", by)])
    kwargs = {"size": size} if size else {}
    groups, page = wall_chart(
        request.user,
        year=context["year"],
        month=context["month"],
        by=by,
        page=request.GET.get("page") or 1,
        **kwargs,
    )
    plans = month_plans(request.user, year=context["year"], month=context["month"])
    total = plans.figures()
    # The curve's annual plan is the total row's: one aggregate for both.
    curve = selectors.curve(
        request.user, year=context["year"], month=context["month"], plans=plans, planned=total.planned
    )
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        groups=groups,
        page=page,
        by=by,
        curve=curve,
        query=query.urlencode(),
        groupings=[
            ("sector", _("Sector")),
            ("unit", _("Responsible unit")),
            ("leader", _("Leader in charge")),
        ],
        region=request.user.region,
        pdf_available=pdf.available(),
        # The total row: every project in scope, whichever page of rows is shown.
        total=selectors.figures_json(total, year=context["year"], month=context["month"]),
        page_numbers_css=pdf.page_numbers_css(),
    )
    return context


@login_required
def wallchart(request: HttpRequest) -> HttpResponse:
    return render(request, "battlemap/wallchart.html", _wall_context(request))


@login_required
def wallchart_pdf(request: HttpRequest) -> HttpResponse:
    """The wall chart as a landscape A3 PDF, printed by headless Chromium from the rendered page."""
    if not pdf.available():
        messages.error(request, _("PDF printing is not available on this server; use the print button."))
        return redirect(f"{request.path.removesuffix('.pdf')}/?{request.GET.urlencode()}")
    context = _wall_context(request, size=1000)
    context["for_pdf"] = True
    html = render(request, "battlemap/wallchart.html", context).content.decode()
    body = pdf.html_to_pdf(html)
    response = HttpResponse(body, content_type="application/pdf")
    name = f"wallchart-{context['year']}-{context['month']:02d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    context = _period_context(request)
    data = selectors.dashboard(request.user, year=context["year"], month=context["month"])
    context.update(
        data=data,
        headline=data["headline"],
        pinned=bool(request.GET.get("year")),
        part=selectors.scope_part(request.user),
        apart={name: _ranking_kind(data, name)["apart"] for name in ("units", "townships")},
        **_islands(data, context["labels"]),
    )
    return render(request, "battlemap/screen.html", context)


@login_required
def map_view(request: HttpRequest) -> HttpResponse:
    context = _period_context(request)
    context.update(
        tiles={"url": settings.KEYPROJ_MAP_TILES_URL, "attribution": settings.KEYPROJ_MAP_TILES_ATTRIBUTION},
        boundary=boundary_for(request.user),
    )
    return render(request, "battlemap/map.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def boundary_upload(request: HttpRequest) -> HttpResponse:
    """The office uploads its region's outline (GeoJSON) to draw under the points when no tiles are set."""
    region = request.user.region
    current = MapBoundary.objects.filter(region=region).first()
    form = BoundaryUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"name": current.name if current else region.name},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            MapBoundary.objects.update_or_create(
                region=region,
                defaults={
                    "geojson": form.cleaned_data["file"],
                    "name": form.cleaned_data["name"] or region.name,
                    "uploaded_by": request.user,
                },
            )
        messages.success(request, _("The map boundary of %(region)s was saved.") % {"region": region.name})
        return redirect("battlemap:map")
    return render(
        request, "battlemap/boundary_form.html", {"form": form, "current": current, "region": region}
    )


def chart_labels() -> dict[str, str]:
    """The words the charts draw, translated here so the scripts hold no text of their own."""
    return {
        "planned": _("Annual plan"),
        "ytd": _("Completed this year"),
        "scheduled": _("Due by the time-elapsed schedule"),
        "rate": _("Completion rate"),
        "schedule": _("Time-elapsed schedule"),
        "actual": _("Actual (cumulative)"),
        "green": _("Green"),
        "yellow": _("Yellow"),
        "red": _("Red"),
        "lights": _("Warning lights"),
        "wan": _("10k yuan"),
        "month": _("Month"),
        "updated": _("Updated"),
        "no_tiles": _("No map tiles are configured: projects are drawn over the boundary."),
        "no_boundary": _("No boundary has been uploaded yet."),
        "open": _("Open project"),
        "behind": _("behind"),
        "ahead": _("ahead"),
        "points": _("points"),
        "on_map": _("projects on the map"),
        # Same msgid as the big screen's header, so the header reads the same after a refresh.
        "period": _("%(year)s, to the end of month %(month)s"),
        # Same msgid as the big screen's server-drawn line under a ranking.
        "not_ranked": _("Not ranked (no schedule requirement):"),
        "page": _("page %(page)s of %(pages)s"),
    }
