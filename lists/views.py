"""Next year's list pages: the lists, a list with inline plan editing, the pickers, the comparison,
publish (a confirm step) and the export as published. Writes are the office's; a unit or leader sees
its own entries of a published list, read-only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import office_required
from lib import concurrency
from lib.concurrency import WrongState
from lib.money import ZERO, q2
from lib.today import current_year
from pool import readiness as pool_readiness

from . import exports, selectors, services
from .forms import EntryForm
from .models import ListEntry, YearList


def get_list_for_user(request: HttpRequest, year: int) -> YearList:
    """The user's region's list of `year` if the user may see it (a draft: the office only); 404
    otherwise."""
    return get_object_or_404(
        YearList.objects.for_user(request.user).select_related("region", "published_by"),
        region_id=request.user.region_id,
        year=year,
    )


def get_entry_for_user(request: HttpRequest, year_list: YearList, pk: int) -> ListEntry:
    return get_object_or_404(ListEntry.objects.for_user(request.user).with_rows(), year_list=year_list, pk=pk)


def _ids(request: HttpRequest, name: str) -> list[int]:
    """The checked boxes' ids; anything that is not a whole number is ignored."""
    return sorted({int(v) for v in request.POST.getlist(name) if v.isdigit() and len(v) < 12})


@login_required
@require_http_methods(["GET", "POST"])
def list_index(request: HttpRequest) -> HttpResponse:
    next_year = current_year() + 1
    if request.method == "POST":
        if not request.user.is_office:
            return HttpResponse(status=403)
        try:
            year_list = services.list_draft(user=request.user, year=next_year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("lists:index")
        messages.success(request, _("The %(year)s draft is started.") % {"year": year_list.year})
        return redirect("lists:detail", year=year_list.year)
    lists = YearList.objects.for_user(request.user).filter(region_id=request.user.region_id)
    return render(
        request,
        "lists/index.html",
        {
            "lists": lists,
            "next_year": next_year,
            "can_draft": request.user.is_office and not lists.filter(year=next_year).exists(),
        },
    )


def _totals(entries: list[ListEntry]) -> dict:
    return {
        "count": len(entries),
        "planned": q2(sum((e.planned_investment for e in entries), ZERO)),
        "before": q2(sum((e.before for e in entries), ZERO)),
        "total": q2(sum((e.total_investment for e in entries), ZERO)),
    }


@login_required
def list_detail(request: HttpRequest, year: int) -> HttpResponse:
    year_list = get_list_for_user(request, year)
    services.entries_freeze(user=request.user, year_list=year_list)
    entries = selectors.entry_rows(request.user, year_list)
    return render(
        request,
        "lists/detail.html",
        {
            "year_list": year_list,
            "entries": entries,
            "totals": _totals(entries),
            "can_edit": request.user.is_office and year_list.is_draft,
        },
    )


@office_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """The entry's row as a form (GET), saved (POST): htmx swaps the row; without it, the list."""
    year_list = get_list_for_user(request, year)
    entry = get_entry_for_user(request, year_list, pk)
    form = EntryForm(request.POST or None, instance=entry)
    concurrency.carry_version(form, entry)  # two office tabs or people on one list (issue 13)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            conflict = concurrency.save_checked(
                form,
                entry,
                lambda: services.entry_update(user=request.user, entry=entry, data=form.cleaned_data),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if conflict is not None:
                template = "lists/_entry_form_row.html" if request.htmx else "lists/entry_form.html"
                context = {"entry": entry, "form": form, "year_list": year_list, "conflict": conflict}
                return render(request, template, context, status=200 if request.htmx else 409)
            if not request.htmx:
                messages.success(request, _("Year plan saved."))
                return redirect("lists:detail", year=year)
            fresh = next(e for e in selectors.entry_rows(request.user, year_list) if e.pk == entry.pk)
            return render(
                request, "lists/_entry_row.html", {"entry": fresh, "can_edit": True, "year_list": year_list}
            )
    template = "lists/_entry_form_row.html" if request.htmx else "lists/entry_form.html"
    # htmx swaps only a 2xx answer: the form row with its errors comes back as 200 to it.
    status = 400 if request.method == "POST" and not request.htmx else 200
    return render(request, template, {"entry": entry, "form": form, "year_list": year_list}, status=status)


@office_required
def entry_row(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """The entry's row as shown (the edit form's cancel)."""
    year_list = get_list_for_user(request, year)
    entry = get_entry_for_user(request, year_list, pk)
    fresh = next(e for e in selectors.entry_rows(request.user, year_list) if e.pk == entry.pk)
    return render(
        request,
        "lists/_entry_row.html",
        {"entry": fresh, "can_edit": year_list.is_draft, "year_list": year_list},
    )


@office_required
@require_POST
def entry_remove(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    year_list = get_list_for_user(request, year)
    entry = get_entry_for_user(request, year_list, pk)
    try:
        services.entry_remove(user=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s taken off the list.") % {"name": entry.name})
    return redirect("lists:detail", year=year)


@office_required
@require_http_methods(["GET", "POST"])
def list_add(request: HttpRequest, year: int) -> HttpResponse:
    """The pickers: continuing projects of the year before not on the list, and candidates ready to
    start."""
    year_list = get_list_for_user(request, year)
    if not year_list.is_draft:
        messages.error(request, _("The list is published and can no longer be changed."))
        return redirect("lists:detail", year=year)
    if request.method == "POST":
        projects, candidates = _ids(request, "project"), _ids(request, "candidate")
        try:
            added = 0
            if projects:
                added += services.entries_add_continuing(
                    user=request.user, year_list=year_list, project_ids=projects
                )
            if candidates:
                added += services.entries_add_candidates(
                    user=request.user, year_list=year_list, candidate_ids=candidates
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if added:
                messages.success(request, _("%(n)s added to the list.") % {"n": added})
                return redirect("lists:detail", year=year)
            messages.error(request, _("Choose at least one project or candidate."))
    candidates = list(selectors.ready_candidates(request.user, year_list))
    pool_readiness.mark(candidates)  # what each still lacks to start, by the approvals' one rule
    return render(
        request,
        "lists/add.html",
        {
            "year_list": year_list,
            "continuing": selectors.continuing_choices(request.user, year_list),
            "candidates": candidates,
        },
    )


@login_required
def list_compare(request: HttpRequest, year: int) -> HttpResponse:
    year_list = get_list_for_user(request, year)
    tables = []
    for by, title in (("sector", _("By sector")), ("unit", _("By lead responsible unit"))):
        rows, total = selectors.comparison(request.user, year_list, by=by)
        tables.append({"by": by, "title": title, "rows": rows, "total": total})
    return render(request, "lists/compare.html", {"year_list": year_list, "tables": tables})


@office_required
@require_http_methods(["GET", "POST"])
def list_publish(request: HttpRequest, year: int) -> HttpResponse:
    year_list = get_list_for_user(request, year)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.list_publish(user=request.user, year_list=year_list)
        except WrongState as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("lists:detail", year=year)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("The %(year)s list is published.") % {"year": year})
            return redirect("lists:detail", year=year)
    entries = ListEntry.objects.filter(year_list=year_list)
    summary = entries.aggregate(planned=Sum("planned_investment"))
    return render(
        request,
        "lists/publish.html",
        {
            "year_list": year_list,
            "count": entries.count(),
            "promoted": entries.filter(candidate__isnull=False).count(),
            "planned": q2(summary["planned"]),
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
def list_export(request: HttpRequest, year: int) -> HttpResponse:
    """The list as published (its entries' figures as they were published), in the user's scope."""
    year_list = get_list_for_user(request, year)
    if year_list.is_draft:
        messages.error(request, _("A draft is exported once it is published."))
        return redirect("lists:detail", year=year)
    entries = selectors.entry_rows(request.user, year_list)
    return exports.list_response(entries, year_list=year_list)
