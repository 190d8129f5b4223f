"""Two requests at once on two real database connections (issue 13 item 3): a double click on
"submit" of a new report, and two people saving one project from forms drawn at the same version.

Each request runs in its own thread, so Django gives it its own connection; a barrier placed at the
point where the requests would overwrite each other holds the first until the second has arrived
(on PostgreSQL both are then inside their transactions at once: both looked for the report and
found none, or both are about to lock the project). SQLite takes its write lock when a transaction
begins (transaction_mode IMMEDIATE), so there the second waits at BEGIN, the barrier times out and
the requests run one after the other — the same outcome must hold on both."""

from __future__ import annotations

import threading
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client

from lib import concurrency
from projects.models import Project
from reports import services as report_services
from reports.models import MonthlyReport

from .form_builders import form_values

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("pinned_today")]

WAIT = 3  # seconds a request waits at the barrier for the other


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at_once(posts: list) -> list:
    """Run each (client, url, data) post in its own thread with its own connection; the responses."""
    responses: list = [None] * len(posts)
    errors: list = []

    def run(i: int, client: Client, url: str, data: dict) -> None:
        try:
            responses[i] = client.post(url, data)
        except Exception as exc:  # noqa: BLE001 — reported below, with the test's failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return responses


def hold_at(monkeypatch, module, name: str, parties: int = 2) -> None:
    """Make `module.name` wait for the other request before it runs (at most WAIT seconds)."""
    barrier = threading.Barrier(parties, timeout=WAIT)
    original = getattr(module, name)

    def held(*args, **kwargs):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)


def test_a_double_click_on_submit_of_a_new_report_saves_one_report(world, monkeypatch):
    url = f"/reports/{world.reservoir.pk}/2020/9/"
    a, b = signed_in(world.water_user), signed_in(world.water_user)
    form = form_values(a.get(url).content.decode(), "report-form")
    form.update(amount="300.00", progress="大坝填筑完成60%", completion_pct="45", workers="80", submit="1")
    # Both requests have looked for the month's report and found none before either inserts it.
    hold_at(monkeypatch, report_services, "_check_correction")
    attempts = []
    original = report_services._report_save
    monkeypatch.setattr(report_services, "_report_save", lambda *args: attempts.append(1) or original(*args))
    responses = at_once([(a, url, form), (b, url, form)])
    if connection.vendor == "postgresql":
        # They did collide: the second's insert failed on the unique constraint and it decided again.
        assert len(attempts) == 3
    assert [r.status_code for r in responses] == [302, 302]
    assert all(r["Location"] == url for r in responses)  # both land on the saved report
    report = MonthlyReport.objects.get(project=world.reservoir, year=2020, month=9)
    assert (report.status, report.amount) == ("submitted", D("300.00"))
    assert list(report.events.values_list("action", flat=True)) == ["created", "submitted"]


def test_two_saves_from_one_version_of_a_project_keep_the_first_and_tell_the_second(world, monkeypatch):
    url = f"/projects/{world.reservoir.pk}/edit/"
    a, b = signed_in(world.water_user), signed_in(world.office)
    form_a = form_values(a.get(url).content.decode())
    form_b = form_values(b.get(url).content.decode())
    assert form_a["version"] == form_b["version"]
    hold_at(monkeypatch, concurrency, "lock_seen")
    responses = at_once(
        [(a, url, {**form_a, "location": "洪安镇东侧"}), (b, url, {**form_b, "funding_sources": "专项债券"})]
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409]
    project = Project.objects.get(pk=world.reservoir.pk)
    loser = next(r for r in responses if r.status_code == 409).content.decode()
    assert "kp-stale" in loser
    if project.location == "洪安镇东侧":  # the unit won: the office's form is shown again, funding kept
        assert project.funding_sources == ""
        assert form_values(loser)["funding_sources"] == "专项债券"
        assert form_values(loser)["location"] == "洪安镇东侧"  # left alone by the office: the unit's
    else:
        assert (project.location, project.funding_sources) == ("", "专项债券")
        assert form_values(loser)["location"] == "洪安镇东侧"
    assert project.version == int(form_a["version"]) + 1
