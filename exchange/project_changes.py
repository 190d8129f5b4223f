"""Rows of a list compared with the projects they update: which fields change, old → new.

A field changes only when the file's value differs from the database's *and* is at least as
precise: "2019-2022" does not replace 2019-04-02 – 2022-07-31 (the years agree), "6.22" 亿元 does not
replace 62,230.00 万元 (the file says nothing of the last 50 万元). A value that disagrees is a change
even when coarser — the office edited it — and is written as the file gives it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lib.money import fmt
from projects.models import Project, YearPlan
from regions.models import Township

from .cells import DAY, DECIDE, MONTH_PRECISION, YEAR
from .matching import Ref
from .preview import Change, Preview, Row

PLAN_FIELDS = ("stage", "planned_investment", "invested_before", "planned_start_month", "progress_target")
REFS = ("sector", "lead_unit", "leader")


def resolve_existing(preview: Preview) -> None:
    """Rows whose code (else name) exists in the region update that project (or agree with it);
    codes are given to new rows."""
    plans = YearPlan.objects.filter(year=preview.year)
    existing = list(
        Project.objects.filter(region=preview.region)
        .select_related("sector", "lead_unit", "leader")
        .prefetch_related(
            "cooperating_units", "townships", Prefetch("plans", queryset=plans, to_attr="year_plans")
        )
    )
    by_code = {p.code: p for p in existing}
    by_name = {p.name: p for p in existing}
    used = set(by_code)
    townships = dict(Township.objects.filter(region=preview.region).values_list("pk", "name"))
    for row in preview.rows:
        project = (by_code.get(str(row.get("code"))) if row.get("code") else None) or by_name.get(
            str(row.get("name"))
        )
        plan = project.year_plans[0] if project and project.year_plans else None
        if "stage" not in row.values:
            before = row.values.get("invested_before") or Decimal(0)
            fallback = YearPlan.Stage.CONTINUING if before > 0 else YearPlan.Stage.NEW
            row.values["stage"] = YearPlan.Stage(plan.stage) if plan else fallback
        if project is None:
            continue
        row.project_id = project.pk
        if not row.get("code") or (row.get("code") != project.code and row.get("code") in used):
            row.values["code"] = project.code
        used.add(str(row.get("code")))
        row.diffs = changes(project, plan, row, townships, year=preview.year)
        row.action = "update" if row.diffs else "unchanged"
    n = 0
    for row in preview.creates:
        if not row.get("code"):
            while (code := f"{preview.year}{n + 1:03d}") in used:
                n += 1
            row.values["code"] = code
            used.add(code)


def _same_date(current: dt.date | None, value: dt.date | None, precision: object) -> bool:
    if current is None or value is None:
        return current == value
    if precision == YEAR:
        return current.year == value.year
    if precision == MONTH_PRECISION:
        return (current.year, current.month) == (value.year, value.month)
    return current == value


def _show(key: str, value: object, townships: dict[int, str]) -> str:
    """A value as the preview shows it."""
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, Ref):
        return value.name
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if key == "townships":
        return "、".join(townships.get(pk, str(pk)) for pk in value)
    if key == "cooperating_units":
        return "、".join(ref.name if isinstance(ref, Ref) else str(ref) for ref in value)
    if key == "stage":
        return str(YearPlan.Stage(value).label)
    if key == "level":
        return str(Project.Level(value).label)
    if key == "nature":
        return str(Project.Nature(value).label)
    if key == "planned_start_month":
        return _("month %(month)d") % {"month": value}
    return str(value)


def changes(
    project: Project, plan: YearPlan | None, row: Row, townships: dict[int, str], *, year: int
) -> list[Change]:
    """What an update of `project` by `row` would write, old → new."""
    found = []
    for key, value in row.values.items():
        precision = row.precision.get(key, DAY)
        if key in PLAN_FIELDS:
            current = getattr(plan, key, None) if plan else None
            old = current
        elif key == "cooperating_units":
            units = list(project.cooperating_units.all())
            current = tuple(sorted(u.pk for u in units))
            old = tuple(Ref("unit", u.name, u.pk) for u in units)
            value_ids = tuple(sorted(ref.pk or 0 for ref in value))
            if current != value_ids or any(ref.pk is None for ref in value):
                found.append(Change(key, _show(key, old, townships), _show(key, value, townships)))
            continue
        elif key == "townships":
            current = old = tuple(sorted(t.pk for t in project.townships.all()))
        elif key in REFS:
            current = getattr(project, f"{key}_id")
            related = getattr(project, key)
            old = Ref(key, getattr(related, "title", None) or related.name, current) if related else None
            new_pk = value.pk if isinstance(value, Ref) else None
            if current != new_pk or (isinstance(value, Ref) and value.pk is None):
                found.append(Change(key, _show(key, old, townships), _show(key, value, townships)))
            continue
        else:
            current = old = getattr(project, key, None)
        if isinstance(value, dt.date) or (value is None and isinstance(current, dt.date)):
            same = _same_date(current, value, precision)
        elif isinstance(value, Decimal):
            tolerance = precision if isinstance(precision, Decimal) else Decimal(0)
            same = current is not None and abs(current - value) <= tolerance
        else:
            same = (current or "") == (value or "")
        if not same:
            found.append(Change(key, _show(key, old, townships), _show(key, value, townships)))
    if plan is None:
        found.append(Change("plan", "—", _("a %(year)d plan") % {"year": year}))
    return found


def apply_choices(preview: Preview, accepted: dict) -> None:
    """The rows and fields the office left out of the import in the preview."""
    skip_rows = set(accepted.get("skip") or [])
    skip_fields = accepted.get("skip_fields") or {}
    for row in preview.rows:
        if row.key in skip_rows:
            row.left_out = True
            continue
        left_out = set(skip_fields.get(row.key) or [])
        for change in row.diffs:
            # A new year plan cannot be left out of an update that keeps the row.
            change.left_out = change.key in left_out and change.key != "plan"
        if row.action == "update" and not row.changes:
            row.action = "unchanged"
    left = {(r.sheet, r.row) for r in preview.rows if r.left_out}
    preview.problems = [p for p in preview.problems if not (p.level == DECIDE and (p.sheet, p.row) in left)]
