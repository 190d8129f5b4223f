"""An approval node's document is read through the app's permission-checked view (approvals.files), on
local media and on the S3-compatible store: never by its storage address, which nothing serves in
production (local media) or which opens for anyone holding it (a signed S3 URL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from approvals.models import ApprovalNode

from .approval_builders import node
from .conftest import login
from .list_builders import ready_candidate
from .s3_helpers import BUCKET

# The moto server, the bucket and the storage on it (fixtures s3_endpoint, s3_options, bucket).
pytest_plugins = ["tests.s3_helpers"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

PDF = b"%PDF-1.4 approval document"


def recorded(client: Client, target: ApprovalNode) -> ApprovalNode:
    """The unit records the approval with its document through the plan's form."""
    response = client.post(
        f"/approvals/node/{target.pk}/record/",
        {
            f"r{target.pk}-submitted_on": "2020-09-01",
            f"r{target.pk}-approved_on": "2020-09-25",
            f"r{target.pk}-doc_number": "秀环准〔2020〕31号",
            f"r{target.pk}-attachment": SimpleUploadedFile("批复.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.attachment
    return target


def linked(client: Client, plan_url: str, target: ApprovalNode) -> str:
    """The address the plan page's paperclip points to."""
    page = client.get(plan_url).content.decode()
    marker = f'<a href="/approvals/node/{target.pk}/attachment/" id="attachment-{target.pk}"'
    assert marker in page
    return f"/approvals/node/{target.pk}/attachment/"


@pytest.fixture
def local_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_serves_the_unit_its_own_projects_document(world, local_media):
    client = login(world.transport_user)
    eia = recorded(client, node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1)))
    address = linked(client, f"/approvals/project/{world.bridge.pk}/", eia)

    served = client.get(address)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf"
    # Opens in the browser's PDF viewer under the node's name; never sniffed, never cached.
    assert served["Content-Disposition"].startswith("inline;")
    assert "%E7%8E%AF%E8%AF%84%E6%89%B9%E5%A4%8D.pdf" in served["Content-Disposition"]  # 环评批复.pdf
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in served["Cache-Control"]
    # The storage address is not on the page.
    assert "/media/" not in client.get(f"/approvals/project/{world.bridge.pk}/").content.decode()


def test_the_office_of_the_county_reads_it_too(world, local_media):
    eia = recorded(
        login(world.transport_user), node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1))
    )
    assert login(world.office).get(f"/approvals/node/{eia.pk}/attachment/").status_code == 200


@pytest.mark.parametrize("reader", ["office", "supervisor", "viewer"])
def test_every_county_role_that_reads_the_plan_reads_its_document(world, local_media, reader):
    """Whoever the plan page shows the paperclip to opens the document; the bytes are the upload's."""
    eia = recorded(
        login(world.transport_user), node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1))
    )
    client = login(getattr(world, reader))
    address = linked(client, f"/approvals/project/{world.bridge.pk}/", eia)
    answer = client.get(address)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF


def test_a_leader_reads_the_documents_of_the_projects_in_their_charge_only(world, local_media):
    """The bridge is not in the leader's charge: neither its plan nor its document opens; the reservoir is."""
    bridge = recorded(
        login(world.transport_user), node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1))
    )
    reservoir = recorded(
        login(world.water_user), node(world.reservoir, "环评批复", submitted_on=dt.date(2020, 9, 1))
    )
    client = login(world.leader_user)
    assert client.get(f"/approvals/project/{world.bridge.pk}/").status_code == 404
    assert client.get(f"/approvals/node/{bridge.pk}/attachment/").status_code == 404
    address = linked(client, f"/approvals/project/{world.reservoir.pk}/", reservoir)
    assert client.get(address).status_code == 200


def test_another_unit_and_another_county_get_not_found(world, local_media):
    eia = recorded(
        login(world.transport_user), node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1))
    )
    for outsider in (world.water_user, world.outsider):
        answer = login(outsider).get(f"/approvals/node/{eia.pk}/attachment/")
        assert answer.status_code == 404, outsider


def test_an_anonymous_caller_is_sent_to_sign_in(world, local_media):
    eia = recorded(
        login(world.transport_user), node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1))
    )
    answer = Client().get(f"/approvals/node/{eia.pk}/attachment/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/login/?next=/approvals/node/{eia.pk}/attachment/"


def test_a_node_without_a_document_or_whose_file_is_gone_is_not_found(world, local_media):
    client = login(world.transport_user)
    bare = node(world.bridge, "可研批复")
    assert client.get(f"/approvals/node/{bare.pk}/attachment/").status_code == 404
    assert (
        f"attachment-{bare.pk}" not in client.get(f"/approvals/project/{world.bridge.pk}/").content.decode()
    )

    eia = recorded(client, node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1)))
    (local_media / eia.attachment.name).unlink()
    assert client.get(f"/approvals/node/{eia.pk}/attachment/").status_code == 404


def test_a_reserve_candidates_document_is_served_to_the_proposing_unit_only(world, local_media):
    levee = ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    kyb = ApprovalNode.objects.create(candidate=levee, name="可研批复", procedure="approval")
    client = login(world.water_user)
    kyb = recorded(client, kyb)
    address = linked(client, f"/approvals/candidate/{levee.pk}/", kyb)
    assert b"".join(client.get(address).streaming_content) == PDF
    assert login(world.transport_user).get(address).status_code == 404


def test_on_the_s3_store_the_page_links_the_view_and_the_view_streams_the_private_object(world, bucket):
    client = login(world.transport_user)
    eia = recorded(client, node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1)))
    stored = bucket.get_object(Bucket=BUCKET, Key=eia.attachment.name)["Body"].read()
    assert stored == PDF

    page = client.get(f"/approvals/project/{world.bridge.pk}/").content.decode()
    assert BUCKET not in page and "X-Amz-Signature" not in page  # no signed address to pass around
    served = client.get(linked(client, f"/approvals/project/{world.bridge.pk}/", eia))
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored
    assert served["Content-Type"] == "application/pdf"
    assert login(world.water_user).get(f"/approvals/node/{eia.pk}/attachment/").status_code == 404
