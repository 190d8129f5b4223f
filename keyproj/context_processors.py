from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from lib.today import today


def keyproj(request: HttpRequest) -> dict:
    return {"site_title": settings.KEYPROJ_SITE_TITLE, "app_today": today()}
