"""projects 0008: every existing project gets its original baseline — from its earliest history record
when it has one (later changes made without history do not count), else from its values now."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from projects.models import Baseline, Project

BEFORE = [("projects", "0006_national_code")]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_it_backfills_from_the_earliest_history_record_or_the_current_values(world):
    # One entered at 9,000 by the office and was raised later without a history record (as a bulk
    # update would); one was written in bulk, with no history at all.
    entered = Project(
        region=world.county, code="M-1", name="清溪场污水处理厂", sector=world.reservoir.sector,
        content="新建", lead_unit=world.water, total_investment=D("9000.00"),
    )  # fmt: skip
    entered._history_user = world.office
    entered.save()
    Project.objects.filter(pk=entered.pk).update(
        total_investment=D("15000.00"), planned_end=dt.date(2022, 1, 1)
    )
    [bare] = Project.objects.bulk_create(
        [
            Project(
                region=world.county, code="M-2", name="梅江河堤防", sector=world.reservoir.sector, content="新建",
                lead_unit=world.water, total_investment=D("1500.00"), planned_end=dt.date(2022, 6, 30),
            )
        ]
    )  # fmt: skip
    bare = Project.objects.get(code="M-2")
    first = entered.history.earliest()
    try:
        old = migrate_to(BEFORE)
        assert "projects_baseline" not in connection.introspection.table_names()
        assert old.get_model("projects", "Project").objects.count() == 6
    finally:
        migrate_to(latest())
    base = Baseline.objects.get(project=entered)
    assert (base.how, base.total_investment, base.planned_end) == ("history", D("9000.00"), None)
    assert base.recorded_by == world.office and base.as_of == first.history_date
    plain = Baseline.objects.get(project=bare)
    assert (plain.how, plain.total_investment, plain.planned_end) == (
        "current",
        D("1500.00"),
        dt.date(2022, 6, 30),
    )
    assert Baseline.objects.count() == Project.objects.count() == 6
