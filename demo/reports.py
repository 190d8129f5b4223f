"""Demo monthly reports for the demo county: January to September, consistent with its plans.

Called by demo/build.py (DEMO_EXTENSIONS) after the ledger exists, inside its transaction.
Reports are bulk-created (not through the services), so the ProjectMonth summary is rebuilt after.
Deterministic (seeded random); idempotent (does nothing when the year already has reports).
On 2020-10-11 most started projects are on schedule (green), some lag (yellow/red), September is
mostly approved with some submitted, a few returned and a few missing; not-started projects report
no investment, and several have committed start dates, one of them slipped.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from django.utils import timezone

from accounts.models import User
from projects.models import YearPlan
from regions.models import Region
from reports import months as project_months
from reports.models import MonthlyReport, ReportEvent, StartCommitment, YearSetting

CENT = Decimal("0.01")
LAST_MONTH = 9
Status = MonthlyReport.Status
Action = ReportEvent.Action


def _moment(year: int, month: int, day: int, hour: int) -> dt.datetime:
    if month > 12:
        year, month = year + 1, month - 12
    return timezone.make_aware(dt.datetime(year, month, day, hour, 30))


def _split(total: Decimal, months: list[int], rng: random.Random) -> dict[int, Decimal]:
    """Spread `total` over the months, heavier later in the year, in cents, summing exactly."""
    if not months:
        return {}
    weights = [Decimal(str(round(0.6 + 0.1 * m + rng.random() * 0.5, 3))) for m in months]
    scale = sum(weights)
    parts = {
        m: (total * w / scale).quantize(CENT, rounding=ROUND_HALF_UP)
        for m, w in zip(months, weights, strict=True)
    }
    parts[months[-1]] += total - sum(parts.values())
    return parts


def _progress(month: int, share: Decimal, started: bool) -> str:
    if not started:
        return "前期工作推进中：用地预审、可研批复和施工图设计办理中，尚未开工。"
    return f"{month}月完成主体工程施工，累计完成年度计划约{share:.0f}%，现场施工有序推进。"


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    """Reports January–September of `year` for every project of `region` with a year plan."""
    YearSetting.objects.get_or_create(
        region=region, year=year, defaults={"mode": YearSetting.Mode.LINEAR, "deadline_day": 5}
    )
    if MonthlyReport.objects.filter(project__region=region, year=year).exists():
        stdout.write("reports: already seeded\n")
        return
    rng = random.Random(year * 7 + 11)
    office = User.objects.filter(role=User.Role.OFFICE, region=region).order_by("pk").first()
    if office is None:
        stdout.write("reports: no office user, skipped\n")
        return
    by_unit = {u.unit_id: u for u in User.objects.filter(role=User.Role.UNIT, region=region).order_by("-pk")}
    plans = list(
        YearPlan.objects.filter(year=year, project__region=region)
        .select_related("project")
        .order_by("project__code")
    )
    reports: list[MonthlyReport] = []
    statuses_of: list[list[tuple[str, dt.datetime]]] = []
    for i, plan in enumerate(plans):
        project = plan.project
        filer = by_unit.get(project.lead_unit_id, office)
        start = project.actual_start
        started_by_sep = start is not None and start <= dt.date(year, LAST_MONTH, 30)
        first = 1 if not started_by_sep or start.year < year else start.month
        roll = rng.random()
        # Share of the annual plan done by September: 75% is exactly on the linear schedule.
        share = Decimal(
            str(
                rng.uniform(0.78, 0.97)
                if roll < 0.8
                else rng.uniform(0.67, 0.745)
                if roll < 0.93
                else rng.uniform(0.42, 0.63)
            )
        )
        total = (plan.planned_investment * share).quantize(CENT) if started_by_sep else Decimal("0.00")
        amounts = _split(total, list(range(first, LAST_MONTH + 1)), rng) if started_by_sep else {}
        september = rng.random()
        for month in range(1, LAST_MONTH + 1):
            began = started_by_sep and (start.year < year or month >= start.month)
            status, history = (
                Status.APPROVED,
                [(Action.CREATED, 2), (Action.SUBMITTED, 3), (Action.APPROVED, 6)],
            )
            late = rng.random() < 0.08
            if month == LAST_MONTH:
                if september < 0.06:
                    continue  # not reported yet on 11 October
                if september < 0.12:
                    status, history = (
                        Status.RETURNED,
                        [(Action.CREATED, 3), (Action.SUBMITTED, 4), (Action.RETURNED, 8)],
                    )
                elif september < 0.30:
                    status, history = (
                        Status.SUBMITTED,
                        [(Action.CREATED, 4), (Action.SUBMITTED, 5 + (3 if late else 0))],
                    )
            day = 4 + (4 if late else 0)
            submitted = _moment(year, month + 1, min(day, 28), 10)
            reports.append(
                MonthlyReport(
                    project=project,
                    year=year,
                    month=month,
                    amount=amounts.get(month, Decimal("0.00")),
                    progress=_progress(month, share * 100 * month / LAST_MONTH, began),
                    completion_pct=(Decimal(min(month * 8 + i % 20, 100)) if began else Decimal(0)),
                    started=bool(began),
                    start_date=start if began else None,
                    workers=(30 + (i * 7 + month * 3) % 150) if began else 0,
                    problems="征地拆迁尚有部分遗留问题待协调。" if (i + month) % 11 == 0 else "",
                    status=status,
                    first_submitted_at=submitted,
                    submitted_at=submitted,
                    approved_at=_moment(year, month + 1, min(day + 3, 28), 16)
                    if status == Status.APPROVED
                    else None,
                    return_reason="本月完成投资与形象进度不匹配，请核实后重报。"
                    if status == Status.RETURNED
                    else "",
                    created_by=filer,
                )
            )
            statuses_of.append(
                [
                    (a, _moment(year, month + 1, min(d + (3 if late else 0), 28), 9 + k))
                    for k, (a, d) in enumerate(history)
                ]
            )
    MonthlyReport.objects.bulk_create(reports, batch_size=500)
    # bulk_create bypasses the report services, which keep the ProjectMonth summary: one pass now.
    project_months.rebuild(year=year)
    saved = {
        (r.project_id, r.month): r for r in MonthlyReport.objects.filter(project__region=region, year=year)
    }
    events = []
    for report, steps in zip(reports, statuses_of, strict=True):
        stored = saved[(report.project_id, report.month)]
        for action, at in steps:
            who = office if action in (Action.APPROVED, Action.RETURNED) else report.created_by
            reason = stored.return_reason if action == Action.RETURNED else ""
            events.append(ReportEvent(report=stored, action=action, by=who, at=at, reason=reason))
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    commitments = _commitments(plans, by_unit, office, year)
    stdout.write(
        f"reports: {len(reports)} monthly reports, {len(events)} workflow steps, "
        f"{commitments} start commitments\n"
    )


def _commitments(plans: list[YearPlan], by_unit: dict, office: User, year: int) -> int:
    """Committed start dates for the not-started projects that have a planned start month; the first
    slipped once (its first promise superseded)."""
    waiting = [p for p in plans if p.project.actual_start is None and p.planned_start_month][:8]
    rows = []
    for n, plan in enumerate(waiting):
        unit_user = by_unit.get(plan.project.lead_unit_id, office)
        promised = dt.date(year, 10 + n % 3, 10 + n)
        if n == 0:
            rows.append(
                StartCommitment(
                    project=plan.project,
                    committed_date=dt.date(year, 9, 15),
                    by=unit_user,
                    at=_moment(year, 7, 20, 10),
                    note="征地完成后即开工",
                    superseded=True,
                )
            )
            rows.append(
                StartCommitment(
                    project=plan.project,
                    committed_date=promised,
                    by=office,
                    at=_moment(year, 9, 25, 15),
                    note="征地拆迁延误",
                    source="县长办公会",
                )
            )
            continue
        rows.append(
            StartCommitment(
                project=plan.project,
                committed_date=promised,
                by=unit_user,
                at=_moment(year, 9, 10 + n, 10),
                note="施工图审查完成后开工",
            )
        )
    StartCommitment.objects.bulk_create(rows)
    return len(rows)
