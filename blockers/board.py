"""The not-yet-started board (未开工项目): every project of the year not started by the month, with
its committed start dates and their slips and the blockers in its way. It reads reports (the month's
plans, the commitments) and blockers, so it lives above both, here."""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from approvals.readiness import missing, summarizer
from lib import statements
from lib.money import fmt
from lib.today import today
from projects.models import Project, YearPlan
from reports.figures import month_plans
from reports.ledger import detail_link, light_cell
from reports.lights import annotate_reasons
from reports.models import StartCommitment
from reports.paging import PagedRows
from reports.views import period

from .cells import Escaped, esc, truncate_chars
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


# What the board prints of a page's commitments and open blockers (read as tuples, see _board_rows).
_Commitment = namedtuple("_Commitment", "pk project_id committed_date at note source")
_OpenBlocker = namedtuple("_OpenBlocker", "pk project_id kind description deadline")
_PROJECT = YearPlan._meta.get_field("project")


def _board_rows(request: HttpRequest, year: int, month: int) -> tuple:
    plans = month_plans(request.user, year=year, month=month).not_started()
    page = Paginator(PagedRows(plans.most_overdue_first()), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = annotate_reasons(page.object_list, month=month)
    ids = [row.project_id for row in rows]
    # The page's projects, commitments and open blockers, read after the page is cut and only with
    # what a row prints (joined to the plans, PostgreSQL spent longer planning than reading). Their
    # statements are compiled once per process and read as tuples (lib.statements): building them and
    # their model instances cost more Python than the rest of the page (docs/benchmarks.md, session 7).
    projects = {}
    for pk, name, code, unit_id, unit, leader_id, title in statements.by_ids(
        Project, ("board projects",), ids, _projects
    ):
        projects[pk] = SimpleNamespace(
            pk=pk,
            name=name,
            code=code,
            lead_unit_id=unit_id,
            lead_unit=None if unit_id is None else SimpleNamespace(pk=unit_id, name=unit),
            leader=None if leader_id is None else SimpleNamespace(pk=leader_id, title=title),
        )
    commitments = _by_project(
        map(_Commitment._make, statements.by_ids(StartCommitment, ("board commitments",), ids, _commitments))
    )
    blockers = _by_project(
        map(_OpenBlocker._make, statements.by_ids(Blocker, ("board blockers",), ids, _blockers))
    )
    # 具备开工条件: what each project still lacks to start, and who owns it.
    lacking = missing(ids)
    # Every row is already in the user's scope: the office commits for any, a unit for its own.
    user = request.user
    commits_all, is_unit, own_unit = user.is_office, user.is_unit, user.unit_id
    for row, pk in zip(rows, ids, strict=True):
        project = projects[pk]
        # What a row prints of its project, where select_related would have put a Project: the
        # page only reads it (board_rows_html and the tests of the page's rows).
        _PROJECT.set_cached_value(row, project)
        row.commitment, row.moves = commitment_story(commitments[pk]) if pk in commitments else (None, [])
        row.blockers = blockers.get(pk, [])
        row.missing = lacking.get(pk, [])
        row.can_commit = commits_all or (is_unit and project.lead_unit_id == own_unit)
    return page, rows


# The statements of _board_rows, given the stand-in for the page's project ids (see lib.statements).
def _projects(ids) -> QuerySet:
    return Project.objects.filter(pk__in=ids).values_list(
        "pk", "name", "code", "lead_unit_id", "lead_unit__name", "leader_id", "leader__title"
    )


def _commitments(ids) -> QuerySet:
    return (
        StartCommitment.objects.filter(project_id__in=ids)
        .order_by("at", "pk")
        .values_list(*_Commitment._fields)
    )


def _blockers(ids) -> QuerySet:
    return (
        Blocker.objects.filter(
            project_id__in=ids, status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING]
        )
        .order_by("deadline", "pk")
        .values_list(*_OpenBlocker._fields)
    )


def board_rows_html(
    rows: list[YearPlan], *, request: HttpRequest, on: date, csrf_token: str | None = None
) -> SafeString:
    """The board's table rows, written in Python: a page has up to 100 rows, each with a commitment
    form, its story and what it lacks to start, and the template engine spent about half the page's
    time on them (docs/benchmarks.md, session 5). The markup templates/reports/_not_started_row.html
    draws (tests/test_not_started_rows.py holds the two equal); every text escaped. `on`: today,
    for the passed commitments and the overdue blockers; `csrf_token`: the page's token, when the
    view has asked for it already (get_token masks a new one each time it is asked)."""
    words = _words()
    project_url, blocker_url = words["project_url"], words["blocker_url"]
    form = _commit_form(request, words, csrf_token or get_token(request))
    cells = Escaped()
    stages, kinds, month_of = words["stages"], words["kinds"], words["month"]
    lights = {}  # (light, reason) → its cell: most rows of a page share a few reasons
    out = []
    for row in rows:
        p = row.project
        light = (row.light, row.light_reason)
        if light not in lights:
            lights[light] = light_cell(*light)
        month = month_of % {"m": row.planned_start_month} if row.planned_start_month else "—"
        leader = cells[p.leader.title] if p.leader and p.leader.title else "—"
        stage = stages[row.stage] if row.stage in stages else cells[row.stage]
        out.append(
            f'<tr data-project="{p.pk}">\n'
            f"        <td>{lights[light]}</td>\n"
            f'        <td><a href="{project_url(p.pk)}">{esc(p.name)}</a>'
            f'<div class="small text-secondary">{cells[row.light_reason]}</div></td>\n'
            f'        <td class="text-nowrap">{stage}</td>\n'
            f"        <td>{month}</td>\n"
            f"        <td>{cells[p.lead_unit.name] if p.lead_unit else ''}</td>\n"
            f"        <td>{leader}</td>\n"
            f'        <td class="num">{"—" if row.planned_investment is None else fmt(row.planned_investment)}</td>\n'
            f"        {_missing_cell(row.missing, words)}\n"
            f'        <td class="small">{_blockers_cell(row.blockers, on, blocker_url, kinds, cells, words) if row.blockers else "—"}</td>\n'
            f'        <td class="small" style="min-width: 19rem">\n'
            f"          {_commitment_html(row.commitment, on, words)}\n"
            f"          {''.join([_move_html(m, words) for m in row.moves]) if row.moves else ''}\n"
            f"          {form(p.pk) if row.can_commit else ''}\n"
            "        </td>\n"
            "      </tr>"
        )
    # The indentation the template's loop gave each row, so that the page reads as it did.
    return mark_safe("".join([f"\n      {row}\n    " for row in out]))  # noqa: S308 — every text escaped


def _missing_cell(lacks: list, words: dict) -> str:
    if not lacks:
        return f'<td class="small kp-missing" data-missing="">{words["ready"]}</td>'
    summary = words["summary"]
    text = esc(summary(lacks))
    if len(lacks) > MISSING_SHOWN:
        more = lacks[MISSING_SHOWN:]
        n = len(more)
        shown = (
            f'{words["missing"]}{esc(summary(lacks[:MISSING_SHOWN]))}<details class="kp-missing-more">'
            f"<summary>{ngettext('and %(counter)s more', 'and %(counter)s more', n) % {'counter': n}}</summary>"
            f"{esc(summary(more))}</details>"
        )
    else:
        shown = f"{words['missing']}{text}"
    return f'<td class="small kp-missing" data-missing="{text}">{shown}</td>'


def _blockers_cell(blockers: list, on: date, url: Callable, kinds: dict, cells: Escaped, words: dict) -> str:
    return "".join(
        [
            f'<div><a href="{url(b.pk)}" class="{"kp-overdue" if b.deadline and b.deadline < on else ""}">'
            f"{kinds[b.kind] if b.kind in kinds else cells[b.kind]}</a>{words['colon']}"
            f"{esc(truncate_chars(b.description, 40))}</div>"
            for b in blockers
        ]
    )


def _commitment_html(commitment: StartCommitment | None, on: date, words: dict) -> str:
    if commitment is None:
        return words["none"]
    committed = f"{commitment.committed_date:%Y-%m-%d}"
    passed = words["passed"] if commitment.committed_date < on else ""
    note = (
        f'<div class="text-secondary kp-commitment-note">{esc(commitment.note)}</div>'
        if commitment.note
        else ""
    )
    return f'<div class="fw-semibold" data-committed="{committed}">{committed}{passed}</div>{note}'


def _move_html(move: dict, words: dict) -> str:
    moved = words["moved"] % {
        "old": f"{move['old']:%Y-%m-%d}",
        "new": f"{move['new']:%Y-%m-%d}",
        "on": f"{timezone.localtime(move['on']):%Y-%m-%d}",
    }
    source = words["source"] % {"source": esc(move["source"])} if move["source"] else ""
    return f'<div class="text-danger kp-slip">{moved}{source}</div>'


_WORDS: dict[tuple, dict] = {}  # (language, script prefix, URLconf) → _words()


def _words() -> dict:
    """What every page of the board writes the same, in the reader's language: the labels, the
    words, the links' parts and the commitment form's fixed markup, made once a process for each
    language (translations and URLs do not change while it runs)."""
    key = (get_language(), get_script_prefix(), get_urlconf())
    words = _WORDS.get(key)
    if words is not None:
        return words
    probe = 987654321
    head, tail = reverse("reports:commit", args=[probe]).split(str(probe))
    words = {
        "project_url": detail_link("projects:detail"),
        "blocker_url": detail_link("blockers:detail"),
        "stages": {value: esc(label) for value, label in YearPlan.Stage.choices},
        "kinds": {value: esc(label) for value, label in Blocker.Kind.choices},
        "month": _("Month %(m)s"),
        "missing": f'<span class="text-danger">{esc(_("Missing: "))}</span>',
        "ready": f'<span class="text-success">{esc(_("Ready to start"))}</span>',
        "colon": esc(_(": ")),
        "passed": f' <span class="kp-overdue">{esc(_("(passed)"))}</span>',
        "none": f'<div class="text-secondary">{esc(_("No commitment"))}</div>',
        "moved": _("Committed start moved from %(old)s to %(new)s on %(on)s"),
        "source": _(" (%(source)s)"),
        "summary": summarizer(),
        "form_action": (f'\n          <form method="post" action="{head}', tail),
        "form_rest": (
            '            <input type="date" name="committed_date" class="form-control form-control-sm" '
            f'style="width: 9.5rem" required aria-label="{esc(_("Committed start date"))}">\n'
            '            <input type="text" name="note" class="form-control form-control-sm" '
            f'style="flex: 1 1 6rem; min-width: 6rem" placeholder="{esc(_("Note"))}" maxlength="200">\n'
            '            <button class="btn btn-sm btn-outline-primary text-nowrap">'
            f"{esc(_('Record commitment'))}</button>\n"
            "          </form>\n"
            "          "
        ),
    }
    _WORDS[key] = words
    return words


def _commit_form(request: HttpRequest, words: dict, csrf_token: str) -> Callable[[int], str]:
    """A project id → its commitment form; the form is the same on every row but for its action."""
    head, tail = words["form_action"]
    rest = (
        f'{tail}" class="d-flex flex-wrap align-items-center gap-1 mt-1">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">\n'
        f'            <input type="hidden" name="next" value="{esc(request.get_full_path())}">\n'
        f"{words['form_rest']}"
    )
    return lambda pk: f"{head}{pk}{rest}"


@login_required
def not_started(request: HttpRequest) -> HttpResponse:
    """未开工项目: every project of the year not started by the month, with blockers and commitments."""
    year, month = period(request)
    page, rows = _board_rows(request, year, month)
    on = today()
    token = get_token(request)  # one for the page: the rows' forms and the layout's
    return render(
        request,
        "reports/not_started.html",
        {
            "page": page,
            "year": year,
            "month": month,
            "months": range(1, 13),
            "rows": rows,
            "rows_html": board_rows_html(rows, request=request, on=on, csrf_token=token),
            "csrf_token": token,
            "blockers_app": True,
            "today": on,
        },
    )
