"""Builders shared by the page tests split from test_report_pages.py and test_province_scale.py."""

from __future__ import annotations

import datetime as dt

from . import factories as f
from .report_builders import report, set_plan, started, started_report


def file_september(world):
    """September 2020 filed: the reservoir on time (August approved, September submitted), the road's
    report returned, the bridge planned to start in June and not started."""
    started(world.reservoir)
    started(world.road)
    report(world.reservoir, 8, "1000.00")
    report(world.reservoir, 9, "1250.00", status="submitted")
    report(world.road, 9, "1000.00", status="returned", return_reason="数据有误")
    set_plan(world.bridge, start_month=6)
    return world


def awkward_project(reported):
    """A project at 79.74 % against the 75 % schedule: 79.74 - 75 is 4.739999999999995 in floating point."""
    project = f.project(
        region=reported.county,
        lead_unit=reported.water,
        sector=reported.reservoir.sector,
        name="清溪场镇供水管网",
        planned="10000.00",
        actual_start=dt.date(2020, 1, 15),
    )
    started_report(project, 1, "7974.00", by=reported.office)
    return project
