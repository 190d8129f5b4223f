"""Blocker pages: the register, one blocker with its timeline and actions, raising, the project section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib import concurrency, params, statements
from lib.forms import errors_onto
from lib.today import today
from projects.models import Project
from projects.views import get_project_for_user
from reports.figures import scope_key
from reports.ledger import detail_link
from reports.models import MonthlyReport

from . import exports, rules, services
from .cells import Escaped, esc, truncate_chars
from .filters import BlockerFilter
from .forms import BlockerForm, CommentForm, EscalateForm, MeasuresForm, MoveForm
from .models import Blocker
from .selectors import counts_by_kind, counts_by_unit, kind_rows, register_queryset, with_overdue

BY_UNIT_ROWS = 20


def get_blocker_for_user(request: HttpRequest, pk: int) -> Blocker:
    """The blocker if the user may see its project; 404 otherwise."""
    qs = Blocker.objects.for_user(request.user).select_related(
        "project", "lead_unit", "leader", "escalated_by"
    )
    return get_object_or_404(qs.prefetch_related("cooperating_units"), pk=pk)


def _filtered(request: HttpRequest, on: dt.date | None = None) -> BlockerFilter:
    on = on or today()
    user = request.user
    return BlockerFilter(request.GET, scope=lambda: register_queryset(user, on=on), user=user)


def _statements_key(flt: BlockerFilter, user, on: dt.date) -> tuple:
    """What the SQL of the register's reads depends on: the user's scope (reports.figures.scope_key,
    what visible_to reads of a user), the day (overdue, age) and each filter's cleaned value (a
    model chosen by its pk, a region by its path too). Equal keys, the same statements: they are kept (lib.statements)."""
    values = []
    if flt.is_bound:
        flt.errors  # noqa: B018 — validates the form, as flt.qs does before it filters
    for name, value in (flt.form.cleaned_data if flt.is_bound else {}).items():
        if isinstance(value, Model):  # a region filters by its path
            value = (type(value).__name__, value.pk, getattr(value, "path", None))
        values.append((name, value))
    return (scope_key(user), on, tuple(values))


class _RegisterPage:
    """The register's rows in its order, as Paginator sees them: the count known already (the sum
    of the by-kind counts) and a page's rows read by one kept statement (register_page_query)."""

    def __init__(self, ordered: Callable[[], QuerySet], key: tuple, count: int, *, on: dt.date) -> None:
        self.ordered, self.key, self._count, self.on = ordered, key, count, on

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, item: slice) -> list[RegisterRow]:
        start, stop = item.start or 0, item.stop
        if stop is not None and stop <= start:
            return []
        key = ("register page", start, stop, *self.key)
        found = statements.rows(
            Blocker, key, lambda: register_page_query(self.ordered(), start, stop, on=self.on)
        )
        return register_page_rows(found)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    on = today()
    flt = _filtered(request, on)
    # The page's reads (its counts, the page's ids) are compiled once per process for each scope,
    # day and choice of filters: building them cost as much Python as the page's rows.
    key = _statements_key(flt, request.user, on)
    kinds = kind_rows(lambda: flt.qs, key=key)
    # Sort and cut the page on the blockers alone, then fetch the page's 50 rows with their
    # projects, units and leaders: joining all 50,000 of a province before sorting cost ~50 ms.
    ordered = lambda: flt.qs.order_by(*REGISTER_ORDER)  # noqa: E731
    rows = _RegisterPage(ordered, key, sum(n for _kind, n, _overdue in kinds), on=on)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    rows_html = register_rows_html(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    all_units = request.GET.get("units") == "all"
    by_unit = counts_by_unit(lambda: flt.qs, limit=None if all_units else BY_UNIT_ROWS + 1, key=key)
    by_kind = counts_by_kind(rows=kinds)
    by_unit_more = not all_units and len(by_unit) > BY_UNIT_ROWS
    by_unit = by_unit[: None if all_units else BY_UNIT_ROWS]
    units_query = query.copy()
    units_query["units"] = "all"
    context = {
        "filter": flt,
        "page": page,
        "rows_html": rows_html,
        "by_kind": by_kind,
        "by_kind_html": by_kind_html(by_kind),
        "by_unit": by_unit,
        "by_unit_html": by_unit_html(by_unit),
        # A province has thousands of lead units: the table shows the most blocked ones first.
        "by_unit_more": by_unit_more,
        "units_query": units_query.urlencode(),
        "query": query.urlencode(),
        "today": on,
        "can_raise": request.user.takes_part,
    }
    partial = request.htmx and request.htmx.target != "register-page"
    template = "blockers/_register_body.html" if partial else "blockers/register.html"
    return render(request, template, context)


def by_kind_html(rows: list[dict]) -> SafeString:
    """The counts by kind (counts_by_kind's rows; a kind with none left out) as
    templates/blockers/_register_by_kind.html draws them, written here rather than by the template
    engine (tests/test_blocker_counts_html.py holds the two equal)."""
    if not rows:
        return mark_safe('<tr><td colspan="3">—</td></tr>')
    return _counts_html((row["label"], row["n"], row["overdue"]) for row in rows if row["n"])


def by_unit_html(rows: list[dict]) -> SafeString:
    """The counts by lead unit (counts_by_unit's rows) as templates/blockers/_register_by_unit.html
    draws them (tests/test_blocker_counts_html.py holds the two equal)."""
    if not rows:
        return mark_safe(f'<tr><td colspan="3" class="text-secondary">{esc(_("None"))}</td></tr>')
    return _counts_html((row["lead_unit__name"], row["n"], row["overdue"]) for row in rows)


def _counts_html(rows) -> SafeString:
    # A count is an int: the template's localize() writes it as str() does (no thousands separator).
    return mark_safe(  # noqa: S308 — the names escaped, the counts numbers
        "".join(
            f'<tr><td>{esc(name)}</td><td class="num">{n}</td>'
            f'<td class="num{" kp-overdue" if overdue else ""}">{overdue}</td></tr>'
            for name, n, overdue in rows
        )
    )


STATUS_BADGES = {
    Blocker.Status.OPEN: "text-bg-warning",
    Blocker.Status.COORDINATING: "text-bg-info",
    Blocker.Status.RESOLVED: "text-bg-success",
}


def badges_html(blocker: Blocker, *, overdue: bool) -> SafeString:
    """A blocker's status, level and overdue badges as templates/blockers/_badges.html draws them,
    for the register's rows; tests/test_blocker_views.py holds the two equal."""
    css = STATUS_BADGES.get(blocker.status, "text-bg-secondary")
    out = f'<span class="badge {css}">{escape(blocker.get_status_display())}</span>'
    if blocker.level > 1:
        out += (
            f' <span class="badge text-bg-primary" title="{escape(_("Escalation level"))}"><i class="bi '
            f'bi-arrow-up-circle"></i> {escape(blocker.get_level_display())}</span>'
        )
    if overdue:
        out += (
            ' <span class="badge text-bg-danger kp-overdue-badge"><i class="bi bi-alarm"></i> '
            f"{escape(_('Overdue'))}</span>"
        )
    return mark_safe(out)  # noqa: S308 — every text escaped


class RegisterRow(NamedTuple):
    """What a register row prints."""

    pk: int
    project_id: int
    project_name: str
    kind: str
    description: str
    lead_unit_name: str | None
    leader_title: str | None
    raised_at: dt.datetime | None
    deadline: dt.date | None
    status: str
    level: int
    overdue_now: bool
    cooperating: list[str]  # the cooperating units' names


REGISTER_COLUMNS = (
    "pk",
    "project_id",
    "project__name",
    "kind",
    "description",
    "lead_unit__name",
    "leader__title",
    "raised_at",
    "deadline",
    "status",
    "level",
    "overdue_now",
)
REGISTER_ORDER = ("-overdue_now", "deadline", "-raised_at", "pk")
# A blocker's cooperating units as blocker.cooperating_units.all() gives them (Unit's Meta.ordering).
COOPERATING_ORDER = ("cooperating_units__region__path", "cooperating_units__kind", "cooperating_units__name")


def register_page_query(ordered: QuerySet, start: int, stop: int, *, on: dt.date) -> QuerySet:
    """What a page of the register prints, in one query: rows `start` to `stop` of `ordered` (the
    user's scoped, filtered and ordered register) are picked in a subquery on the bare blockers,
    and only those are joined with their project, units and leader (joining all 50,000 of a
    province before sorting cost ~50 ms); a row per cooperating unit (none: one row, name None),
    in the register's order, then the units' usual one. Read as tuples (register_page_rows): as
    model instances with four related rows each and a prefetch they took as much Python as the
    rest of the page; the page's ids, rows and cooperating units were three round trips."""
    chosen = Blocker.objects.filter(pk__in=ordered.values("pk")[start:stop])
    return (
        with_overdue(chosen, on=on)
        .order_by(*REGISTER_ORDER, *COOPERATING_ORDER)
        .values_list(*REGISTER_COLUMNS, "cooperating_units__name")
    )


def register_page_rows(found: list[tuple]) -> list[RegisterRow]:
    """register_page_query's rows, one RegisterRow a blocker with its cooperating units' names."""
    rows: list[RegisterRow] = []
    for *row, unit in found:
        if not rows or rows[-1].pk != row[0]:
            rows.append(RegisterRow(*row, cooperating=[]))
        if unit is not None:
            rows[-1].cooperating.append(unit)
    return rows


_ROW_WORDS: dict[tuple, dict] = {}  # (language, script prefix, URLconf) → _row_words()


def _row_words() -> dict:
    """What every page of the register writes the same, in the reader's language: the kinds, the
    links' parts, "with", and the badges of each (status, level, overdue) as they are first drawn;
    kept for the process (translations and URLs do not change while it runs)."""
    key = (get_language(), get_script_prefix(), get_urlconf())
    words = _ROW_WORDS.get(key)
    if words is None:
        words = _ROW_WORDS[key] = {
            "project_url": detail_link("projects:detail"),
            "blocker_url": detail_link("blockers:detail"),
            "kinds": {value: esc(label) for value, label in Blocker.Kind.choices},
            "with": esc(_("with")),
            "badges": {},
        }
    return words


def register_rows_html(rows: list[RegisterRow]) -> SafeString:
    """The register's table rows, written in Python rather than through the template engine (50
    rows of eight cells, two links and the badges each); the markup the template wrote. The labels
    and badges are worked out once a process for each language, the names escaped once a page."""
    words = _row_words()
    project_url, blocker_url, kinds, badges = (
        words["project_url"],
        words["blocker_url"],
        words["kinds"],
        words["badges"],
    )
    with_word = words["with"]
    cells = Escaped()
    zone = timezone.get_current_timezone()  # the local day raised, as timezone.localtime gives it
    out = []
    for b in rows:
        overdue = bool(b.overdue_now)
        state = (b.status, b.level, overdue)
        if state not in badges:
            badges[state] = badges_html(Blocker(status=b.status, level=b.level), overdue=overdue)
        if b.cooperating:
            others = "、".join([cells[name] for name in b.cooperating])
            others = f'<div class="small text-secondary">{with_word} {others}</div>'
        else:
            others = ""
        units = (cells[b.lead_unit_name] if b.lead_unit_name is not None else "") + others
        leader = cells[b.leader_title] if b.leader_title else "—"
        raised = f"{b.raised_at.astimezone(zone):%Y-%m-%d}" if b.raised_at else ""
        deadline = f"{b.deadline:%Y-%m-%d}" if b.deadline else "—"
        out.append(
            f'<tr class="{"table-danger" if overdue else ""}">'
            f'<td><a href="{project_url(b.project_id)}">{cells[b.project_name]}</a></td>'
            f'<td class="text-nowrap">{kinds[b.kind] if b.kind in kinds else cells[b.kind]}</td>'
            f'<td><a href="{blocker_url(b.pk)}">{esc(truncate_chars(b.description, 60))}</a></td>'
            f"<td>{units}</td>"
            f"<td>{leader}</td>"
            f'<td class="text-nowrap">{raised}</td>'
            f'<td class="text-nowrap{" kp-overdue" if overdue else ""}">{deadline}</td>'
            f'<td class="text-nowrap">{badges[state]}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 — every text escaped above


@login_required
def register_export(request: HttpRequest) -> HttpResponse:
    flt = _filtered(request)
    qs = flt.qs.order_by("project__code", "raised_at", "pk")
    return exports.register_response(qs, region=request.user.region, on=today())


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    blocker = get_blocker_for_user(request, pk)
    return render(request, "blockers/detail.html", _detail_context(request, blocker))


def _detail_context(request: HttpRequest, blocker: Blocker, conflict=None, **forms) -> dict:
    can = rules.allowed(request.user, blocker)
    move_choices = [(to, Blocker.Status(to).label) for to in can["moves"]]
    move_form = forms.get("move") or _versioned(MoveForm(), blocker)
    move_form.fields["to"].choices = move_choices
    return {
        "conflict": conflict,
        "blocker": blocker,
        "events": blocker.events.select_related("by", "meeting_link__meeting"),
        "tasks": blocker.tasks.select_related("assignee_unit"),
        "meetings": blocker.meetings.all(),
        "can": can,
        "today": today(),
        "overdue": blocker.is_overdue(today()),
        "measures_form": forms.get("measures")
        or _versioned(MeasuresForm(initial={"measures": blocker.measures}), blocker),
        "move_form": move_form,
        "escalate_form": forms.get("escalate") or _escalate_form(blocker),
        "comment_form": forms.get("comment") or CommentForm(),
    }


def _versioned(form, blocker: Blocker):
    concurrency.carry_version(form, blocker)
    return form


def _escalate_form(blocker: Blocker, data=None) -> EscalateForm:
    """The page offers the levels above the blocker's; a posted form takes any escalation level, so
    one drawn before someone else escalated reaches the version check (409, "changed by X at T")
    instead of failing on its level; the service refuses a level not above the current one."""
    form = _versioned(EscalateForm(data), blocker)
    if data is None:
        form.fields["level"].choices = [(v, label) for v, label in Blocker.Level.choices if v > blocker.level]
    return form


def _act(request: HttpRequest, blocker: Blocker, form, action, name: str) -> HttpResponse:
    """Run a service with a valid form; on bad input re-render the page with the errors, nothing saved.
    A form drawn before someone else changed the blocker is shown again with what they changed
    (409); a step the blocker has already passed is a message on its page."""
    status, conflict = 400, None
    if form.is_valid():
        data = {**form.cleaned_data, "version": concurrency.seen_version(form, blocker)}
        try:
            action(data)
        except concurrency.Stale as stale:
            status, conflict = 409, concurrency.conflict(form, stale.current)
            blocker = get_blocker_for_user(request, blocker.pk)
        except concurrency.WrongState as exc:
            messages.warning(request, " ".join(exc.messages))
            return redirect("blockers:detail", pk=blocker.pk)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("blockers:detail", pk=blocker.pk)
    context = _detail_context(request, blocker, conflict, **{name: form})
    return render(request, "blockers/detail.html", context, status=status)


@require_POST
@login_required
def set_measures(request: HttpRequest, pk: int) -> HttpResponse:
    blocker = get_blocker_for_user(request, pk)
    acts = rules.is_manager(request.user) or rules.unit_acts_on(request.user, blocker)
    if not acts or (
        blocker.status != Blocker.Status.CLOSED and not rules.can_edit_measures(request.user, blocker)
    ):
        raise PermissionDenied
    form = _versioned(MeasuresForm(request.POST), blocker)
    return _act(
        request,
        blocker,
        form,
        lambda d: services.blocker_set_measures(
            blocker=blocker, by=request.user, measures=d["measures"], version=d["version"]
        ),
        "measures",
    )


@require_POST
@login_required
def move(request: HttpRequest, pk: int) -> HttpResponse:
    blocker = get_blocker_for_user(request, pk)
    to = request.POST.get("to", "")
    # A move the blocker's status no longer allows (two clicks, two people) is the service's
    # message; a move the status allows but not to this user is refused here.
    if (blocker.status, to) in rules.TRANSITIONS and not rules.can_move(request.user, blocker, to):
        raise PermissionDenied
    if not rules.can_comment(request.user, blocker):
        raise PermissionDenied
    form = _versioned(MoveForm(request.POST), blocker)
    return _act(
        request,
        blocker,
        form,
        lambda d: services.blocker_move(
            blocker=blocker, by=request.user, to=d["to"], note=d["note"], version=d["version"]
        ),
        "move",
    )


@require_POST
@login_required
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    blocker = get_blocker_for_user(request, pk)
    passed = not blocker.is_open or blocker.level >= Blocker.Level.MEETING  # the service's message
    if not passed and not rules.can_escalate(request.user, blocker):
        raise PermissionDenied
    if passed and not (rules.is_manager(request.user) or rules.leads_project(request.user, blocker)):
        raise PermissionDenied
    form = _escalate_form(blocker, request.POST)
    return _act(
        request,
        blocker,
        form,
        lambda d: services.blocker_escalate(
            blocker=blocker, by=request.user, level=d["level"], reason=d["reason"], version=d["version"]
        ),
        "escalate",
    )


@require_POST
@login_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    blocker = get_blocker_for_user(request, pk)
    if not rules.can_comment(request.user, blocker):
        raise PermissionDenied
    form = CommentForm(request.POST)
    return _act(
        request,
        blocker,
        form,
        lambda d: services.blocker_comment(blocker=blocker, by=request.user, text=d["text"]),
        "comment",
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.takes_part:
        raise PermissionDenied
    projects = Project.objects.for_user(user)
    if user.is_unit:
        projects = Project.objects.editable_by(user)
    elif user.is_leader:
        projects = projects.filter(leader_id=user.leader_id)
    initial = {}
    if project_id := params.optional_id(
        request.GET.get("project"), _("The project named in the address is not valid.")
    ):
        initial["project"] = get_project_for_user(request, project_id)
    report = _report_for(request)
    if report is not None:
        initial["project"] = report.project
    form = BlockerForm(request.POST or None, user=user, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if report is not None and report.project_id != data["project"].pk:
            report = None  # the blocker was moved to another project: it no longer comes from that report
        blocker = services.blocker_raise(
            source=Blocker.Source.REPORT if report else Blocker.Source.PROJECT,
            source_report=report,
            project=data["project"],
            by=user,
            kind=data["kind"],
            description=data["description"],
            lead_unit=data["lead_unit"],
            cooperating_units=data["cooperating_units"],
            leader=data["leader"],
            deadline=data["deadline"],
            measures=data["measures"],
        )
        messages.success(request, _("Blocker recorded."))
        return redirect("blockers:detail", pk=blocker.pk)
    return render(request, "blockers/form.html", {"form": form, "report": report})


def _report_for(request: HttpRequest):
    """The monthly report a blocker is raised from (?report=<pk>), if the user may see it."""
    raw = request.POST.get("report") or request.GET.get("report") or ""
    report_id = params.optional_id(raw, _("The report named in the address is not valid."))
    if report_id is None:
        return None
    qs = MonthlyReport.objects.filter(project__in=Project.objects.for_user(request.user)).select_related(
        "project"
    )
    return get_object_or_404(qs, pk=report_id)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    blocker = get_blocker_for_user(request, pk)
    if not rules.can_edit(request.user, blocker):
        raise PermissionDenied
    form = BlockerForm(request.POST or None, instance=blocker, user=request.user)
    form.fields["project"].disabled = True
    del form.fields["measures"]
    concurrency.carry_version(form, blocker)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = ["kind", "description", "lead_unit", "leader", "deadline"]
        # ModelForm validation already wrote the values onto the instance; the service compares with the row.
        changes = {f: data[f] for f in fields}
        changes["lead_unit"] = changes["lead_unit"] or blocker.project.lead_unit
        try:
            services.blocker_edit(
                blocker=blocker,
                by=request.user,
                changes=changes,
                cooperating_units=data["cooperating_units"],
                version=concurrency.seen_version(form, blocker),
            )
        except concurrency.Stale as stale:
            context = {
                "form": form,
                "blocker": blocker,
                "conflict": concurrency.conflict(form, stale.current),
            }
            return render(request, "blockers/form.html", context, status=409)
        except concurrency.WrongState as exc:
            messages.warning(request, " ".join(exc.messages))
            return redirect("blockers:detail", pk=blocker.pk)
        messages.success(request, _("Changes saved."))
        return redirect("blockers:detail", pk=blocker.pk)
    return render(request, "blockers/form.html", {"form": form, "blocker": blocker})


@login_required
def for_project(request: HttpRequest, pk: int) -> HttpResponse:
    """The blockers section of a project page (htmx partial)."""
    project = get_project_for_user(request, pk)
    on = today()
    blockers = with_overdue(
        project.blockers.select_related("lead_unit", "leader").order_by("status", "deadline", "pk"), on=on
    )
    return render(
        request,
        "blockers/_project_blockers.html",
        {
            "project": project,
            "blockers": blockers,
            "today": on,
            "can_raise": rules.can_raise(request.user, project),
        },
    )
