"""The OpenAPI document: its paths are exactly the API's routes, the summary contract is in it, and a
schema-driven fuzz (schemathesis) finds no server error and no answer off the schema."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import api
from api.models import ApiToken

from .conftest import login
from .report_builders import report, started

pytestmark = pytest.mark.django_db
# The schema, the docs page, the root and the JSON 404 for other paths are not operations.
NOT_OPERATIONS = {"openapi-json", "openapi-view", "api-root", "not-found"}


def api_routes() -> Counter:
    """The paths the URL resolver serves under the api namespace, in OpenAPI notation, counted once per
    operation (ninja adds one named route per operation; GET and POST of a path are two)."""
    found: Counter = Counter()

    def walk(resolver: URLResolver, prefix: str, inside: bool) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern), inside or entry.namespace == "api")
            elif inside and isinstance(entry, URLPattern) and entry.name not in NOT_OPERATIONS:
                found[re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/" + prefix + str(entry.pattern))] += 1

    walk(get_resolver(), "", False)
    return found


def schema_document() -> dict:
    """The document as /api/v1/openapi.json serves it (JSON: string status codes)."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder))


def test_it_documents_exactly_the_routes_it_serves():
    paths = schema_document()["paths"]
    documented = Counter({path: len(operations) for path, operations in paths.items()})
    assert documented == api_routes()
    assert "get" in paths["/api/v1/summary"] and "post" in paths["/api/v1/reports/{id}/submit"]
    assert set(paths["/api/v1/reports"]) == {"get", "post"}


def test_it_serves_the_schema_and_the_docs_to_callers_only(world):
    assert Client().get("/api/v1/openapi.json").status_code == 401
    assert login(world.viewer).get("/api/v1/openapi.json").json()["openapi"].startswith("3.")
    assert Client().get("/api/v1/docs")["Location"].startswith("/login/")
    page = login(world.viewer).get("/api/v1/docs").content.decode()
    assert "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "the docs page loads nothing from outside"


def test_the_summary_contract_is_in_the_schema():
    document = schema_document()
    ok = document["paths"]["/api/v1/summary"]["get"]["responses"]["200"]["content"]["application/json"]
    name = ok["schema"]["$ref"].rsplit("/", 1)[-1]
    props = document["components"]["schemas"][name]["properties"]
    for money in ("planned_investment", "ytd_investment"):
        assert props[money]["type"] == "string"
    for percent in ("completion_rate", "schedule_target", "gap_points"):
        assert {"type": "number"} in props[percent]["anyOf"]
    for count in ("projects", "not_started", "blockers_open", "blockers_overdue", "tasks_overdue"):
        assert props[count]["type"] == "integer"
    assert props["lights"]["$ref"].endswith("/Lights")
    assert set(document["components"]["schemas"]["Lights"]["properties"]) == {"green", "yellow", "red"}


def test_every_error_is_documented_with_the_detail_shape():
    document = schema_document()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "429"):
                error = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert error.endswith("/Error"), (method, path, status)


@pytest.fixture
def fuzzed(world, settings):
    settings.KEYPROJ_API_RATE = "100000/min"
    cache.clear()
    for project in (world.reservoir, world.road, world.bridge, world.far):
        started(project)
        report(project, 9, "100.00")
    _token, secret = ApiToken.issue(user=world.office, name="fuzz", by=world.office)
    return secret


def test_a_schema_driven_fuzz_finds_no_server_error_and_nothing_off_the_schema(fuzzed):
    schema = schemathesis.openapi.from_dict(schema_document())
    schema.app = get_wsgi_application()
    # As django.test.Client does: a request must not close the test's database connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        fuzz_every_operation(schema, secret=fuzzed)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def fuzz_every_operation(schema, *, secret: str) -> None:
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    headers = {"Authorization": f"Bearer {secret}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every documented operation is fuzzed: none is skipped because the fuzzer could not read it.
    documented = sum(len(methods) for methods in schema_document()["paths"].values())
    assert len(operations) == documented >= 21
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=10,  # per mode: 20 cases per operation
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def fuzz(case) -> None:
                case.call_and_validate(headers=headers, checks=checks)

            fuzz()


def test_every_answer_schema_has_its_own_name_in_the_document():
    """The document names each schema by its class's name: two classes of one name would be one
    component, and one endpoint would be documented with the other's fields (the project's year
    plans were documented as the land plans, both PlanOut, which the fuzz found in session 9)."""
    from ninja import Schema

    def below(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *below(sub))]

    document = api.get_openapi_schema()
    ours = {c for c in below(Schema) if c.__module__.startswith("api.")}
    names = Counter(c.__name__ for c in ours if c.__name__ in document["components"]["schemas"])
    assert [name for name, n in names.items() if n > 1] == []
    plans = document["components"]["schemas"]["PlanOut"]["properties"]
    assert "planned_investment" in plans and "area_needed" not in plans
