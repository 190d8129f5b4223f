"""The demo county's tender packages (招投标) and their process supervision, as they stood on 11 October 2020.

Every started 2020 project (reports.figures.started_by, as the warnings read it) has a construction
package and a supervision package let before its start: mostly by open tender, small ones by
competitive consultation, a couple by direct award with the legal basis, discount rates of 3–12 %.
The new starts not yet started have their construction tender announced or opened. Deliberately, by
position in code order: three started projects have no construction contract yet (tender_no_contract),
two were let above the ceiling price (tender_above_budget), and three about to start have no
construction tender out (tender_late). The first construction packages carry process-supervision
records, one with a problem found and its follow-up. Deterministic and idempotent.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from simple_history.utils import bulk_create_with_history

from lib.money import CENT
from projects.models import Project, YearPlan
from regions.models import Region
from works.models import Kind, Method, Stage, SupervisionRecord, TenderPackage
from works.warnings import started_ids

MEETING_DAY = dt.date(2020, 10, 11)
BUILDERS = (
    "重庆建工第三建设有限责任公司",
    "中铁二十局集团第六工程有限公司",
    "重庆交通建设（集团）有限责任公司",
    "中国水利水电第八工程局有限公司",
    "重庆市渝水建设工程有限公司",
    "中建三局第二建设工程有限责任公司",
    "重庆城建控股（集团）有限责任公司",
    "四川路桥建设集团股份有限公司",
    "重庆对外建设（集团）有限公司",
    "贵州桥梁建设集团有限责任公司",
)
SUPERVISORS = (
    ("重庆赛迪工程咨询有限公司", "陈志强"),
    ("重庆华兴工程咨询有限公司", "刘洪波"),
    ("重庆市交通建设工程监理咨询有限公司", "杨德明"),
    ("重庆江河工程建设监理有限公司", "周建华"),
    ("重庆联盛建设项目管理有限公司", "吴国庆"),
)
AGENCIES = ("重庆精诚工程咨询有限公司", "重庆招标采购（集团）有限责任公司", "秀山县公共资源交易服务中心代理")
DIRECT_BASIS = "《中华人民共和国招标投标法实施条例》第九条第（三）项：已通过招标方式选定的特许经营项目投资人依法能够自行建设"
SINGLE_BASIS = "《政府采购法》第三十一条第（二）项：发生了不可预见的紧急情况不能从其他供应商处采购"
NO_CONTRACT, ABOVE_BUDGET = {3, 16, 29}, {7, 22}  # positions among the started projects
LATE = 3  # the first projects about to start (planned by November) left with no construction tender out


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _budget(project: Project, share: str) -> Decimal:
    return max(_money(project.total_investment * Decimal(share)), Decimal("50.00"))


def _rate(i: int) -> Decimal:
    """A discount rate between 3 % and 12 %, by position."""
    return Decimal(3) + Decimal((i * 37) % 90) / 10


def _price(budget: Decimal, rate: Decimal) -> Decimal:
    return _money(budget * (100 - rate) / 100)


def _let(
    project, i, start, *, kind, name, budget, price, method, winner, chief="", basis=""
) -> TenderPackage:
    awarded = min(start - dt.timedelta(days=20 + i % 10), MEETING_DAY)
    competitive = method not in (Method.DIRECT, Method.SINGLE_SOURCE)
    return TenderPackage(
        project=project,
        kind=kind,
        name=name,
        method=method,
        legal_basis=basis,
        budget=budget,
        agency=AGENCIES[i % len(AGENCIES)] if competitive else "",
        announced_on=awarded - dt.timedelta(days=32) if competitive else None,
        opened_on=awarded - dt.timedelta(days=9) if competitive else None,
        awarded_on=awarded,
        winner=winner,
        contract_price=price,
        chief_engineer=chief,
    )


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    if TenderPackage.objects.filter(project__region=region).exists():
        stdout.write("tender packages demo: nothing to do\n")
        return
    projects = Project.objects.filter(region=region)
    started = started_ids(projects, year)
    plans = list(
        YearPlan.objects.filter(project__region=region, year=year)
        .select_related("project")
        .order_by("project__code")
    )
    made: list[TenderPackage] = []
    running = [p for p in plans if p.project_id in started]
    for i, plan in enumerate(running):
        project = plan.project
        start = project.actual_start or dt.date(year, 3, 1)
        budget = _budget(project, "0.55")
        if i in NO_CONTRACT:  # tendered, bids opened, the award held up
            made.append(
                TenderPackage(
                    project=project,
                    kind=Kind.CONSTRUCTION,
                    name=f"{project.name}施工总承包",
                    method=Method.OPEN,
                    budget=budget,
                    agency=AGENCIES[i % len(AGENCIES)],
                    announced_on=dt.date(year, 8, 20),
                    opened_on=dt.date(year, 9, 22),
                    note="评标结果公示期间收到投诉，暂缓定标",
                )
            )
        else:
            method, basis = Method.OPEN, ""
            if budget < Decimal("400"):
                method = Method.CONSULTATION
            if i in (5, 19):
                method, basis = Method.DIRECT, DIRECT_BASIS
            rate = Decimal("-2.40") if i in ABOVE_BUDGET else _rate(i)
            made.append(
                _let(
                    project,
                    i,
                    start,
                    kind=Kind.CONSTRUCTION,
                    name=f"{project.name}施工总承包",
                    budget=budget,
                    price=_price(budget, rate),
                    method=method,
                    basis=basis,
                    winner=BUILDERS[i % len(BUILDERS)],
                )
            )
        firm, chief = SUPERVISORS[i % len(SUPERVISORS)]
        supervision = _money(budget * Decimal("0.018"))
        made.append(
            _let(
                project,
                i + 3,
                start,
                kind=Kind.SUPERVISION,
                name=f"{project.name}施工监理",
                budget=supervision,
                price=_price(supervision, _rate(i + 5)),
                method=Method.OPEN if supervision >= Decimal("100") else Method.CONSULTATION,
                winner=firm,
                chief=chief,
            )
        )
        if i == 11:  # emergency works bought from the one supplier able to deliver at once
            made.append(
                _let(
                    project,
                    i,
                    start,
                    kind=Kind.EQUIPMENT,
                    name=f"{project.name}应急抢险设备采购",
                    budget=Decimal("86.00"),
                    price=Decimal("81.70"),
                    method=Method.SINGLE_SOURCE,
                    basis=SINGLE_BASIS,
                    winner="重庆水泵厂有限责任公司",
                )
            )
    waiting = [p for p in plans if p.project_id not in started and p.planned_start_month]
    due = [p for p in waiting if p.planned_start_month <= MEETING_DAY.month + 1]
    late = {p.pk for p in due[:LATE]}
    for n, plan in enumerate(waiting):
        if plan.pk in late:
            continue
        project = plan.project
        opened = n % 2 == 0
        made.append(
            TenderPackage(
                project=project,
                kind=Kind.CONSTRUCTION,
                name=f"{project.name}施工总承包",
                method=Method.OPEN,
                budget=_budget(project, "0.6"),
                agency=AGENCIES[n % len(AGENCIES)],
                announced_on=dt.date(year, 9, 1 + n % 20),
                opened_on=dt.date(year, 10, 9) if opened else None,
            )
        )
    bulk_create_with_history(made, TenderPackage)
    records = _records(TenderPackage.objects.filter(project__region=region, kind=Kind.CONSTRUCTION))
    stdout.write(
        f"tender packages demo: {len(made)} packages for {len(running)} started and {len(waiting)} waiting "
        f"projects, {len(records)} supervision records\n"
    )


def _records(packages) -> list[SupervisionRecord]:
    made = []
    for n, package in enumerate(packages.exclude(opened_on=None).order_by("project__code")[:12]):
        made.append(
            SupervisionRecord(
                package=package,
                date=package.opened_on,
                checker="县发展改革委招投标监管股工作人员",
                department="县发展改革委",
                stage=Stage.OPENING,
                findings="开标现场监督：投标人均按时递交投标文件，开标程序符合规定。",
            )
        )
        if package.awarded_on:
            problem = n == 4
            made.append(
                SupervisionRecord(
                    package=package,
                    date=package.awarded_on,
                    checker="县督查室督查组",
                    department="县政府督查室",
                    stage=Stage.EVALUATION if problem else Stage.AWARD,
                    findings=(
                        "评标报告中一名评标专家未签字确认，评分汇总表存在涂改。"
                        if problem
                        else "定标程序符合规定，中标候选人公示期满无异议。"
                    ),
                    problem_found=problem,
                    follow_up="责成招标人补正评标报告并说明涂改原因，已约谈招标代理机构。" if problem else "",
                )
            )
    bulk_create_with_history(made, SupervisionRecord)
    return made
