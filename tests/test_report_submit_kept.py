"""The deadline-day path (issue 17 item 5) compiles its reads once per process: after one unit's
"save and submit", another's compiles no read of the signed-in user (accounts.backends.UserBackend),
of the project or the month's report, and no locking read (reports.services' lock of the report,
reports.months' lock of the project) — each is a kept statement (lib.statements) run again."""

from __future__ import annotations

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse

from accounts.models import User
from lib import statements
from projects.models import Project
from reports.models import MonthlyReport

from .conftest import login
from .form_builders import form_values

pytestmark = pytest.mark.usefixtures("pinned_today")

REPORT = {
    "amount": "128.50",
    "progress": "按计划推进，主体工程施工中",
    "completion_pct": "40",
    "workers": "35",
}


@pytest.fixture
def compiled(monkeypatch):
    """(model, locking) of every SELECT Django compiles."""
    seen: list[tuple[type, bool]] = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        seen.append((self.query.model, bool(self.query.select_for_update)))
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return seen


def posted(client, project, compiled: list) -> list[tuple[type, bool]]:
    """What the "save and submit" POST alone compiles (the form is drawn before)."""
    url = reverse("reports:report", args=[project.pk, 2020, 9])
    form = form_values(client.get(url).content.decode(), "report-form")
    form.update(REPORT, started="on", start_date="2020-03-01", submit="1")
    compiled.clear()
    assert client.post(url, form).status_code == 302
    return list(compiled)


def test_it_compiles_no_read_of_the_user_project_or_report_again(world, compiled):
    statements.forget()
    first = posted(login(world.transport_user), world.bridge, compiled)
    assert (MonthlyReport, True) in first and (Project, True) in first  # the locks, compiled once
    again = posted(login(world.water_user), world.reservoir, compiled)
    assert not [model for model, locking in again if locking]
    assert not [model for model, _locking in again if model in (User, Project, MonthlyReport)]
    report = MonthlyReport.objects.get(project=world.reservoir, year=2020, month=9)
    assert (report.status, report.version, report.created_by) == ("submitted", 2, world.water_user)
