"""Blockers, supervision tasks and meetings with their decisions, each from its app's scoped queryset."""

from typing import Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from blockers.models import Blocker
from blockers.selectors import register_queryset
from lib.today import today
from meetings.models import Decision, Meeting
from meetings.selectors import decisions_seen_by, projects_seen_by
from projects.models import Project
from supervision.models import SupervisionTask
from supervision.selectors import task_list_queryset

from .params import Id, Paging
from .schemas import BlockerList, MeetingList, TaskList, answers

router = Router()


def ref(project) -> dict | None:
    return None if project is None else {"id": project.pk, "code": project.code, "name": project.name}


def named(obj, label: str = "name") -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, label)}


def iso(value) -> str | None:
    return value.isoformat() if value else None


class BlockerQuery(Schema):
    project: Id | None = None
    status: Literal[tuple(Blocker.Status.values)] | None = None  # type: ignore[valid-type]
    kind: Literal[tuple(Blocker.Kind.values)] | None = None  # type: ignore[valid-type]
    overdue: bool | None = Field(None, description="open past its deadline today")


@router.get("blockers", response=answers(BlockerList), url_name="blockers", tags=["blockers"])
def blocker_list(request: HttpRequest, query: Query[BlockerQuery], paging: Query[Paging]):
    """Blockers of the projects in scope, the newest first."""
    rows = register_queryset(request.auth, on=today())
    for name in ("project", "status", "kind"):
        value = getattr(query, name)
        if value is not None:
            rows = rows.filter(**{f"{name}_id" if name == "project" else name: value})
    if query.overdue is not None:
        rows = rows.filter(overdue_now=query.overdue)
    count, page = paging.cut(rows.order_by("-raised_at", "-pk"))
    return {
        "count": count,
        "results": [
            {
                "id": b.pk,
                "project": ref(b.project),
                "kind": b.kind,
                "kind_label": b.get_kind_display(),
                "description": b.description,
                "status": b.status,
                "level": b.level,
                "lead_unit": named(b.lead_unit),
                "leader": named(b.leader, "title"),
                "deadline": iso(b.deadline),
                "measures": b.measures,
                "raised_at": b.raised_at.isoformat(),
                "resolved_at": iso(b.resolved_at),
                "closed_at": iso(b.closed_at),
                "overdue": b.overdue_now,
            }
            for b in page
        ],
    }


class TaskQuery(Schema):
    project: Id | None = None
    status: Literal[tuple(SupervisionTask.Status.values)] | None = None  # type: ignore[valid-type]
    overdue: bool | None = Field(None, description="not closed and past its deadline today")


@router.get("tasks", response=answers(TaskList), url_name="tasks", tags=["supervision"])
def task_list(request: HttpRequest, query: Query[TaskQuery], paging: Query[Paging]):
    """Supervision tasks in scope (a unit's own and those on its projects), nearest deadline first."""
    rows = task_list_queryset(request.auth, on=today())
    if query.project is not None:
        rows = rows.filter(project_id=query.project)
    if query.status is not None:
        rows = rows.filter(status=query.status)
    if query.overdue is not None:
        rows = rows.filter(overdue_now=query.overdue)
    count, page = paging.cut(rows.order_by("deadline", "pk"))
    return {
        "count": count,
        "results": [
            {
                "id": t.pk,
                "title": t.title,
                "requirement": t.requirement,
                "source": t.source,
                "project": ref(t.project),
                "assignee_unit": named(t.assignee_unit),
                "leader": named(t.leader, "title"),
                "deadline": t.deadline.isoformat(),
                "status": t.status,
                "overdue": t.overdue_now,
                "created_at": t.created_at.isoformat(),
                "reported_at": iso(t.reported_at),
                "closed_at": iso(t.closed_at),
            }
            for t in page
        ],
    }


class MeetingQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="meetings held in that year")


@router.get("meetings", response=answers(MeetingList), url_name="meetings", tags=["meetings"])
def meeting_list(request: HttpRequest, query: Query[MeetingQuery], paging: Query[Paging]):
    """Meetings in scope with their decisions, the latest first. A unit or a leader reads its part of
    a meeting only, as on the meeting page: its projects and the decisions about them (or about none)."""
    user = request.auth
    tasks = SupervisionTask.objects.for_user(user).only("pk")
    decisions = decisions_seen_by(
        user, Decision.objects.select_related("project").prefetch_related(Prefetch("tasks", queryset=tasks))
    )
    projects = projects_seen_by(user, Project.objects.only("pk", "code", "name"))
    rows = Meeting.objects.for_user(user).select_related("chair")
    if query.year is not None:
        rows = rows.filter(date__year=query.year)
    count, page = paging.cut(
        rows.order_by("-date", "-pk").prefetch_related(
            Prefetch("decisions", queryset=decisions),
            Prefetch("projects", queryset=projects.order_by("code")),
            "attending_units",
        )
    )
    return {
        "count": count,
        "results": [
            {
                "id": m.pk,
                "type": m.type,
                "title": m.title,
                "date": m.date.isoformat(),
                "location": m.location,
                "chair": named(m.chair, "title"),
                "attending_units": [named(u) for u in m.attending_units.all()],
                "projects": [ref(p) for p in m.projects.all()],
                "decisions": [
                    {
                        "number": d.number,
                        "text": d.text,
                        "project": ref(d.project),
                        "blocker": d.blocker_id,
                        "committed_start": iso(d.committed_start),
                        "tasks": [t.pk for t in d.tasks.all()],
                    }
                    for d in m.decisions.all()
                ],
            }
            for m in page
        ],
    }
