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


def office_data(world, **changes) -> dict:
    data = {
        "region": world.county.pk,
        "code": "XS-NEW-1",
        "name": "清溪场污水处理厂扩建",
        "sector": world.reservoir.sector.pk,
        "level": "county",
        "nature": "new",
        "lead_unit": world.water.pk,
        "leader": world.leader.pk,
        "total_investment": "3500.50",
        "content": "新建污水处理规模1万吨/日",
        "owner": "县水务公司",
        "status": "preparing",
        "plan-year": "2020",
        "plan-stage": "new",
        "plan-planned_investment": "1200.00",
        "plan-invested_before": "0",
        "plan-planned_start_month": "6",
        "plan-progress_target": "完成主体工程",
    }
    data.update(changes)
    return data
