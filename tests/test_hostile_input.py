"""No input gives a 500 (issue 13 item 2). Every URL pattern of the project, walked as every role:
path converters filled with real ids (every app's objects are in the world below) and with hostile
ones; every query parameter a page's forms and links name, and every field of its forms (read from the
rendered HTML), sent a fixed table of hostile values; the JSON API the same, its parameters and bodies
read from its OpenAPI document. Nothing may answer 5xx. The world is small on purpose, and the office
(who sees every page and form) gets the whole table while the other roles and downloads get its short
part. A table's first payload carries every name; the others only the names some request of that
table read (recorded on request.GET and request.POST): a parameter the view never reads cannot fail
it, and sending it the other values only re-rendered the page (README, Security: Input validation)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from api.models import ApiToken
from approvals.models import NodeTemplate
from battlemap import pdf
from cadence.services import document_generate, period_for
from exchange import services as exchange_services
from exchange.models import ExportJob
from funds.models import FundMonth, FundPlan
from lists import services as list_services
from meetings.models import Decision, Meeting
from milestones.models import Milestone
from notifications import robots
from notifications.models import Notification, Robot
from projects.models import BaselineRevision, Project
from reports.models import ReportPhoto
from supervision.models import Inspection, InspectionPhoto, SupervisionTask

from .approval_builders import node, suspend
from .blocker_builders import raise_blocker
from .conftest import login
from .land_builders import land_plan
from .list_builders import ready_candidate
from .pool_builders import application, channel
from .report_builders import create_report, set_plan
from .safety_builders import accident, hazard, png
from .sheets import xlsx
from .tender_builders import awarded, record

pytestmark = pytest.mark.django_db

BIG = "9" * 25  # past a 64-bit integer: SQLite refuses to bind it
# The fixed table. A tuple is sent as several values of one name (a list where one is expected);
# every single value is also what a multi-select receives where it expects a list.
HOSTILE: list[str | tuple[str, ...]] = [
    "",
    " ",
    "²",
    "-1",
    "0",
    BIG,
    "1e309",
    "NaN",
    "9999-12-31",
    "0000-00-00",
    "2020-02-30",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "a\x00b",
    "%00",
    "../../etc/passwd",
    "http://evil.example/",
    ("1", BIG),
    ("2020", "²"),
]
# The values that broke pages before, for the roles after the office (who sees every page and form
# and gets the whole table) and for downloads: the walk stays within minutes.
SHORT = ["", "²", BIG, "9999-12-31", "x" * 10_000, "a\x00b", ("1", BIG)]
# Converter values that still match <int:...>: a row that cannot exist and one past any integer column.
HOSTILE_INTS = ["0", BIG]
HOSTILE_STRS = ["²", "x" * 300, "%00", "' OR 1=1 --"]
# Query parameters tried on every page, beside those its forms and links name.
COMMON = ["year", "month", "page", "date", "project", "next", "format", "size", "sort", "q", "kind"]
ROLES = ["office", "unit", "leader", "supervisor", "viewer", "anonymous"]
USERS = {
    "office": "office",
    "unit": "water_user",
    "leader": "leader_user",
    "supervisor": "supervisor",
    "viewer": "viewer",
}
SKIP_FIELDS = {"csrfmiddlewaretoken"}


def patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern)


CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass
class Found:
    """What a page's HTML names: GET parameters and, per form action, POST fields."""

    query: set[str] = field(default_factory=set)
    posts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


class FormReader(HTMLParser):
    def __init__(self, path: str, found: Found) -> None:
        super().__init__()
        self.path, self.found = path, found
        self.form: tuple[str, str] | None = None  # (method, action path)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urlsplit(a.get("action") or self.path).path or self.path
            self.form = ((a.get("method") or "get").lower(), action)
        elif tag in ("input", "select", "textarea", "button") and a.get("name"):
            name = a["name"]
            if name in SKIP_FIELDS or a.get("type") == "file":
                return
            method, action = self.form or ("get", self.path)
            if method == "post":
                self.found.posts[action].add(name)
            elif action == self.path:
                self.found.query.add(name)
        elif tag == "a" and a.get("href"):
            link = urlsplit(a["href"])
            if link.path in ("", self.path):
                self.found.query.update(name for name, _ in parse_qsl(link.query, keep_blank_values=True))
        for attr in ("hx-get", "hx-post"):
            if a.get(attr):
                target = urlsplit(a[attr])
                if attr == "hx-post":
                    self.found.posts[target.path or self.path]  # noqa: B018 — a POST target with no fields
                elif target.path in ("", self.path):
                    self.found.query.update(n for n, _ in parse_qsl(target.query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None


@dataclass
class Walk:
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    sent: int = 0  # parameter values sent
    skipped: int = 0  # payloads not sent: the view read none of their names

    def check(self, client: Client, method: str, url: str, data=None, **extra) -> object:
        self.requests += 1
        response = getattr(client, method)(url, {} if data is None else data, **extra)
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            what = f"{exc[0].__name__}: {str(exc[1])[:160]}" if exc else ""
            items = data.items() if isinstance(data, dict) else [("body", data)]
            shown = {k: (v if len(str(v)) < 40 else f"{str(v)[:20]}…") for k, v in items}
            self.failures.append(f"{method.upper()} {url[:120]} {shown} → {response.status_code} {what}")
        return response


# -- which parameters a view reads ------------------------------------------------------------------
# A parameter the view never reads cannot make it fail: after the first payload of a table (every
# name at once), the others are sent only in the names some request of that table has read, and not at
# all when none was. Reading the whole dict (iterating, copying, urlencode: a filter, a pager's links)
# counts as reading every name.
READ: set[str] = set()
EVERY = "*"


class RecordingQueryDict(QueryDict):
    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        READ.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)

    def _whole(name: str):  # noqa: N805 — a factory run in the class body
        def whole(self, *args, **kwargs):
            READ.add(EVERY)
            return getattr(QueryDict, name)(self, *args, **kwargs)

        return whole

    for _name in ("__iter__", "keys", "items", "values", "lists", "dict", "copy", "urlencode", "__copy__"):
        locals()[_name] = _whole(_name)
    del _name, _whole


def recording(get_response):
    """Innermost middleware (the walk's settings): what the view reads of GET and POST is recorded."""

    def middleware(request):
        request.GET.__class__ = RecordingQueryDict
        if request.method == "POST":
            request.POST.__class__ = RecordingQueryDict
        READ.clear()
        return get_response(request)

    return middleware


def send_table(walk: Walk, client: Client, method: str, url: str, payloads: list[dict]) -> None:
    read: set[str] = set()
    for i, payload in enumerate(payloads):
        if i and EVERY not in read:
            payload = {name: value for name, value in payload.items() if name in read}
            if not payload:
                walk.skipped += 1
                continue
        walk.check(client, method, url, as_data(payload))
        read |= READ
        walk.sent += len(payload)


def rotation(names: list[str], table: list) -> list[dict]:
    """len(table) payloads; across them every name receives every value of the table exactly once."""
    n = len(table)
    return [{name: table[(i + j) % n] for j, name in enumerate(sorted(names))} for i in range(n)]


def as_data(payload: dict) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in payload.items()}


# ---------------------------------------------------------------------------------------------------
# The 500s the probe of issue 13 found, each answered as a user would want.


def test_a_project_id_that_is_not_one_is_a_400_that_says_so(reported):
    client = login(reported.office)
    for url in (
        "/blockers/new/?project=²",
        "/supervision/tasks/new/?project=²",
        f"/blockers/new/?project={BIG}",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "地址中的项目编号无效。" in response.content.decode()
    assert client.get(f"/blockers/new/?project={reported.reservoir.pk}").status_code == 200


def test_a_25_digit_id_in_a_multi_select_is_not_one_of_the_choices(reported):
    page = login(reported.office).post(
        f"/projects/{reported.reservoir.pk}/edit/", {"name": "改名", "cooperating_units": [BIG]}
    )
    assert page.status_code == 200 and "不在可用的选项中" in page.content.decode()
    assert Project.objects.filter(pk__in=[int(BIG), reported.reservoir.pk]).count() == 1
    reported.reservoir.refresh_from_db()
    assert reported.reservoir.name == "洪安水库工程"


def test_a_week_past_the_calendar_shows_this_week(reported, pinned_today):
    response = login(reported.office).get("/cadence/weekly/?date=9999-12-31")
    assert response.status_code == 200 and "2020-10-11" in response.content.decode()


@pytest.mark.parametrize("back", ["board", "http://evil.example/", "//evil.example/", "\x00", ""])
def test_a_commitment_next_that_is_not_a_local_path_goes_to_the_board(reported, back):
    response = login(reported.office).post(
        f"/reports/not-started/{reported.bridge.pk}/commit/", {"committed_date": "2020-11-01", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == "/reports/not-started/"


def test_a_commitment_next_on_this_site_is_followed(reported):
    response = login(reported.office).post(
        f"/reports/not-started/{reported.bridge.pk}/commit/",
        {"committed_date": "2020-11-01", "next": "/projects/?year=2020"},
    )
    assert response["Location"] == "/projects/?year=2020"


def test_a_256_character_username_is_a_form_error(reported):
    response = Client().post("/login/", {"username": "u" * 256, "password": "x"})
    assert response.status_code == 200 and 'name="username"' in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_save_and_submit_on_a_submitted_report_is_a_message(reported, pinned_today):
    bridge = reported.bridge
    create_report(
        project=bridge, year=2020, month=9, amount="10.00", progress="施工准备", status="submitted",
        created_by=reported.transport_user,
    )  # fmt: skip
    response = login(reported.transport_user).post(
        f"/reports/{bridge.pk}/2020/9/", {"amount": "20.00", "progress": "施工中", "submit": "1"}, follow=True
    )
    assert response.status_code in (200, 403, 409)
    assert bridge.reports.get(year=2020, month=9).amount == Decimal("10.00")


def test_an_amount_of_ten_thousand_digits_is_a_form_error(reported, pinned_today):
    response = login(reported.water_user).post(
        f"/reports/{reported.reservoir.pk}/2020/10/",
        {"amount": "9" * 10_000, "progress": "施工中", "save": "1"},
    )
    assert response.status_code == 400 and "金额过大。" in response.content.decode()


def test_a_nul_byte_in_a_search_is_a_400(reported):
    response = login(reported.office).get("/manage/login-log/", {"q": "a\x00b"})
    assert response.status_code == 400 and "搜索文字无效。" in response.content.decode()


def test_an_audit_date_past_the_calendar_is_a_form_error(reported):
    assert login(reported.office).get("/manage/audit/", {"end": "9999-12-31"}).status_code == 200


# ---------------------------------------------------------------------------------------------------
# The world: the shared county with one of everything a URL can name.


@dataclass
class Objects:
    ids: dict[str, dict[str, object]]  # URL name → its converters' real values
    token_secret: dict[str, str]  # role → a bearer token of that role's user


@pytest.fixture
def objects(reported, settings, tmp_path, monkeypatch, pinned_today) -> Objects:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(robots, "post", lambda request, timeout=5: None)  # no robot reaches the network
    # The wall chart's PDF is the page printed by Chromium: seconds a request, and no input of ours.
    monkeypatch.setattr(pdf, "available", lambda: True)
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-1.4")
    w = reported
    set_plan(w.bridge, start_month=6)
    submitted = create_report(
        project=w.bridge, year=2020, month=9, amount="10.00", progress="施工准备", status="submitted",
        created_by=w.transport_user,
    )  # fmt: skip
    september = w.reservoir.reports.get(year=2020, month=9)
    photo = ReportPhoto.objects.create(
        report=september, uid="a" * 32, image=SimpleUploadedFile("p.jpg", b"x"), uploaded_by=w.water_user
    )
    blocker = raise_blocker(w.reservoir, by=w.water_user, deadline=dt.date(2020, 10, 31))
    meeting = Meeting.objects.create(region=w.county, title="县长办公会", date=dt.date(2020, 10, 11))
    meeting.projects.add(w.reservoir)
    Decision.objects.create(meeting=meeting, number=1, text="水库征地10月底前完成", project=w.reservoir)
    task = SupervisionTask.objects.create(
        region=w.county, project=w.reservoir, title="征地督办", assignee_unit=w.water,
        deadline=dt.date(2020, 12, 31),
    )  # fmt: skip
    inspection = Inspection.objects.create(project=w.reservoir, inspector=w.supervisor, findings="进度滞后")
    inspection_photo = InspectionPhoto.objects.create(
        inspection=inspection, image=SimpleUploadedFile("i.jpg", b"x")
    )
    robot = Robot.objects.create(
        region=w.county, kind="wecom", name="县重点项目群", url="https://q.example/x"
    )
    document = document_generate(
        kind="weekly", region=w.county, period=period_for("weekly", day=pinned_today)
    )
    rows = [
        ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
        ["新水厂", "水利", "县水利局", 100, 50],
    ]
    batch = exchange_services.import_upload(
        user=w.office, data=xlsx(rows), filename="list.xlsx", kind="projects", year=2020, month=None,
        region=w.county,
    )  # fmt: skip
    job = ExportJob.objects.create(user=w.office, query="year=2020")
    users = {role: getattr(w, attr) for role, attr in USERS.items()}
    notes = {
        role: Notification.objects.create(user=u, kind="other", key="k", title="通知", url="/")
        for role, u in users.items()
    }
    tokens = {role: ApiToken.issue(user=u, name=f"{role} 接口", by=w.office) for role, u in users.items()}
    project = {"pk": w.reservoir.pk}
    report = {"pk": w.reservoir.pk, "year": 2020, "month": 9}
    ids: dict[str, dict[str, object]] = {
        "projects:detail": project,
        "projects:edit": project,
        "projects:plan_create": project,
        "projects:plan_edit": {"pk": w.reservoir.pk, "year": 2020},
        "accounts:user_edit": {"pk": w.water_user.pk},
        "accounts:user_unlock": {"pk": w.water_user.pk},
        "accounts:otp_reset": {"pk": w.water_user.pk},
        "accounts:unit_edit": {"pk": w.water.pk},
        "api_tokens:revoke": {"pk": tokens["office"][0].pk},
        "exchange:preview": {"pk": batch.pk},
        "exchange:accept": {"pk": batch.pk},
        "exchange:choose": {"pk": batch.pk},
        "exchange:confirm": {"pk": batch.pk},
        "exchange:cancel": {"pk": batch.pk},
        "exchange:template": {"kind": "projects"},
        "exchange:export": {"pk": job.pk},
        "exchange:export_download": {"pk": job.pk},
        "blockers:for_project": project,
        "blockers:from_warning": project,
        **{
            f"blockers:{n}": {"pk": blocker.pk}
            for n in ("detail", "edit", "measures", "move", "escalate", "comment")
        },
        **{
            f"meetings:{n}": {"pk": meeting.pk}
            for n in ("detail", "edit", "minutes", "docx", "decision_create")
        },
        **{
            f"supervision:{n}": {"pk": task.pk}
            for n in ("task", "task_feedback", "task_report", "task_verify")
        },
        "supervision:inspection": {"pk": inspection.pk},
        "supervision:inspection_photo": {"photo_id": inspection_photo.pk},
        "notifications:robot_test": {"pk": robot.pk},
        "notifications:robot_toggle": {"pk": robot.pk},
        "notifications:open": {"pk": "own"},  # each role's own notification
        "cadence:download": {"pk": document.pk},
        **{f"cadence:{n}": {"pk": meeting.pk} for n in ("minutes", "minutes_docx", "minutes_issue")},
        "reports:report": report,
        "reports:photo_upload": report,
        "reports:action": {**report, "action": "submit"},
        "reports:photo": {"photo_id": photo.pk},
        "reports:photo_delete": {"photo_id": photo.pk},
        "reports:commit": {"pk": w.bridge.pk},
        "api:project": {"id": w.reservoir.pk},
        "api:report": {"id": submitted.pk},
        "api:report_submit": {"id": submitted.pk},
        "api:not-found": {"rest": "nothing"},
    }
    # The lifecycle apps: a pool candidate with its documents and an application, a node template,
    # a project's approval node with a suspension, land, funds and a milestone, next year's draft list.
    candidate = ready_candidate(region=w.county, lead_unit=w.water, sector=w.reservoir.sector)
    packaging = candidate.documents.get()
    funding = application(candidate, channel(w.county, "中央预算内投资"), "500.00")
    template = NodeTemplate.objects.create(region=w.county, procedure="approval", name="用地预审")
    approval = node(w.reservoir, "环评批复", department=w.water, submitted_on=dt.date(2020, 8, 3))
    approval.attachment.save("batch.pdf", SimpleUploadedFile("batch.pdf", b"%PDF-1.4\n%%EOF\n"))
    suspension = suspend(approval, dt.date(2020, 9, 1), dt.date(2020, 9, 3))
    land = land_plan(w.reservoir, w.hongan_town, months=[{"year": 2020, "month": 6, "acquired": "80"}])
    fund = FundPlan.objects.create(
        project=w.reservoir, year=2020, source="central", planned=Decimal("800.00")
    )
    FundMonth.objects.create(plan=fund, month=9, arrived=Decimal("100.00"), paid=Decimal("50.00"))
    milestone = Milestone.objects.create(
        project=w.reservoir, year=2020, name="主体工程完工", planned_date=dt.date(2020, 9, 30)
    )
    draft = list_services.list_draft(user=w.office, year=2021)
    list_services.entries_add_candidates(user=w.office, year_list=draft, candidate_ids=[candidate.pk])
    entry = draft.entries.get(candidate=candidate)
    revision = BaselineRevision.objects.create(
        project=w.reservoir, old_total_investment=w.reservoir.total_investment,
        new_total_investment=w.reservoir.total_investment + 1000, reason="增加建设内容", requested_by=w.water_user,
        requested_at=timezone.now(),
    )  # fmt: skip
    tender = awarded(w.reservoir)
    tender_record = record(tender)
    found = hazard(w.reservoir)
    found.photo = png()
    found.save()
    ids.update(
        {
            **{
                f"pool:{n}": {"pk": candidate.pk}
                for n in ("detail", "edit", "review", "document", "application")
            },
            "pool:document_download": {"pk": candidate.pk, "doc_id": packaging.pk},
            "pool:application_delete": {"pk": candidate.pk, "app_id": funding.pk},
            "approvals:template_delete": {"pk": template.pk},
            **{f"approvals:{n}": project for n in ("plan", "apply", "node_add")},
            **{
                f"approvals:{n}": {"pk": approval.pk}
                for n in ("node_edit", "node_delete", "node_record", "suspend", "attachment")
            },
            "approvals:suspension_delete": {"pk": suspension.pk},
            **{f"land:{n}": project for n in ("project", "plan_create")},
            **{f"land:{n}": {"pk": land.pk} for n in ("plan_edit", "month")},
            **{
                f"approvals:{n}": {"pk": candidate.pk}
                for n in ("candidate_plan", "candidate_apply", "candidate_node_add")
            },
            **{f"land:{n}": {"pk": candidate.pk} for n in ("candidate", "candidate_plan_create")},
            **{f"funds:{n}": project for n in ("project", "plan_create", "month")},
            "funds:plan_edit": {"pk": fund.pk},
            **{f"milestones:{n}": project for n in ("project", "create")},
            **{f"milestones:{n}": {"pk": milestone.pk} for n in ("edit", "delete")},
            **{f"lists:{n}": {"year": 2021} for n in ("detail", "add", "compare", "publish", "export")},
            **{f"lists:{n}": {"year": 2021, "pk": entry.pk} for n in ("entry", "entry_edit", "entry_remove")},
            **{f"works:{n}": project for n in ("project", "package_create", "record_create")},
            **{f"works:{n}": {"pk": tender.pk} for n in ("package_edit", "award")},
            "works:record_edit": {"pk": tender_record.pk},
            **{
                f"safety:{n}": project
                for n in ("project", "inspection_create", "hazard_create", "accident_create")
            },
            **{f"safety:{n}": {"pk": found.pk} for n in ("hazard", "rectify", "verify")},
            "safety:photo": {"pk": found.pk, "which": "found"},
            "safety:accident_edit": {"pk": accident(w.reservoir).pk},
            **{f"projects:baseline_{n}": {"pk": revision.pk} for n in ("approve", "reject")},
        }
    )
    ids["_notes"] = {role: n.pk for role, n in notes.items()}
    return Objects(ids=ids, token_secret={role: secret for role, (_t, secret) in tokens.items()})


def fill(route: str, values: dict[str, object]) -> str:
    return "/" + CONVERTER.sub(lambda m: str(values[m.group(2)]), route)


def real_values(objects: Objects, name: str, route: str, role: str) -> dict[str, object]:
    values = dict(objects.ids.get(name, {}))
    if values.get("pk") == "own":
        values["pk"] = objects.ids["_notes"].get(role, 1)
    for _conv, arg in CONVERTER.findall(route):
        values.setdefault(arg, 1)
    return values


def hostile_paths(route: str, real: dict[str, object]) -> list[str]:
    """The route with one converter at a time given a hostile value its converter still matches."""
    out = []
    for conv, arg in CONVERTER.findall(route):
        bad = HOSTILE_INTS if conv == "int" else HOSTILE_STRS
        out += [fill(route, {**real, arg: value}) for value in bad]
    return out


WEB = [(n, r) for n, r in patterns(get_resolver()) if not r.startswith("api/")]
API = [(n, r) for n, r in patterns(get_resolver()) if r.startswith("api/")]


def test_it_walks_every_url_pattern():
    assert len(WEB) > 80 and len(API) > 10


# Apps still being built: their URLs are walked with id 1 (often a real row, else a 404) until their
# objects are added to the world above.
LATER: tuple[str, ...] = ()


def test_it_knows_a_real_value_for_every_converter(objects):
    """A URL added with a converter must be given a real id here, or the walk only ever sees 404s."""
    missing = [
        name
        for name, route in WEB  # the API's operations are read from its schema, ids from api_values
        if CONVERTER.search(route) and name not in objects.ids and not (LATER and name.startswith(LATER))
    ]
    assert missing == []


def client_for(world, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(getattr(world, USERS[role]))
    return client


def discover(
    client: Client, walk: Walk, urls: list[str]
) -> tuple[dict[str, int], set[str], dict[str, set[str]], dict[str, set[str]]]:
    """Every page read once: the GET parameters each names for itself, the POST fields of every form
    (keyed by the path it posts to, which is often another pattern: a detail page's action forms)."""
    found: dict[str, Found] = defaultdict(Found)
    posts: dict[str, set[str]] = defaultdict(set)
    baseline: dict[str, int] = {}
    html: set[str] = set()
    for url in urls:
        with transaction.atomic():
            page = walk.check(client, "get", url)
            baseline[url] = page.status_code
            if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                html.add(url)
                path = urlsplit(url).path
                FormReader(path, found[path]).feed(page.content.decode())
                for action, names in found[path].posts.items():
                    posts[action] |= names
            transaction.set_rollback(True)
    return baseline, html, {path: f.query for path, f in found.items()}, posts


@pytest.fixture
def quiet(caplog):
    """4xx answers are what the walk expects by the thousand: only server errors are logged."""
    caplog.set_level("ERROR", logger="django.request")
    caplog.set_level("ERROR", logger="django.security")


@pytest.fixture
def recorded(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_hostile_input.recording"]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_form_answers_a_server_error(reported, objects, quiet, recorded, role):
    walk = Walk()
    routes = [(name, route, real_values(objects, name, route, role)) for name, route in WEB]
    urls = [fill(route, real) for _name, route, real in routes]
    baseline, html, query, posts = discover(client_for(reported, role), walk, urls)
    for (_name, route, real), url in zip(routes, urls, strict=True):
        path = urlsplit(url).path
        # One pattern's pass in a savepoint of its own: what a hostile POST managed to change (or a
        # logout) is undone before the next pattern, so every pattern meets the same world.
        with transaction.atomic():
            client = client_for(reported, role)
            for bad in hostile_paths(route, real):
                walk.check(client, "post" if baseline[url] == 405 else "get", bad)
            # A page the role may not see is refused before any parameter is read: one payload shows
            # it. A page it sees gets the table in every parameter and field.
            page = baseline[url] == 200 and url in html
            table = HOSTILE if role == "office" and page else SHORT
            gets = rotation(sorted(query.get(path, set()) | set(COMMON)), table)
            send_table(walk, client, "get", url, gets if baseline[url] == 200 else gets[:1])
            fields = posts.get(path)
            payloads = rotation(sorted((fields or set()) | {"next", "action", "reason"}), table)
            send_table(walk, client, "post", url, payloads if fields else payloads[:1])
            transaction.set_rollback(True)
    print(f"{role}: {walk.requests} requests, {walk.sent} values, {walk.skipped} payloads not needed")
    assert walk.failures == []


# ---------------------------------------------------------------------------------------------------
# The JSON API: every operation its OpenAPI document lists, as every role's bearer token.


def operations(client: Client) -> list[tuple[str, str, list[str], list[str], list[str]]]:
    """(method, path template, path parameters, query parameters, body properties) per operation."""
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc.get("components", {}).get("schemas", {})
    out = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            where = defaultdict(list)
            for p in op.get("parameters", []):
                where[p["in"]].append(p["name"])
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            props = list(schemas.get(ref, body).get("properties", {}))
            out.append((method, path, where["path"], where["query"], props))
    return out


def fill_api(path: str, values: dict[str, object]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: quote(str(values[m.group(1)]), safe=""), path)


def api_values(objects: Objects, path: str) -> dict[str, object]:
    name = {"/api/v1/projects/{id}": "api:project"}.get(path, "api:report")
    return {"id": objects.ids[name]["id"]}


def test_it_reads_every_api_operation_from_the_schema(reported, objects):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {objects.token_secret['office']}")
    assert len(operations(client)) >= len(API) - 4  # the schema, the docs, the root and the 404


@pytest.mark.parametrize("role", ROLES)
def test_no_api_call_answers_a_server_error(reported, objects, quiet, settings, role):
    settings.KEYPROJ_API_RATE = "100000/min"  # the walk is many calls a minute by design
    walk = Walk()
    office = Client(HTTP_AUTHORIZATION=f"Bearer {objects.token_secret['office']}")
    secret = objects.token_secret.get(role, "not-a-token")
    table = HOSTILE if role == "office" else SHORT
    for method, path, path_params, query, props in operations(office):
        with transaction.atomic():
            client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)
            real = {name: api_values(objects, path)["id"] for name in path_params}
            url = fill_api(path, real)
            for name in path_params:
                for bad in [*HOSTILE_INTS, "²", "-1", "%00"]:
                    walk.check(client, method, fill_api(path, {**real, name: bad}))
            for payload in rotation(query + ["page", "page_size", "year", "month"], table):
                if method == "get":
                    walk.check(client, "get", url, as_data(payload))
                else:
                    walk.check(client, method, f"{url}?{urlencode(as_data(payload), doseq=True)}")
            if method != "get":
                for payload in rotation(props or ["project", "year", "month"], table):
                    body = {k: list(v) if isinstance(v, tuple) else v for k, v in payload.items()}
                    walk.check(client, method, url, json.dumps(body), content_type="application/json")
                for raw in ["", "[]", "null", '{"year": 1e309}', "{", "\x00", "x" * 10_000]:
                    walk.check(client, method, url, raw, content_type="application/json")
            transaction.set_rollback(True)
    assert walk.failures == []


def test_a_name_the_view_reads_gets_the_whole_table_and_one_it_ignores_only_the_first(
    reported, recorded, quiet
):
    sent: list[dict] = []

    class Spy(Walk):
        def check(self, client, method, url, data=None, **extra):
            sent.append(dict(data or {}))
            return super().check(client, method, url, data, **extra)

    client = client_for(reported, "office")
    send_table(Spy(), client, "get", "/cadence/weekly/", rotation(["date", "unread"], HOSTILE))
    assert [p["date"] for p in sent] == [as_data(p)["date"] for p in rotation(["date", "unread"], HOSTILE)]
    assert sum("unread" in p for p in sent) == 1
