"""Daily inspections: the phone form, photos checked by content, a follow-up blocker or task in one go."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from blockers.models import Blocker
from lib.images import PHOTO_MAX_BYTES
from supervision.models import Inspection, SupervisionTask

from .conftest import login


@pytest.fixture(autouse=True)
def media(settings, tmp_path, pinned_today):
    settings.MEDIA_ROOT = tmp_path


def png(name="site.png", fmt="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def post(client, world, **extra):
    data = {
        "project": world.reservoir.pk,
        "date": "2020-10-11",
        "findings": "现场未见施工人员",
        "follow_up": "none",
    }
    data.update(extra)
    return client.post(reverse("supervision:inspection_create"), data)


def test_it_records_an_inspection_with_photos(world):
    response = post(login(world.supervisor), world, photos=[png(), png("b.jpg", "JPEG")])
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and inspection.photos.count() == 2
    assert inspection.inspector == world.supervisor


def test_it_serves_inspection_photos_only_within_scope(world):
    post(login(world.supervisor), world, photos=[png()])
    photo = Inspection.objects.get().photos.get()
    url = reverse("supervision:inspection_photo", args=[photo.pk])
    response = login(world.water_user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login(world.transport_user).get(url).status_code == 404
    assert login(world.outsider).get(url).status_code == 404
    page = login(world.supervisor).get(reverse("supervision:inspection", args=[photo.inspection_id]))
    assert url in page.content.decode()


def test_it_refuses_a_file_that_is_not_a_picture_whatever_its_name(world):
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = post(login(world.supervisor), world, photos=[fake])
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    assert not Inspection.objects.exists()


def test_it_refuses_a_gif_and_an_oversized_photo(world):
    response = post(login(world.supervisor), world, photos=[png("a.gif", "GIF")])
    assert "photos" in response.context["form"].errors
    big = SimpleUploadedFile("big.png", b"0" * (PHOTO_MAX_BYTES + 1), content_type="image/png")
    response = post(login(world.supervisor), world, photos=[big])
    assert "photos" in response.context["form"].errors
    assert not Inspection.objects.exists()


def test_it_opens_a_blocker_from_the_inspection(world):
    post(login(world.supervisor), world, follow_up="blocker", blocker_kind="land", deadline="2020-10-25")
    blocker = Blocker.objects.get()
    inspection = Inspection.objects.get()
    assert blocker.source == "inspection" and blocker.source_inspection_link.inspection == inspection
    assert blocker.lead_unit == world.water and blocker.raised_by == world.supervisor
    assert str(blocker.deadline) == "2020-10-25"


def test_it_opens_a_task_from_the_inspection(world):
    post(login(world.supervisor), world, follow_up="task", task_title="组织人员进场", deadline="2020-10-15")
    task = SupervisionTask.objects.get()
    assert (task.source, task.assignee_unit, task.source_inspection) == (
        "inspection",
        world.water,
        Inspection.objects.get(),
    )


def test_it_saves_nothing_when_the_follow_up_is_incomplete(world):
    response = post(login(world.supervisor), world, follow_up="task", task_title="组织人员进场")
    assert "deadline" in response.context["form"].errors
    response = post(login(world.supervisor), world, follow_up="blocker")
    assert "blocker_kind" in response.context["form"].errors
    assert not Inspection.objects.exists() and not SupervisionTask.objects.exists()


def test_it_lets_only_supervisors_and_the_office_inspect(world):
    for user in (world.water_user, world.leader_user, world.viewer):
        assert post(login(user), world).status_code == 403
    assert not Inspection.objects.exists()


def test_it_keeps_inspections_in_scope(world):
    post(login(world.supervisor), world)
    inspection = Inspection.objects.get()
    assert (
        login(world.outsider).get(reverse("supervision:inspection", args=[inspection.pk])).status_code == 404
    )
    assert (
        login(world.transport_user).get(reverse("supervision:inspection", args=[inspection.pk])).status_code
        == 404
    )
    assert (
        login(world.hongan_user).get(reverse("supervision:inspection", args=[inspection.pk])).status_code
        == 200
    )


def test_it_serves_a_phone_sized_form(world):
    html = login(world.supervisor).get(reverse("supervision:inspection_create")).content.decode()
    assert (
        'name="viewport"' in html
        and 'capture="environment"' in html
        and 'accept="image/jpeg,image/png"' in html
    )


def test_it_lists_inspections_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    import datetime as dt

    def add(n):
        for i in range(n):
            Inspection.objects.create(
                project=world.reservoir,
                date=dt.date(2020, 10, 1),
                findings=f"发现{i}",
                inspector=world.supervisor,
            )

    client = login(world.supervisor)
    add(3)
    with django_assert_max_num_queries(12) as small:
        assert "发现2" in client.get(reverse("supervision:inspections")).content.decode()
    add(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("supervision:inspections"))
