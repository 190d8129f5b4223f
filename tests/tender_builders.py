"""Builders for bidding tests: tender packages and supervision records straight to the rows (the
services are what the workflow tests exercise)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from works.models import Kind, Method, Stage, SupervisionRecord, TenderPackage


def package(
    project,
    *,
    kind=Kind.CONSTRUCTION,
    name="施工总承包",
    method=Method.OPEN,
    budget="1000.00",
    announced_on=None,
    opened_on=None,
    awarded_on=None,
    winner="",
    contract_price=None,
    legal_basis="",
    **fields,
) -> TenderPackage:
    return TenderPackage.objects.create(
        project=project,
        kind=kind,
        name=name,
        method=method,
        budget=Decimal(budget),
        announced_on=announced_on,
        opened_on=opened_on,
        awarded_on=awarded_on,
        winner=winner,
        contract_price=None if contract_price is None else Decimal(contract_price),
        legal_basis=legal_basis,
        **fields,
    )


def awarded(project, *, price="920.00", budget="1000.00", on=dt.date(2020, 4, 20), **fields) -> TenderPackage:
    """A package let by open tender: announced, opened and awarded, with a winner and a price."""
    return package(
        project,
        budget=budget,
        announced_on=on - dt.timedelta(days=25),
        opened_on=on - dt.timedelta(days=5),
        awarded_on=on,
        winner=fields.pop("winner", "重庆建工第三建设有限责任公司"),
        contract_price=price,
        **fields,
    )


def record(
    of: TenderPackage, *, date=dt.date(2020, 4, 15), stage=Stage.OPENING, problem=False
) -> SupervisionRecord:
    return SupervisionRecord.objects.create(
        package=of,
        date=date,
        checker="张同志",
        department="县纪委监委驻发改委纪检组",
        stage=stage,
        findings="开标程序符合规定",
        problem_found=problem,
        follow_up="限期整改" if problem else "",
    )
