"""Builders for quality and safety tests: an inspection and the hazards it found, straight to the rows
(the services are what the workflow tests exercise)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safety.models import Accident, Body, Hazard, SafetyInspection


def inspection(
    project, *, date=dt.date(2020, 9, 1), body=Body.SUPERVISION_OFFICE, by=None
) -> SafetyInspection:
    return SafetyInspection.objects.create(
        project=project, date=date, body=body, inspectors="督查室工作人员2名", kind="both", recorded_by=by
    )


def hazard(
    project,
    *,
    level=Hazard.Level.GENERAL,
    deadline=dt.date(2020, 9, 30),
    state=Hazard.State.OPEN,
    found=dt.date(2020, 9, 1),
    unit=None,
    body=Body.SUPERVISION_OFFICE,
    description="临边防护栏杆缺失",
    of=None,
) -> Hazard:
    return Hazard.objects.create(
        inspection=of or inspection(project, date=found, body=body),
        project=project,
        level=level,
        category=Hazard.Category.FALL,
        description=description,
        deadline=deadline,
        responsible_unit=unit or project.lead_unit,
        state=state,
        rectified_on=found if state != Hazard.State.OPEN else None,
        verified_on=found if state == Hazard.State.VERIFIED else None,
    )


def accident(project, *, date=dt.date(2020, 7, 16), deaths=0, injuries=1) -> Accident:
    return Accident.objects.create(
        project=project, date=date, deaths=deaths, injuries=injuries, description="一名工人手部受伤"
    )


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
