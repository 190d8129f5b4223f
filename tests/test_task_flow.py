"""Supervision tasks: assignment, the unit's feedback and report, the supervisor's check; scoping, overdue."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from supervision import services
from supervision.models import SupervisionTask
from supervision.selectors import open_tasks_for

from .conftest import login

pytestmark = pytest.mark.usefixtures("pinned_today")


def assign(world, project, unit, deadline=dt.date(2020, 10, 20), title="完成征地补偿协议签订"):
    return services.task_assign(
        region=world.county,
        title=title,
        assignee_unit=unit,
        deadline=deadline,
        by=world.supervisor,
        project=project,
    )


def test_it_runs_report_send_back_and_closure_with_history(world):
    task = assign(world, world.reservoir, world.water)
    with pytest.raises(PermissionDenied):
        services.task_report_done(task=task, by=world.transport_user, text="x")
    services.task_feedback(task=task, by=world.water_user, text="已签订80%")
    services.task_report_done(task=task, by=world.water_user, text="全部签订")
    with pytest.raises(PermissionDenied):
        services.task_close(task=task, by=world.water_user)
    with pytest.raises(ValidationError):
        services.task_send_back(task=task, by=world.supervisor, reason=" ")
    services.task_send_back(task=task, by=world.supervisor, reason="缺两户协议")
    task.refresh_from_db()
    assert task.status == "open"
    with pytest.raises(ValidationError):
        services.task_close(task=task, by=world.supervisor)  # not reported any more
    services.task_report_done(task=task, by=world.water_user, text="补签完成")
    services.task_close(task=task, by=world.supervisor, note="核实无误")
    task.refresh_from_db()
    assert task.status == "closed" and task.closed_at is not None
    kinds = list(task.feedback.values_list("kind", flat=True))
    assert kinds == ["created", "feedback", "reported", "sent_back", "reported", "closed"]


def test_it_lets_a_leader_instruct_only_on_their_projects(world):
    services.task_assign(
        region=world.county,
        title="加快推进",
        assignee_unit=world.water,
        deadline=dt.date(2020, 11, 1),
        by=world.leader_user,
        project=world.reservoir,
    )
    with pytest.raises(PermissionDenied):
        services.task_assign(
            region=world.county,
            title="x",
            assignee_unit=world.transport,
            deadline=dt.date(2020, 11, 1),
            by=world.leader_user,
            project=world.bridge,
        )
    with pytest.raises(PermissionDenied):
        services.task_assign(
            region=world.county,
            title="x",
            assignee_unit=world.transport,
            deadline=dt.date(2020, 11, 1),
            by=world.water_user,
        )


def test_it_scopes_tasks_for_every_role(world):
    a = assign(world, world.reservoir, world.water, title="水库任务")
    b = assign(world, world.bridge, world.transport, title="大桥任务")
    far = services.task_assign(
        region=world.other_county,
        title="酉阳任务",
        assignee_unit=world.other_unit,
        deadline=dt.date(2020, 11, 1),
        by=world.outsider,
        project=world.far,
    )

    def seen(user):
        return set(SupervisionTask.objects.for_user(user).values_list("title", flat=True))

    assert seen(world.office) == seen(world.supervisor) == seen(world.viewer) == {"水库任务", "大桥任务"}
    assert seen(world.water_user) == {"水库任务"}
    assert seen(world.transport_user) == {"大桥任务"}
    assert seen(world.hongan_user) == {"水库任务"}
    assert seen(world.leader_user) == {"水库任务"}
    assert seen(world.outsider) == {"酉阳任务"}
    assert login(world.water_user).get(reverse("supervision:task", args=[b.pk])).status_code == 404
    assert login(world.outsider).get(reverse("supervision:task", args=[a.pk])).status_code == 404
    assert login(world.office).get(reverse("supervision:task", args=[far.pk])).status_code == 404
    viewer = login(world.viewer)
    assert viewer.post(reverse("supervision:task_feedback", args=[a.pk]), {"text": "x"}).status_code == 403
    assert viewer.post(reverse("supervision:task_create"), {"title": "x"}).status_code == 403


def test_it_marks_overdue_tasks_and_lists_a_units_open_tasks(world):
    late = assign(world, world.reservoir, world.water, deadline=dt.date(2020, 10, 9), title="逾期任务")
    assign(world, world.reservoir, world.water, deadline=dt.date(2020, 10, 30), title="未到期任务")
    assign(world, world.bridge, world.transport, title="交通任务")
    mine = open_tasks_for(world.water_user)
    assert [t.title for t in mine] == ["逾期任务", "未到期任务"]
    assert mine[0].overdue_now and not mine[1].overdue_now
    html = login(world.water_user).get(reverse("supervision:my_tasks")).content.decode()
    assert "逾期任务" in html and "list-group-item-danger" in html and "交通任务" not in html
    html = login(world.office).get(reverse("supervision:tasks"), {"overdue": "yes"}).content.decode()
    assert "逾期任务" in html and "未到期任务" not in html
    page = login(world.office).get(reverse("supervision:task", args=[late.pk])).content.decode()
    assert "bi-alarm" in page


def test_it_walks_the_task_through_the_pages(world):
    task = assign(world, world.reservoir, world.water)
    unit = login(world.water_user)
    assert unit.post(reverse("supervision:task_report", args=[task.pk]), {"text": ""}).status_code == 400
    unit.post(reverse("supervision:task_report", args=[task.pk]), {"text": "已完成"})
    login(world.supervisor).post(
        reverse("supervision:task_verify", args=[task.pk]), {"decision": "send_back", "text": "照片不全"}
    )
    task.refresh_from_db()
    assert task.status == "open"
    unit.post(reverse("supervision:task_report", args=[task.pk]), {"text": "补充照片"})
    login(world.supervisor).post(
        reverse("supervision:task_verify", args=[task.pk]), {"decision": "close", "text": ""}
    )
    task.refresh_from_db()
    assert task.status == "closed"


def test_it_exports_tasks(world):
    assign(world, world.reservoir, world.water, deadline=dt.date(2020, 10, 1), title="逾期任务")
    response = login(world.office).get(reverse("supervision:task_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(values_only=True) if r[1] == "逾期任务"]
    assert rows and rows[0][4] == "县水利局"


def test_it_keeps_the_task_list_query_count_fixed(world, django_assert_max_num_queries):
    client = login(world.office)
    for i in range(5):
        assign(world, world.reservoir, world.water, title=f"t{i}")
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("supervision:tasks"))
    for i in range(60):
        assign(world, world.bridge, world.transport, title=f"u{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("supervision:tasks"))
