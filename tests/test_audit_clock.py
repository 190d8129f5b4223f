"""Audit, login-log and history times are the real clock, even when KEYPROJ_TODAY pins the demo's
"today" the way `make run` does (issue 13 item 6). This file sets the variable itself, as it is what
is tested (tests/test_suite_rules.py lists it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import SecurityEvent
from audit.models import AuditEntry
from lib.today import today
from reports import services

from .conftest import login
from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_audit_and_security_times_are_the_real_clock_when_today_is_pinned(world, monkeypatch):
    monkeypatch.setenv("KEYPROJ_TODAY", "2020-10-11")
    assert today() == dt.date(2020, 10, 11)
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before = timezone.now()
    login(world.office).post(
        f"/manage/units/{world.water.pk}/",
        {"name": "县水务局", "kind": "bureau", "region": world.county.pk, "is_active": "on"},
    )
    Client().post("/login/", {"username": "water", "password": PASSWORD})
    Client().post("/login/", {"username": "nobody", "password": "x"})
    services.report_save(
        project=world.reservoir,
        year=2020,
        month=9,
        data={"amount": Decimal("1.00"), "progress": "x"},
        by=world.office,
    )
    entries = AuditEntry.objects.filter(pk__gt=last_entry)
    assert {"regions.unit", "reports.monthlyreport"} <= set(entries.values_list("model", flat=True))
    events = SecurityEvent.objects.filter(username__in=["water", "nobody"])
    assert events.count() == 2
    for moment in [
        *entries.values_list("at", flat=True),
        *events.values_list("at", flat=True),
        world.water.history.latest().history_date,
    ]:
        assert before <= moment <= timezone.now()
