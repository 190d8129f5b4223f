"""Form data for the project edit page, as the browser posts it (shared by the page and history tests)."""

from __future__ import annotations

from projects.models import Project


def edit_data(project: Project, **changes) -> dict:
    data = {
        "content": project.content,
        "owner": "县水务公司",
        "location": "",
        "team_name": "",
        "contact_person": "",
        "contact_phone": "",
        "funding_sources": "",
        "planned_start": "",
        "planned_end": "",
        "actual_start": "",
        "actual_end": "",
        "longitude": "",
        "latitude": "",
        "status": "construction",
        "team-TOTAL_FORMS": "0",
        "team-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data
