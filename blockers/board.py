"""The not-yet-started board (未开工项目): every project of the year not started by the month, with
its committed start dates and their slips and the blockers in its way. It reads reports (the month's
plans, the commitments) and blockers, so it lives above both, here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from approvals.readiness import missing, summary
from lib.today import today
from reports.figures import PagedRows, month_plans
from reports.forms import CommitmentForm
from reports.ledger import light_cell, read_projects
from reports.lights import annotate_reasons
from reports.models import StartCommitment
from reports.views import period

from .models import Blocker

MISSING_SHOWN = 4  # what a not-started project lacks, shown before "and N more"


def commitment_story(commitments: list[StartCommitment]) -> tuple[StartCommitment | None, list[dict]]:
    """The current commitment and each slip ("moved from X to Y on Z"), oldest first."""
    ordered = sorted(commitments, key=lambda c: (c.at, c.pk))
    moves = [
        {"old": a.committed_date, "new": b.committed_date, "on": b.at, "by": b.by, "source": b.source}
        for a, b in zip(ordered, ordered[1:], strict=False)
        if a.committed_date != b.committed_date
    ]
    return (ordered[-1] if ordered else None), moves


def _board_rows(request: HttpRequest, year: int, month: int) -> tuple:
    commitments = StartCommitment.objects.select_related("by").order_by("at", "pk")
    rows = month_plans(request.user, year=year, month=month).not_started()
    open_blockers = Blocker.objects.filter(
        status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING]
    ).order_by("deadline", "pk")
    page = Paginator(PagedRows(rows.most_overdue_first()), 100).get_page(request.GET.get("page"))
    # The page's projects, their commitments and open blockers read after the page is cut
    # (reports.ledger.read_projects: joined to the plans, PostgreSQL spent longer planning than reading).
    read_projects(
        page.object_list,
        Prefetch("start_commitments", queryset=commitments),
        Prefetch("blockers", queryset=open_blockers, to_attr="open_blockers"),
        townships=False,
    )
    rows = annotate_reasons(page.object_list, month=month)
    # 具备开工条件: what each project still lacks to start, and who owns it.
    lacking = missing([row.project_id for row in rows])
    user = request.user
    for row in rows:
        row.commitment, row.moves = commitment_story(list(row.project.start_commitments.all()))
        row.blockers = getattr(row.project, "open_blockers", [])
        row.light_html = light_cell(row.light, row.light_reason)
        row.missing = lacking.get(row.project_id, [])
        row.missing_text = summary(row.missing)
        # A long list folds after the first few, so the board stays a board.
        row.missing_more = row.missing[MISSING_SHOWN:]
        row.missing_first, row.missing_rest = summary(row.missing[:MISSING_SHOWN]), summary(row.missing_more)
        # Every row is already in the user's scope: the office commits for any, a unit for its own.
        row.can_commit = user.is_office or (user.is_unit and row.project.lead_unit_id == user.unit_id)
    return page, rows


@login_required
def not_started(request: HttpRequest) -> HttpResponse:
    """未开工项目: every project of the year not started by the month, with blockers and commitments."""
    year, month = period(request)
    page, rows = _board_rows(request, year, month)
    return render(
        request,
        "reports/not_started.html",
        {
            "page": page,
            "year": year,
            "month": month,
            "months": range(1, 13),
            "rows": rows,
            "blockers_app": True,
            "form": CommitmentForm(),
            "today": today(),
        },
    )
