"""The not-yet-started board (未开工项目): every project of the year not started by the month, with
its committed start dates and their slips and the blockers in its way. It reads reports (the month's
plans, the commitments) and blockers, so it lives above both, here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approvals.readiness import missing, summary
from lib.money import fmt
from lib.today import today
from projects.models import Project, YearPlan
from reports.figures import PagedRows, month_plans
from reports.ledger import detail_link, light_cell
from reports.lights import annotate_reasons
from reports.models import StartCommitment
from reports.views import period

from .cells import truncate_chars
from .models import Blocker

MISSING_SHOWN = 4  # what a not-started project lacks, shown before "and N more"
PAGE_SIZE = 100


def commitment_story(commitments: list[StartCommitment]) -> tuple[StartCommitment | None, list[dict]]:
    """The current commitment and each slip ("moved from X to Y on Z"), oldest first."""
    ordered = sorted(commitments, key=lambda c: (c.at, c.pk))
    moves = [
        {"old": a.committed_date, "new": b.committed_date, "on": b.at, "source": b.source}
        for a, b in zip(ordered, ordered[1:], strict=False)
        if a.committed_date != b.committed_date
    ]
    return (ordered[-1] if ordered else None), moves


def _by_project(rows) -> dict[int, list]:
    found = defaultdict(list)
    for row in rows:
        found[row.project_id].append(row)
    return found


def _board_rows(request: HttpRequest, year: int, month: int) -> tuple:
    plans = month_plans(request.user, year=year, month=month).not_started()
    page = Paginator(PagedRows(plans.most_overdue_first()), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = annotate_reasons(page.object_list, month=month)
    ids = [row.project_id for row in rows]
    # The page's projects, commitments and open blockers, read after the page is cut and only with
    # what a row prints (joined to the plans, PostgreSQL spent longer planning than reading).
    projects = Project.objects.select_related("lead_unit", "leader").only(
        "code", "name", "lead_unit", "lead_unit__name", "leader", "leader__title"
    )
    projects = {p.pk: p for p in projects.filter(pk__in=ids)} if ids else {}
    commitments = _by_project(
        StartCommitment.objects.filter(project_id__in=ids)
        .only("project_id", "committed_date", "at", "note", "source")
        .order_by("at", "pk")
        if ids
        else []
    )
    blockers = _by_project(
        Blocker.objects.filter(
            project_id__in=ids, status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING]
        )
        .only("project_id", "kind", "description", "deadline")
        .order_by("deadline", "pk")
        if ids
        else []
    )
    # 具备开工条件: what each project still lacks to start, and who owns it.
    lacking = missing(ids)
    user = request.user
    for row in rows:
        row.project = projects[row.project_id]
        row.commitment, row.moves = commitment_story(commitments.get(row.project_id, []))
        row.blockers = blockers.get(row.project_id, [])
        row.missing = lacking.get(row.project_id, [])
        # Every row is already in the user's scope: the office commits for any, a unit for its own.
        row.can_commit = user.is_office or (user.is_unit and row.project.lead_unit_id == user.unit_id)
    return page, rows


def board_rows_html(rows: list[YearPlan], *, request: HttpRequest, on: date) -> SafeString:
    """The board's table rows, written in Python: a page has up to 100 rows, each with a commitment
    form, its story and what it lacks to start, and the template engine spent about half the page's
    time on them (docs/benchmarks.md, session 5). The markup templates/reports/_not_started_row.html
    draws (tests/test_not_started_rows.py holds the two equal); every text escaped. `on`: today,
    for the passed commitments and the overdue blockers."""
    project_url, blocker_url = detail_link("projects:detail"), detail_link("blockers:detail")
    form = _commit_form(request)
    stages = {value: str(label) for value, label in YearPlan.Stage.choices}
    kinds = {value: str(label) for value, label in Blocker.Kind.choices}
    words = {
        "missing": f'<span class="text-danger">{escape(_("Missing: "))}</span>',
        "ready": f'<span class="text-success">{escape(_("Ready to start"))}</span>',
        "colon": escape(_(": ")),
        "passed": f' <span class="kp-overdue">{escape(_("(passed)"))}</span>',
        "none": f'<div class="text-secondary">{escape(_("No commitment"))}</div>',
    }
    lights = {}  # (light, reason) → its cell: most rows of a page share a few reasons
    out = []
    for row in rows:
        p = row.project
        light = (row.light, row.light_reason)
        if light not in lights:
            lights[light] = light_cell(*light)
        month = _("Month %(m)s") % {"m": row.planned_start_month} if row.planned_start_month else "—"
        leader = escape(p.leader.title) if p.leader and p.leader.title else "—"
        out.append(
            f'<tr data-project="{p.pk}">\n'
            f"        <td>{lights[light]}</td>\n"
            f'        <td><a href="{project_url(p.pk)}">{escape(p.name)}</a>'
            f'<div class="small text-secondary">{escape(row.light_reason)}</div></td>\n'
            f'        <td class="text-nowrap">{escape(stages.get(row.stage, row.stage))}</td>\n'
            f"        <td>{month}</td>\n"
            f"        <td>{escape(p.lead_unit.name) if p.lead_unit else ''}</td>\n"
            f"        <td>{leader}</td>\n"
            f'        <td class="num">{"—" if row.planned_investment is None else fmt(row.planned_investment)}</td>\n'
            f"        {_missing_cell(row.missing, words)}\n"
            f'        <td class="small">{_blockers_cell(row.blockers, on, blocker_url, kinds, words)}</td>\n'
            f'        <td class="small" style="min-width: 19rem">\n'
            f"          {_commitment_html(row.commitment, on, words)}\n"
            f"          {''.join(_move_html(m) for m in row.moves)}\n"
            f"          {form(p.pk) if row.can_commit else ''}\n"
            "        </td>\n"
            "      </tr>"
        )
    # The indentation the template's loop gave each row, so that the page reads as it did.
    return mark_safe("".join(f"\n      {row}\n    " for row in out))  # noqa: S308 — every text escaped


def _missing_cell(lacks: list, words: dict) -> str:
    text = escape(summary(lacks))
    if not lacks:
        shown = words["ready"]
    elif len(lacks) > MISSING_SHOWN:
        more = lacks[MISSING_SHOWN:]
        n = len(more)
        shown = (
            f'{words["missing"]}{escape(summary(lacks[:MISSING_SHOWN]))}<details class="kp-missing-more">'
            f"<summary>{ngettext('and %(counter)s more', 'and %(counter)s more', n) % {'counter': n}}</summary>"
            f"{escape(summary(more))}</details>"
        )
    else:
        shown = f"{words['missing']}{text}"
    return f'<td class="small kp-missing" data-missing="{text}">{shown}</td>'


def _blockers_cell(blockers: list[Blocker], on: date, url: Callable, kinds: dict, words: dict) -> str:
    if not blockers:
        return "—"
    return "".join(
        f'<div><a href="{url(b.pk)}" class="{"kp-overdue" if b.deadline and b.deadline < on else ""}">'
        f"{escape(kinds.get(b.kind, b.kind))}</a>{words['colon']}{escape(truncate_chars(b.description, 40))}</div>"
        for b in blockers
    )


def _commitment_html(commitment: StartCommitment | None, on: date, words: dict) -> str:
    if commitment is None:
        return words["none"]
    committed = f"{commitment.committed_date:%Y-%m-%d}"
    passed = words["passed"] if commitment.committed_date < on else ""
    note = (
        f'<div class="text-secondary kp-commitment-note">{escape(commitment.note)}</div>'
        if commitment.note
        else ""
    )
    return f'<div class="fw-semibold" data-committed="{committed}">{committed}{passed}</div>{note}'


def _move_html(move: dict) -> str:
    moved = _("Committed start moved from %(old)s to %(new)s on %(on)s") % {
        "old": f"{move['old']:%Y-%m-%d}",
        "new": f"{move['new']:%Y-%m-%d}",
        "on": f"{timezone.localtime(move['on']):%Y-%m-%d}",
    }
    source = _(" (%(source)s)") % {"source": escape(move["source"])} if move["source"] else ""
    return f'<div class="text-danger kp-slip">{moved}{source}</div>'


def _commit_form(request: HttpRequest) -> Callable[[int], str]:
    """A project id → its commitment form; the form is the same on every row but for its action."""
    probe = 987654321
    head, tail = reverse("reports:commit", args=[probe]).split(str(probe))
    rest = (
        '" class="d-flex flex-wrap align-items-center gap-1 mt-1">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">\n'
        f'            <input type="hidden" name="next" value="{escape(request.get_full_path())}">\n'
        '            <input type="date" name="committed_date" class="form-control form-control-sm" '
        f'style="width: 9.5rem" required aria-label="{escape(_("Committed start date"))}">\n'
        '            <input type="text" name="note" class="form-control form-control-sm" '
        f'style="flex: 1 1 6rem; min-width: 6rem" placeholder="{escape(_("Note"))}" maxlength="200">\n'
        '            <button class="btn btn-sm btn-outline-primary text-nowrap">'
        f"{escape(_('Record commitment'))}</button>\n"
        "          </form>\n"
        "          "
    )
    return lambda pk: f'\n          <form method="post" action="{head}{pk}{tail}{rest}'


@login_required
def not_started(request: HttpRequest) -> HttpResponse:
    """未开工项目: every project of the year not started by the month, with blockers and commitments."""
    year, month = period(request)
    page, rows = _board_rows(request, year, month)
    on = today()
    return render(
        request,
        "reports/not_started.html",
        {
            "page": page,
            "year": year,
            "month": month,
            "months": range(1, 13),
            "rows": rows,
            "rows_html": board_rows_html(rows, request=request, on=on),
            "blockers_app": True,
            "today": on,
        },
    )
