"""Every free-text field of every form has a length limit (issue 13 item 5): the walk finds every form
class of the project and each of its text fields; a comment past the limit is refused with a message,
and a 10 MB one never reaches the form."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from blockers.models import BlockerEvent
from lib.forms import NOTE_MAX_LENGTH

from .blocker_builders import raise_blocker
from .conftest import login

ROOT = Path(settings.BASE_DIR)


def project_forms() -> list[type[forms.BaseForm]]:
    """Every Form and ModelForm class defined in the project's apps."""
    found: dict[str, type[forms.BaseForm]] = {}
    for app in apps.get_app_configs():
        path = Path(app.path)
        if ROOT not in path.parents or ".venv" in path.parts:
            continue
        modules = [app.name] + [
            m.name for m in pkgutil.walk_packages([str(path)], app.name + ".") if ".migrations" not in m.name
        ]
        for name in modules:
            module = importlib.import_module(name)
            for obj in vars(module).values():
                if inspect.isclass(obj) and issubclass(obj, forms.BaseForm) and obj.__module__ == name:
                    found[f"{name}.{obj.__qualname__}"] = obj
    return list(found.values())


def test_every_text_field_of_every_form_has_a_max_length():
    classes = project_forms()
    names = {c.__name__ for c in classes}
    assert {"CommentForm", "InspectionForm", "ReportForm", "MeetingForm", "LoginForm"} <= names
    unbounded = [
        f"{c.__module__}.{c.__name__}.{name}"
        for c in classes
        for name, field in c.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert unbounded == []


def test_a_text_field_of_a_model_form_is_limited_in_the_page_too(world):
    from reports.forms import ReportForm

    field = ReportForm().fields["progress"]
    assert field.max_length == 5000 and field.widget.attrs["maxlength"] == "5000"


@pytest.fixture
def blocker(world, pinned_today):
    return raise_blocker(world.reservoir, by=world.water_user)


def test_a_comment_past_the_limit_is_refused_with_a_message(world, blocker):
    client = login(world.office)
    before = BlockerEvent.objects.count()
    response = client.post(
        reverse("blockers:comment", args=[blocker.pk]), {"text": "长" * (NOTE_MAX_LENGTH + 1)}
    )
    assert response.status_code == 400
    [error] = response.context["comment_form"].errors["text"]
    assert "2000" in error
    assert BlockerEvent.objects.count() == before


def test_a_ten_megabyte_comment_never_reaches_the_form(world, blocker):
    client = login(world.office)
    before = BlockerEvent.objects.count()
    response = client.post(reverse("blockers:comment", args=[blocker.pk]), {"text": "x" * (10 * 1024 * 1024)})
    assert response.status_code == 400
    assert "未保存任何内容" in response.content.decode()
    assert BlockerEvent.objects.count() == before
