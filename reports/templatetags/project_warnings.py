"""`{% project_warnings project %}`: a project's warnings (预警) beside its light, each with its kind,
its reason and — for a kind that names a kind of blocker — the one-click button that raises it."""

from __future__ import annotations

from django import template

from lib.today import today
from projects.models import Project
from reports import warnings

register = template.Library()


@register.inclusion_tag("reports/_project_warnings.html", takes_context=True)
def project_warnings(context: template.Context, project: Project) -> dict:
    found = warnings.for_projects(Project.objects.filter(pk=project.pk), today().year).get(project.pk, [])
    kinds = {kind.code: kind for kind in warnings.kinds()}
    user = context["request"].user
    return {
        "project": project,
        "items": [(kinds[w.kind], w) for w in found],
        # The blocker view checks who may raise; this only keeps the button from readers.
        "can_raise": user.takes_part,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
