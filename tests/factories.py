"""Small builders for test data. Each returns a saved object with sensible defaults."""

from __future__ import annotations

import itertools
from decimal import Decimal

from accounts.models import User
from projects.models import Leader, Project, Sector, Unit, YearPlan
from regions.models import Region, Township

_seq = itertools.count(1)
PASSWORD = "Keyproj-2020"


def region(name: str, code: str, level: str, parent: Region | None = None) -> Region:
    return Region.objects.create(name=name, code=code, level=level, parent=parent)


def township(region: Region, name: str) -> Township:
    return Township.objects.create(region=region, name=name)


def sector(name: str) -> Sector:
    return Sector.objects.get_or_create(name=name)[0]


def unit(region: Region, name: str, kind: str = Unit.Kind.BUREAU, township: Township | None = None) -> Unit:
    return Unit.objects.create(region=region, name=name, kind=kind, township=township)


def leader(region: Region, title: str) -> Leader:
    return Leader.objects.create(region=region, title=title)


def user(username: str, role: str, region: Region, **extra) -> User:
    u = User(username=username, role=role, region=region, **extra)
    u.set_password(PASSWORD)
    u.save()
    return u


def project(
    *,
    region: Region,
    lead_unit: Unit,
    sector: Sector,
    name: str | None = None,
    year: int = 2020,
    planned: str = "1000.00",
    total: str = "5000.00",
    stage: str = YearPlan.Stage.CONTINUING,
    leader: Leader | None = None,
    townships: list[Township] | None = None,
    cooperating: list[Unit] | None = None,
    **fields,
) -> Project:
    n = next(_seq)
    p = Project.objects.create(
        region=region,
        code=fields.pop("code", f"T{n:04d}"),
        name=name or f"测试项目{n}",
        sector=sector,
        content=fields.pop("content", "建设内容"),
        lead_unit=lead_unit,
        leader=leader,
        total_investment=Decimal(total),
        **fields,
    )
    if townships:
        p.townships.set(townships)
    if cooperating:
        p.cooperating_units.set(cooperating)
    YearPlan.objects.create(
        project=p,
        year=year,
        stage=stage,
        planned_investment=Decimal(planned),
        planned_start_month=3 if stage == YearPlan.Stage.NEW else None,
    )
    return p
