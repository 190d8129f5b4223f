"""ProjectMonth is derived on one path: the report services refresh it, a rebuild from scratch gives
the same rows, and the database round-trips through dumpdata/loaddata and pg_dump/pg_restore."""

from __future__ import annotations

import ast
import datetime as dt
import io
import os
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from exchange import services as exchange
from projects.models import Project
from reports import months, services
from reports.models import MonthlyReport, ProjectMonth

from .sheets import xlsx

pytestmark = pytest.mark.django_db
DATA = {"amount": D("300.00"), "progress": "施工中", "completion_pct": D("40"), "workers": 20}
COLUMNS = ("project_id", "year", "month", "month_amount", "ytd", "started", "report_status")


def snapshot() -> list[tuple]:
    return list(ProjectMonth.objects.order_by("project_id", "year", "month").values_list(*COLUMNS))


def assert_same_as_rebuilt() -> None:
    """The rows the services kept equal those recomputed from nothing but the reports."""
    kept = snapshot()
    ProjectMonth.objects.all().delete()
    months.rebuild()
    assert snapshot() == kept


def row(project, month: int, year: int = 2020) -> tuple:
    pm = ProjectMonth.objects.get(project=project, year=year, month=month)
    return (pm.month_amount, pm.ytd, pm.started, pm.report_status)


def save(world, project, month: int, *, by, year: int = 2020, **data) -> MonthlyReport:
    return services.report_save(project=project, year=year, month=month, data={**DATA, **data}, by=by)


def import_september(world) -> None:
    """The water bureau's September table through the Excel import (drafts via report_save)."""
    header = ["序号", "项目编号", "项目名称", "本月完成投资（万元）", "形象进度", "是否开工", "开工日期"]
    data = xlsx(
        [
            ["县水利局2020年9月重点项目进展情况表"] + [None] * 6,
            header,
            [1, world.reservoir.code, world.reservoir.name, "410.00", "大坝浇筑", "是", "2019-05-01"],
        ],
        ["A1:G1"],
    )
    batch = exchange.import_upload(
        user=world.water_user,
        data=data,
        filename="m.xlsx",
        kind="monthly",
        year=2020,
        month=9,
        region=world.county,
    )
    preview = exchange.import_preview(batch=batch)
    assert not preview.errors, [str(p) for p in preview.problems]
    exchange.import_confirm(batch=batch, user=world.water_user)


def test_every_service_path_leaves_the_rows_a_rebuild_gives(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    water, transport, office = world.water_user, world.transport_user, world.office
    jan = save(world, world.reservoir, 1, by=water, started=True, start_date=dt.date(2019, 5, 1))
    feb = save(world, world.reservoir, 2, by=water)
    assert row(world.reservoir, 1) == (D("0.00"), D("0.00"), False, "draft")
    assert_same_as_rebuilt()

    services.report_submit(report=jan, by=water)
    services.report_submit(report=feb, by=water)
    assert row(world.reservoir, 12) == (D("0.00"), D("600.00"), True, None)
    assert_same_as_rebuilt()

    services.report_approve(report=jan, by=office)
    services.report_return(report=feb, by=office, reason="金额有误")
    assert row(world.reservoir, 2) == (D("0.00"), D("300.00"), True, "returned")
    assert_same_as_rebuilt()

    save(world, world.reservoir, 2, by=water, amount=D("250.00"))
    services.report_submit(report=feb, by=water)  # resubmitted
    services.report_approve(report=feb, by=office)
    assert row(world.reservoir, 2) == (D("250.00"), D("550.00"), True, "approved")
    assert_same_as_rebuilt()

    # The bridge starts in May by its report; reopening that report withdraws it.
    may = save(world, world.bridge, 5, by=transport, started=True, start_date=dt.date(2020, 5, 10))
    services.report_submit(report=may, by=transport)
    services.report_approve(report=may, by=office)
    assert row(world.bridge, 5)[2] is True
    assert_same_as_rebuilt()
    services.report_reopen(report=may, by=office, reason="开工日期待核实")
    assert row(world.bridge, 5) == (D("0.00"), D("0.00"), False, "returned")
    assert_same_as_rebuilt()

    # A correction of an earlier month rewrites the later months' ytd.
    services.report_reopen(report=jan, by=office, reason="1月数据有误")
    save(world, world.reservoir, 1, by=water, amount=D("100.00"))
    services.report_submit(report=jan, by=water)
    services.report_approve(report=jan, by=office)
    assert [row(world.reservoir, m)[1] for m in (1, 2, 12)] == [D("100.00"), D("350.00"), D("350.00")]
    assert_same_as_rebuilt()

    # The Excel import files September as a draft: a row for it, nothing counted yet.
    import_september(world)
    assert row(world.reservoir, 9) == (D("0.00"), D("350.00"), True, "draft")
    assert_same_as_rebuilt()
    september = MonthlyReport.objects.get(project=world.reservoir, year=2020, month=9)
    services.report_submit(report=september, by=water)
    assert row(world.reservoir, 9) == (D("410.00"), D("760.00"), True, "submitted")

    # Another project and another year are rows of their own.
    save(world, world.road, 11, by=transport, year=2019)
    assert_same_as_rebuilt()
    assert sorted({(pm.project_id, pm.year) for pm in ProjectMonth.objects.all()}) == sorted(
        [(world.reservoir.pk, 2020), (world.bridge.pk, 2020), (world.road.pk, 2019)]
    )


def test_a_failed_service_call_leaves_the_rows_as_they_were(world):
    draft = save(world, world.reservoir, 3, by=world.water_user)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.report_approve(report=draft, by=world.office)  # a draft cannot be approved
    assert snapshot() == before


# --------------------------------------------------------------------------------------------------
# "Started" withdrawn when the report that said so no longer counts
# --------------------------------------------------------------------------------------------------


def started_and_approved(world, month: int = 5, start: dt.date = dt.date(2020, 5, 10)) -> MonthlyReport:
    report = save(world, world.bridge, month, by=world.transport_user, started=True, start_date=start)
    services.report_submit(report=report, by=world.transport_user)
    return services.report_approve(report=report, by=world.office)


def test_it_withdraws_the_start_an_approval_set_when_the_report_is_reopened(world):
    assert world.bridge.status == Project.Status.PREPARING and world.bridge.actual_start is None
    may = started_and_approved(world)
    world.bridge.refresh_from_db()
    assert (world.bridge.actual_start, world.bridge.status) == (dt.date(2020, 5, 10), "construction")

    services.report_reopen(report=may, by=world.office, reason="开工日期待核实")
    world.bridge.refresh_from_db()
    assert (world.bridge.actual_start, world.bridge.status) == (None, Project.Status.PREPARING)
    assert world.bridge.history.first().history_change_reason == "report 2020-05 reopened"
    assert not ProjectMonth.objects.filter(project=world.bridge, started=True).exists()

    # Corrected and approved again, it starts the project again.
    save(world, world.bridge, 5, by=world.transport_user, started=True, start_date=dt.date(2020, 5, 12))
    services.report_submit(report=may, by=world.transport_user)
    services.report_approve(report=may, by=world.office)
    world.bridge.refresh_from_db()
    assert (world.bridge.actual_start, world.bridge.status) == (dt.date(2020, 5, 12), "construction")


def test_it_keeps_the_start_while_another_counted_report_says_started(world):
    may = started_and_approved(world)
    june = save(
        world, world.bridge, 6, by=world.transport_user, started=True, start_date=dt.date(2020, 5, 10)
    )
    services.report_submit(report=june, by=world.transport_user)
    services.report_reopen(report=may, by=world.office, reason="复核")
    world.bridge.refresh_from_db()
    assert world.bridge.actual_start == dt.date(2020, 5, 10)
    assert row(world.bridge, 5)[2] is False and row(world.bridge, 6)[2] is True


def test_it_keeps_a_start_the_office_entered_itself(world):
    world.bridge.actual_start = dt.date(2020, 5, 10)
    world.bridge.status = Project.Status.UNDER_CONSTRUCTION
    world.bridge._change_reason = "项目信息更正"
    world.bridge.save()
    may = started_and_approved(world)  # the project already had its start: the approval sets nothing
    services.report_reopen(report=may, by=world.office, reason="复核")
    world.bridge.refresh_from_db()
    assert (world.bridge.actual_start, world.bridge.status) == (dt.date(2020, 5, 10), "construction")


def test_returning_a_submitted_started_report_withdraws_started_from_the_months(world):
    may = save(world, world.bridge, 5, by=world.transport_user, started=True, start_date=dt.date(2020, 5, 10))
    services.report_submit(report=may, by=world.transport_user)
    assert row(world.bridge, 7)[2] is True
    services.report_return(report=may, by=world.office, reason="开工日期待核实")
    assert row(world.bridge, 7)[2] is False
    world.bridge.refresh_from_db()
    assert world.bridge.actual_start is None


# --------------------------------------------------------------------------------------------------
# Backups and copies of the database
# --------------------------------------------------------------------------------------------------


def file_some_reports(world) -> None:
    for m in (1, 2, 3):
        began = {"started": True, "start_date": dt.date(2019, 5, 1)} if m == 1 else {}
        r = save(world, world.reservoir, m, by=world.water_user, **began)
        services.report_submit(report=r, by=world.water_user)
        if m < 3:
            services.report_approve(report=r, by=world.office)
    save(world, world.road, 2, by=world.transport_user)
    started_and_approved(world)


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
    }


@pytest.mark.django_db(transaction=True)
def test_it_round_trips_dumpdata_and_loaddata_into_an_empty_database(world, tmp_path, settings):
    file_some_reports(world)
    before, rows = counts(), snapshot()
    assert rows and before["reports.MonthlyReport"] == 5
    dump = tmp_path / "everything.json"
    call_command("dumpdata", output=str(dump), stdout=io.StringIO())  # every app
    call_command("flush", interactive=False, inhibit_post_migrate=True, stdout=io.StringIO())
    assert set(counts().values()) == {0}
    # django-simple-history records a project's m2m fields on m2m_changed even for loaddata's raw
    # saves (a history row per project and m2m); a restore switches history off, as its docs say.
    settings.SIMPLE_HISTORY_ENABLED = False
    call_command("loaddata", str(dump), stdout=io.StringIO())
    assert counts() == before
    assert snapshot() == rows
    assert_same_as_rebuilt()


def _pg_args() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    env = {**os.environ, **({"PGPASSWORD": s["PASSWORD"]} if s.get("PASSWORD") else {})}
    return args, env


QUERIES = {
    "months": 'SELECT project_id, "year", "month", month_amount, ytd, started, report_status '
    'FROM reports_projectmonth ORDER BY project_id, "year", "month"',
    "reports": "SELECT COUNT(*) FROM reports_monthlyreport",
}


@pytest.mark.django_db(transaction=True)
def test_it_round_trips_pg_dump_and_pg_restore(world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(f"pg_dump/pg_restore round trip needs PostgreSQL (this run uses {connection.vendor})")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump or pg_restore is not installed")
    file_some_reports(world)
    args, env = _pg_args()
    name = connection.settings_dict["NAME"]
    dump = tmp_path / "keyproj.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), *args, name], check=True, env=env, capture_output=True)
    scratch = f"{name}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", scratch, *args, str(dump)],
            check=True,
            env=env,
            capture_output=True,
        )
        s = connection.settings_dict
        params = {k: s[K] for k, K in (("host", "HOST"), ("port", "PORT"), ("user", "USER")) if s.get(K)}
        if s.get("PASSWORD"):
            params["password"] = s["PASSWORD"]
        restored = {}
        with connection.Database.connect(dbname=scratch, **params) as other, other.cursor() as cursor:
            for key, sql in QUERIES.items():
                cursor.execute(sql)
                restored[key] = cursor.fetchall()
        here = {}
        with connection.cursor() as cursor:
            for key, sql in QUERIES.items():
                cursor.execute(sql)
                here[key] = cursor.fetchall()
        assert restored == here
        assert here["reports"] == [(5,)] and len(here["months"]) == len(snapshot()) > 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


# --------------------------------------------------------------------------------------------------
# Migrations: no triggers left, and a history that imports no live code
# --------------------------------------------------------------------------------------------------


def triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal UNION "
                "SELECT proname FROM pg_proc WHERE proname LIKE 'reports_pm%'"
            )
        else:
            return set()
        return {name for (name,) in cursor.fetchall()}


def test_the_database_has_no_summary_triggers():
    assert not {t for t in triggers() if t.startswith("reports_pm")}


@pytest.mark.django_db(transaction=True)
def test_the_trigger_migration_goes_back_and_forth(world):
    if connection.vendor not in ("sqlite", "postgresql"):
        pytest.skip(f"0002 installed triggers only on SQLite and PostgreSQL, not {connection.vendor}")
    executor = MigrationExecutor(connection)
    target = ("reports", "0003_report_indexes")
    executor.migrate([target])
    try:
        assert {t for t in triggers() if t.startswith("reports_pm")}
        # The old triggers, as frozen, still keep the rows there — written through the models as they
        # were at 0003 (columns added since, such as the version, do not exist yet).
        old = executor.loader.project_state([target]).apps
        old.get_model("reports", "MonthlyReport").objects.create(
            project_id=world.road.pk,
            year=2020,
            month=4,
            amount=D("5.00"),
            status="approved",
            created_by_id=world.office.pk,
        )
        month = old.get_model("reports", "ProjectMonth").objects.get(
            project_id=world.road.pk, year=2020, month=12
        )
        assert month.ytd == D("5.00")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("reports"))
    assert not {t for t in triggers() if t.startswith("reports_pm")}


BASE_DIR = Path(__file__).resolve().parent.parent
STDLIB_OK = {"__future__", "datetime", "decimal", "django", "uuid"}


def test_no_migration_that_runs_code_or_sql_imports_application_code():
    """A migration's RunPython/RunSQL must behave forever as it did: it may not import code that
    changes later (field options such as upload_to are references Django itself serialises)."""
    offenders = []
    for path in sorted(BASE_DIR.glob("*/migrations/[0-9]*.py")):
        source = path.read_text(encoding="utf-8")
        if "RunPython" not in source and "RunSQL" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or "."] if node.level == 0 else ["."]
            else:
                continue
            offenders += [
                f"{path.relative_to(BASE_DIR)}: {n}" for n in names if n.split(".")[0] not in STDLIB_OK
            ]
    assert offenders == []
