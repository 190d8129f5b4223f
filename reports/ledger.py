"""The project ledger (项目台账): the year's plans in scope with the month's figures, filtered,
sorted, totalled, paged and exported. It lives with the reports because every figure it shows —
year to date, rate, gap, light, started — is a month figure (reports/figures.py)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import IntegerField, Q, QuerySet, Sum, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import User
from lib.escaping import esc
from lib.money import fmt, q2
from lib.months import previous_month
from lib.today import current_year, today
from projects import baseline, exports
from projects.filters import SORTS, LedgerFilter
from projects.models import Project, YearPlan
from projects.selectors import ledger_years

from . import warnings as project_warnings
from .figures import month_plans
from .lights import GREEN, YELLOW, phrases, reason
from .paging import PagedPlans


def ledger_month(year: int) -> int:
    """The month whose lights the ledger shows: the last month reported on ("today" is in October →
    September), December for a past year, January for a future one. Costs no query."""
    latest_year, latest_month = previous_month(today())
    if year == latest_year:
        return latest_month
    return 12 if year < latest_year else 1


def ledger_queryset(user: User, year: int, month: int | None = None) -> QuerySet[YearPlan]:
    """The year's plans of every project the user may see, with what a ledger row shows, including
    the month's figures and warning light (reports/figures.py; annotation light_month says which)."""
    month = month or ledger_month(year)
    return (
        month_plans(user, year=year, month=month)
        .with_projects()
        .annotate(light_month=Value(month, output_field=IntegerField()))
    )


def page_plans(plans: QuerySet[YearPlan]) -> QuerySet[YearPlan]:
    """The plans of a page of rows, without their projects (page_projects reads them after)."""
    return plans.select_related(None).prefetch_related(None)


@dataclass(frozen=True)
class RowBaseline:
    """What a ledger row shows of a project's baseline (projects.models.Baseline)."""

    total_investment: Decimal
    planned_end: dt.date | None


@dataclass(frozen=True)
class RowProject:
    """What a ledger row prints of its project, read as tuples (page_projects) instead of six model
    instances a row. projects.baseline.baseline_of and variance read it as they read a Project."""

    pk: int
    code: str
    name: str
    region_name: str
    sector_name: str | None
    lead_unit_name: str | None
    leader_title: str | None
    total_investment: Decimal
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    baseline: RowBaseline | None
    townships: tuple[str, ...]


_PROJECT_COLUMNS = (
    "pk",
    "code",
    "name",
    "region__name",
    "sector__name",
    "lead_unit__name",
    "leader__title",
    "total_investment",
    "planned_end",
    "actual_start",
    "actual_end",
    "baseline__pk",
    "baseline__total_investment",
    "baseline__planned_end",
)


def _project_rows(projects: QuerySet) -> QuerySet:
    return projects.values_list(*_PROJECT_COLUMNS).order_by()


def _township_rows(projects: QuerySet) -> QuerySet:
    # Township's ordering (region, sort, name), as the prefetch of project.townships.all() lists them.
    return (
        projects.filter(townships__isnull=False)
        .values_list("pk", "townships__name")
        .order_by("townships__region__path", "townships__sort", "townships__name", "townships__pk")
    )


def page_projects(projects: QuerySet) -> dict[int, RowProject]:
    """Project id → what its ledger row prints, for a page's `projects` (a queryset by id): two
    queries whatever the page size, each compiled once per process (reports.warnings.read).

    Read apart from the month's annotated plans: joined to them, the four related tables take
    PostgreSQL 20–35 ms to plan for a county's 50 rows (docs/benchmarks.md, session 3). Read as
    tuples: model instances for the project, its sector, unit, leader, region, baseline and
    townships cost a county's page ~24,000 calls (session 7)."""
    townships: dict[int, list[str]] = {}
    for pk, name in project_warnings.read(projects, ("ledger", "townships"), _township_rows):
        townships.setdefault(pk, []).append(name)
    out = {}
    for row in project_warnings.read(projects, ("ledger", "projects"), _project_rows):
        (pk, code, name, region, sector, unit, leader, total, end, start, actual_end, base_pk) = row[:12]
        base = None if base_pk is None else RowBaseline(row[12], row[13])
        out[pk] = RowProject(
            pk,
            code,
            name,
            region,
            sector,
            unit,
            leader,
            total,
            end,
            start,
            actual_end,
            base,
            tuple(townships.get(pk, ())),
        )
    return out


@dataclass(frozen=True)
class LedgerTotals:
    count: int
    total_investment: Decimal
    planned_investment: Decimal
    original_investment: Decimal | None = None  # the projects' original baselines (those that have one)
    overrun_pct: Decimal | None = None
    ytd: Decimal = Decimal("0.00")
    green: int = 0
    yellow: int = 0
    red: int = 0
    started: int = 0
    not_started: int = 0
    light_month: int | None = None


def ledger_totals(plans: QuerySet[YearPlan]) -> LedgerTotals:
    """The totals row of the filtered ledger (not the page): its month figures, and the projects'
    total investment, in one aggregate query."""
    figures, extra = plans.figures_with(
        total=Sum("project__total_investment"),
        original=Sum("project__baseline__total_investment"),
        # The current total of the same projects, so that the overrun compares like with like.
        compared=Sum("project__total_investment", filter=Q(project__baseline__isnull=False)),
    )
    original = None if extra["original"] is None else q2(extra["original"])
    return LedgerTotals(
        count=figures.projects,
        total_investment=q2(extra["total"]),
        original_investment=original,
        overrun_pct=baseline.overrun_pct(original, extra["compared"]),
        planned_investment=figures.planned,
        ytd=figures.ytd,
        green=figures.lights["green"],
        yellow=figures.lights["yellow"],
        red=figures.lights["red"],
        started=figures.started,
        not_started=figures.not_started,
        light_month=plans.query.annotations["light_month"].value,
    )


def light_cell(light: str, reason_text: str) -> SafeString:
    """A row's light as templates/reports/_light.html draws it (without the reason beside it),
    written in Python for lists of many rows; tests/test_ledger.py holds the two equal."""
    return mark_safe(_light_cell(light, reason_text, _RowWords()))  # noqa: S308 — every value escaped


class _RowWords:
    """The words every row repeats, translated once a page rather than once a row."""

    def __init__(self) -> None:
        self.lights = {GREEN: _("Green"), YELLOW: _("Yellow")}
        self.red, self.colon = _("Red"), _(": ")
        self._warnings: dict[str, tuple[str, str]] = {}

    def warning(self, code: str) -> tuple[str, str]:
        """A kind of warning's code and label, escaped (the label translated once a page)."""
        if code not in self._warnings:
            kind = project_warnings.kind(code)
            self._warnings[code] = (esc(code), esc(str(kind.label) if kind else code))
        return self._warnings[code]


_esc = esc  # every cell of a page of rows is escaped


def _light_cell(light: str, reason_text: str, words: _RowWords) -> str:
    label = words.lights.get(light, words.red)
    reason_words, colour = _esc(reason_text), _esc(light)
    return (
        f'<span class="kp-light-cell text-nowrap" data-light="{colour}"><span class="kp-light '
        f'{colour}" title="{reason_words}" data-bs-toggle="tooltip" role="img" '
        f'aria-label="{_esc(label)}{words.colon}{reason_words}"></span></span>'
    )


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{Decimal(str(value)):.2f}%"


_LINKS_SIZE = 256  # URL names × script prefixes kept per process
_links: dict[tuple, tuple[str, str]] = {}


def detail_link(name: str) -> Callable[[int], str]:
    """A function pk → that URL (`name` takes one integer pk, as projects:detail and blockers:detail
    do). Reversed once per process for the name, the script prefix and the URLconf, everything
    reverse() reads here (no i18n_patterns): a county's ledger asked for seven, ~95 calls each."""
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    found = _links.get(key)
    if found is None:
        probe = 987654321
        found = tuple(reverse(name, args=[probe]).split(str(probe)))
        if len(_links) >= _LINKS_SIZE:
            _links.clear()
        _links[key] = found
    head, tail = found
    return lambda pk: f"{head}{pk}{tail}"


def warnings_html(found: list[project_warnings.ProjectWarning], words: _RowWords | None = None) -> str:
    """A row's warnings (预警) beside its light: a small badge per warning naming its kind, so that a row
    stays one line high; the reason in words is the badge's tooltip and is read out by screen readers
    (the project page writes every reason out)."""
    if not found:
        return ""
    words = words or _RowWords()
    colon = _esc(words.colon)
    parts = []
    for w in found:
        code, label = words.warning(w.kind)
        reason = _esc(w.reason)
        parts.append(
            f'<span class="kp-warning badge text-bg-warning fw-normal" data-warning="{code}" '
            f'title="{reason}"><i class="bi bi-exclamation-triangle"></i> {label}'
            f'<span class="visually-hidden">{colon}{reason}</span></span>'
        )
    return "".join(parts)


# The loop templates/projects/ledger.html drew the filter's fields with; tests hold filter_fields_html
# equal to it (tests/test_ledger_filter_fields.py).
FILTER_FIELDS_TEMPLATE = """{% for field in filter.form %}
      {% if field.name != "region" or filter.show_region %}
      <div class="col-auto{% if field.name == 'q' %} flex-grow-1{% endif %}">
        <label class="form-label small mb-1" for="{{ field.id_for_label }}">{{ field.label }}</label>
        {{ field }}
      </div>
      {% endif %}
    {% endfor %}"""


_DRAWN_SIZE = 256  # filters' drawn fields kept per process
_drawn: OrderedDict = OrderedDict()
_drawn_lock = threading.Lock()


def filter_fields_html(ledger: LedgerFilter) -> SafeString:
    """The ledger filter's fields, each with its label (the county only above county level), as
    FILTER_FIELDS_TEMPLATE draws them: ten fields through the template engine cost ~2,000 calls a page.

    Drawn once per process for everything the drawing depends on — the user's region (the prepared
    filter), the language, the values asked for and the option lists read for this request (so a
    unit added since is drawn at once) — and written again from that when the same comes back; a
    form with errors is always drawn afresh. Drawing the fields, even in Python, cost ~5,000 calls a
    county's page (docs/benchmarks.md, session 9). tests/test_ledger_filter_fields.py holds both equal."""
    form = ledger.form
    key = None
    if not form.is_bound or form.is_valid():
        options = form.option_lists.rows()
        key = (
            ledger.prepared_as,
            get_language(),
            ledger.show_region,
            tuple((name, _asked(form.data, name)) for name in form.fields if name in form.data),
            tuple((name, tuple(rows)) for name, rows in options.items()),
        )
        with _drawn_lock:
            found = _drawn.get(key)
            if found is not None:
                _drawn.move_to_end(key)
                return found
    drawn = _draw_filter_fields(ledger)
    if key is not None:
        with _drawn_lock:
            _drawn[key] = drawn
            while len(_drawn) > _DRAWN_SIZE:
                _drawn.popitem(last=False)
    return drawn


def _asked(data, name: str) -> tuple:
    """Every value `data` (a QueryDict, or a dict as tests and the API pass) holds for `name`."""
    if isinstance(data, MultiValueDict):
        return tuple(data.getlist(name))
    value = data[name]
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def forget_drawn() -> None:
    """Drop the drawn filter fields and header rows (tests)."""
    with _drawn_lock:
        _drawn.clear()


def ledger_head_html(request: HttpRequest, light_month: int | None) -> SafeString:
    """The table's header row (templates/projects/_ledger_head.html): its sort links keep the page's
    query, so it is drawn once per process for the language, the query (but the page) and the month
    the lights are of, and written again from that (eight sort links and seventeen headings cost
    ~2,500 calls a page through the template engine)."""
    query = tuple((name, tuple(values)) for name, values in request.GET.lists() if name != "page")
    key = ("ledger head", get_language(), query, light_month)
    with _drawn_lock:
        found = _drawn.get(key)
        if found is not None:
            _drawn.move_to_end(key)
            return found
    drawn = mark_safe(  # noqa: S308 — the template escapes
        render_to_string("projects/_ledger_head.html", {"request": request, "head_light_month": light_month})
    )
    with _drawn_lock:
        _drawn[key] = drawn
        while len(_drawn) > _DRAWN_SIZE:
            _drawn.popitem(last=False)
    return drawn


def _draw_filter_fields(ledger: LedgerFilter) -> SafeString:
    out = []
    for field in ledger.form:
        out.append("\n      ")
        if field.name != "region" or ledger.show_region:
            grow = " flex-grow-1" if field.name == "q" else ""
            out.append(
                f'\n      <div class="col-auto{grow}">\n        <label class="form-label small mb-1" '
                f'for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}</label>\n'
                f"        {conditional_escape(str(field))}\n      </div>\n      "
            )
        out.append("\n    ")
    return mark_safe("".join(out))  # noqa: S308 — every value escaped above


def period_options(values: Iterable[int], chosen: int | None) -> SafeString:
    """The <option>s of the ledger's year or month select, `chosen` selected, as the template's loop
    wrote them (`{% for y in years %}…{% endfor %}`: ~20 calls an option through the engine)."""
    return mark_safe(  # noqa: S308 — integers only
        "".join(
            f'<option value="{int(v)}"{" selected" if v == chosen else ""}>{int(v)}</option>' for v in values
        )
    )


def ledger_rows_html(
    rows: list[tuple[int, YearPlan]],
    projects: dict[int, RowProject],
    *,
    show_region: bool,
    warnings: dict[int, list[project_warnings.ProjectWarning]] | None = None,
) -> SafeString:
    """The ledger's table rows, written in Python: a page has 50–500 rows of 14 cells, and the
    template engine spent most of the page's time on them (docs/benchmarks.md, session 3). The
    same markup the template wrote; every text escaped. `projects`: the page's projects
    (page_projects); `warnings`: project id → its warnings, read once for the page
    (reports.warnings.for_projects)."""
    warnings = warnings or {}
    url = detail_link("projects:detail")
    stages = {value: _esc(label) for value, label in YearPlan.Stage.choices}  # escaped once a page
    not_started = f'<span class="text-secondary">{_esc(_("Not started"))}</span>'
    row_words = _RowWords()
    translate = phrases()
    out = []
    for n, plan in rows:
        p = projects[plan.project_id]
        region = f' <span class="badge text-bg-light">{_esc(p.region_name)}</span>' if show_region else ""
        townships = _esc("、".join(p.townships)) or "—"  # "、" needs no escaping: the same as each escaped
        leader = _esc(p.leader_title) if p.leader_title else "—"
        started = (
            f'<span class="text-success"><i class="bi bi-check-circle"></i> {p.actual_start:%Y-%m-%d}</span>'
            if p.actual_start
            else not_started
        )
        words = (
            reason(
                plan.light,
                month=plan.light_month,
                started=plan.started_flag,
                planned_start_month=plan.planned_start_month,
                rate=plan.rate,
                gap=plan.gap,
                stage=plan.stage,
                translate=translate,
            )
            if plan.light
            else ""
        )
        out.append(
            "<tr>"
            f'<td class="text-secondary">{n}</td>'
            f'<td class="text-nowrap">{_esc(p.code)}</td>'
            f'<td><a href="{url(p.pk)}">{_esc(p.name)}</a>{region}</td>'
            f'<td class="text-nowrap">{_esc(p.sector_name) if p.sector_name else ""}</td>'
            f'<td class="text-nowrap">{stages.get(plan.stage) or _esc(plan.stage)}</td>'
            f"<td>{_esc(p.lead_unit_name) if p.lead_unit_name else ''}</td>"
            f"<td>{townships}</td>"
            f"<td>{leader}</td>"
            f'<td class="num">{_wan(p.total_investment)}</td>'
            f"{baseline_cells(p)}"
            f'<td class="num">{_wan(plan.planned_investment)}</td>'
            f'<td class="num">{_wan(plan.ytd)}</td>'
            f'<td class="num">{_pct(plan.rate)}</td>'
            f"<td>{_light_cell(plan.light, words, row_words)}{warnings_html(warnings.get(p.pk), row_words)}</td>"
            f"<td>{started}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 — every text escaped above


def baseline_cells(project: Project | RowProject) -> str:
    """The row's original total investment, 超概算 % and months late (projects/baseline.py), from
    project.baseline read with the page's projects."""
    base, v = baseline.baseline_of(project), baseline.variance(project)
    over = "—" if v.overrun_pct is None else f"{v.overrun_pct:+.2f}%"
    late = "—" if v.months_late is None else f"{v.months_late:+d}" if v.months_late else "0"
    return (
        f'<td class="num">{_wan(base.total_investment if base else None)}</td>'
        f'<td class="num{_tone(v.overrun_pct)}" data-overrun>{over}</td>'
        f'<td class="num{_tone(v.months_late)}" data-late>{late}</td>'
    )


def _tone(value: Decimal | int | None) -> str:
    """Over or late in red; unchanged (or unknown) quiet, so the revised rows stand out."""
    return " text-danger" if value and value > 0 else "" if value else " text-secondary"


def _wan(value: Decimal | None) -> str:
    return "—" if value is None else fmt(value)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_year()
    return year if 2000 <= year <= 2100 else current_year()


def _month(request: HttpRequest) -> int | None:
    """The month whose figures and lights the ledger shows, if asked for (?month=1..12)."""
    try:
        month = int(request.GET.get("month", ""))
    except ValueError:
        return None
    return month if 1 <= month <= 12 else None


def _page_size(request: HttpRequest) -> int:
    """Rows per page: 50 unless asked otherwise, between 10 and 500 (a bad value means the default)."""
    try:
        size = int(request.GET.get("size", 50))
    except ValueError:
        return 50
    return min(max(size, 10), 500)


def filtered_ledger(request: HttpRequest) -> tuple[LedgerFilter, int, str]:
    year = _year(request)
    plans = ledger_queryset(request.user, year, _month(request))
    ledger = LedgerFilter(request.GET, queryset=plans, user=request.user)
    sort = request.GET.get("sort", "code")
    key = SORTS.get(sort.lstrip("-"), "project__code")
    ledger.qs_sorted = ledger.qs.order_by(("-" if sort.startswith("-") else "") + key, "project__code")
    return ledger, year, sort


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    ledger, year, sort = filtered_ledger(request)
    totals = ledger_totals(ledger.qs)
    # The totals counted the rows already: no second COUNT query.
    rows = PagedPlans(page_plans(ledger.qs_sorted), count=totals.count)
    page = Paginator(rows, _page_size(request)).get_page(request.GET.get("page"))
    start = (page.number - 1) * page.paginator.per_page
    query = request.GET.copy()
    query.pop("page", None)
    rows = [(start + i + 1, plan) for i, plan in enumerate(page.object_list)]
    # The page's projects and warnings: a fixed number of queries whatever the page size.
    on_page = Project.objects.filter(pk__in=[plan.project_id for _, plan in rows])
    projects = page_projects(on_page)
    for _n, plan in rows:
        plan.light_month, plan.project = totals.light_month, projects[plan.project_id]
    found = project_warnings.for_projects(on_page, year)
    context = {
        "filter": ledger,
        "page": page,
        "rows": rows,
        "filter_fields": filter_fields_html(ledger),
        "rows_html": ledger_rows_html(rows, projects, show_region=ledger.show_region, warnings=found),
        "head_html": ledger_head_html(request, totals.light_month),
        "totals": totals,
        "year": year,
        "month": _month(request),
        "year_options": period_options(ledger_years(request.user) or [year], year),
        "month_options": period_options(range(1, 13), _month(request)),
        "sort": sort,
        "query": query.urlencode(),
        "can_create": request.user.is_office,
    }
    partial = request.htmx and request.htmx.target != "ledger-page"
    template = "projects/_ledger_table.html" if partial else "projects/ledger.html"
    return render(request, template, context)


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The filtered ledger as .xlsx; above KEYPROJ_EXPORT_INLINE_MAX rows, a background job.

    A county's ledger is written in well under a second; a province's takes seconds, too long to
    hold a request (and a worker) for: exchange's export job writes it and offers it when done.
    """
    ledger, year, _sort = filtered_ledger(request)
    if ledger.qs.count() > settings.KEYPROJ_EXPORT_INLINE_MAX:
        return redirect(f"{reverse('exchange:ledger_export')}?{request.GET.urlencode()}")
    return exports.ledger_response(ledger.qs_sorted, year=year, region=request.user.region)
