"""The report page's project and report (reports.views._project_for_user, _month_report): their
statements are compiled once per process (under the user's scope; the month), and they answer what
projects.views.get_project_for_user and the ORM answer — the same row, field for field, or 404 / none
— for every role, every project, asked again and read afresh."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.forms.models import model_to_dict
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from lib import statements
from projects.models import Project
from projects.views import get_project_for_user
from reports import services
from reports.models import MonthlyReport
from reports.views import _month_report, _project_for_user

from .conftest import login

ROLES = (
    "office",
    "water_user",
    "transport_user",
    "hongan_user",
    "leader_user",
    "supervisor",
    "viewer",
    "city_office",
    "outsider",
)


def _asked(function, user, pk):
    request = RequestFactory().get("/")
    request.user = user
    try:
        project = function(request, pk)
    except Http404:
        return None
    return (project.pk, project.version, project._state.adding, project._state.db, model_to_dict(project))


def test_it_answers_every_user_as_the_scoped_queryset_does(world):
    statements.forget()
    projects = [world.reservoir, world.road, world.bridge, world.far]
    missing = max(p.pk for p in projects) + 1
    for _round in range(2):  # compiled the first time, kept the second
        for role in ROLES:
            user = getattr(world, role)
            for pk in [p.pk for p in projects] + [missing]:
                expected = _asked(get_project_for_user, user, pk)
                assert _asked(_project_for_user, user, pk) == expected, (role, pk)
    seen = {
        role: [p.pk for p in projects if _asked(_project_for_user, getattr(world, role), p.pk)]
        for role in ROLES
    }
    assert seen["transport_user"] == [world.road.pk, world.bridge.pk]
    assert seen["hongan_user"] == [world.reservoir.pk]  # through its township
    assert seen["outsider"] == [world.far.pk]


def test_it_shows_another_units_report_page_as_not_found(world):
    statements.forget()
    mine = login(world.transport_user).get(reverse("reports:report", args=[world.bridge.pk, 2020, 9]))
    assert mine.status_code == 200
    theirs = login(world.water_user).get(reverse("reports:report", args=[world.bridge.pk, 2020, 9]))
    assert theirs.status_code == 404


def test_it_reads_the_project_as_it_is_now(world):
    statements.forget()
    request = RequestFactory().get("/")
    request.user = world.transport_user
    assert _project_for_user(request, world.bridge.pk).name == world.bridge.name
    Project.objects.filter(pk=world.bridge.pk).update(name="梅江河大桥（改）")
    assert _project_for_user(request, world.bridge.pk).name == "梅江河大桥（改）"
    Project.objects.filter(pk=world.bridge.pk).update(lead_unit=world.water)
    with pytest.raises(Http404):
        _project_for_user(request, world.bridge.pk)


def test_it_reads_the_months_report_as_the_orm_does(world):
    statements.forget()
    assert _month_report(world.bridge, 2020, 9) is None
    data = {"amount": D("12.50"), "progress": "施工中", "started": True, "start_date": "2020-03-01"}
    by = world.transport_user
    saved = services.report_save(project=world.bridge, year=2020, month=9, data=data, by=by)
    services.report_save(project=world.road, year=2020, month=9, data=data, by=by)
    services.report_save(project=world.bridge, year=2020, month=8, data=data, by=by)
    for _round in range(2):
        for project, month in [(world.bridge, 9), (world.road, 9), (world.bridge, 8), (world.road, 8)]:
            kept = _month_report(project, 2020, month)
            expected = MonthlyReport.objects.filter(project=project, year=2020, month=month).first()
            if expected is None:
                assert kept is None
                continue
            assert model_to_dict(kept) == model_to_dict(expected)
            assert (kept.pk, kept.version, kept.status, kept._state.adding) == (
                expected.pk,
                expected.version,
                expected.status,
                False,
            )
            assert kept.project is project  # the permission checks read it without a query
    services.report_submit(report=saved, by=by)
    assert _month_report(world.bridge, 2020, 9).status == "submitted"  # read afresh
