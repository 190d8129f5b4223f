"""The production stack on this machine: nginx (TLS) → gunicorn (2 workers) → PostgreSQL, Redis for the
cache and the job queue, the huey consumer; the demo county loaded. Everything below goes through
nginx over HTTPS, as a county's browser and the provincial platform would."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import pytest
import requests

from .servers import HOST, Stack, drop_database, remove

STARTED = time.monotonic()
CLIENT = "203.0.113.7"  # the address an outer proxy says the browser has
PASSWORD = "Keyproj-2020"


@pytest.fixture(scope="module")
def stack():
    directory = Path(tempfile.mkdtemp(prefix="keyproj-stack-"))
    try:
        with Stack(directory) as running:
            yield running
        drop_database()
        # How long the whole of it took is reported, not asserted: speed is for the benchmarks (a
        # shared, loaded machine makes a timed test fail for nothing). Alone it takes about 65 s.
        print(f"\nthe stack test took {time.monotonic() - STARTED:.0f} s")
    finally:
        drop_database()
        remove(directory)


@pytest.fixture(scope="module")
def office(stack):
    """A browser signed in as the demo's office, through the login form and its CSRF token."""
    session = requests.Session()
    session.verify = str(stack.cert)
    session.trust_env = False  # REQUESTS_CA_BUNDLE would replace the verify above
    page = session.get(f"{stack.url}/login/")
    assert page.status_code == 200
    answer = session.post(
        f"{stack.url}/login/",
        data={"csrfmiddlewaretoken": csrf(page.text), "username": "office", "password": PASSWORD},
        headers={"Referer": f"{stack.url}/login/", "X-Forwarded-For": CLIENT},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:2000]
    session.sign_in = answer
    return session


def csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def log_lines(stack: Stack) -> list[dict]:
    return [json.loads(line) for line in stack.tail("gunicorn", 10**7).splitlines() if line.startswith("{")]


def test_it_answers_healthz_over_https_and_redirects_plain_http(stack):
    response = requests.get(f"{stack.url}/healthz", verify=stack.cert)
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])  # nginx's $request_id
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    plain = requests.get(f"http://{HOST}:{stack.http_port}/healthz", allow_redirects=False)
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")


def test_it_signs_the_office_in_with_secure_cookies(office):
    assert office.sign_in.headers["Location"] == "/"
    cookies = office.sign_in.headers["Set-Cookie"]
    assert "sessionid=" in cookies and "Secure" in cookies and "HttpOnly" in cookies


def test_it_refuses_a_sign_in_without_the_csrf_token(stack):
    answer = requests.post(
        f"{stack.url}/login/",
        data={"username": "office", "password": PASSWORD},
        headers={"Referer": f"{stack.url}/login/"},
        verify=stack.cert,
        allow_redirects=False,
    )
    assert answer.status_code == 403


def test_it_opens_the_ledger_and_the_dashboard(stack, office):
    ledger = office.get(f"{stack.url}/projects/")
    assert ledger.status_code == 200 and "108" in ledger.text
    dashboard = office.get(f"{stack.url}/battlemap/")
    assert dashboard.status_code == 200
    assert "no-store" in dashboard.headers["Cache-Control"]


def test_the_client_address_reaches_the_app_through_nginx(stack, office):
    code = (
        "from accounts.models import SecurityEvent as E; "
        "print('address:', E.objects.filter(username='office').order_by('-at', '-pk')[0].ip_address)"
    )
    assert stack.manage("shell", "-c", code).split("address:")[1].strip() == CLIENT
    sign_in = [
        line for line in log_lines(stack) if line.get("path") == "/login/" and line.get("status") == 302
    ]
    assert sign_in and sign_in[-1]["client"] == CLIENT


def test_every_log_line_is_json_with_the_request_id_and_the_user(stack, office):
    ledger = office.get(f"{stack.url}/projects/")
    request_id = ledger.headers["X-Request-ID"]
    (line,) = [line for line in log_lines(stack) if line.get("request_id") == request_id]
    assert line["logger"] == "keyproj.request" and line["username"] == "office" and line["status"] == 200


def test_it_submits_a_form_and_the_token_it_issues_reads_the_summary(stack, office):
    page = office.get(f"{stack.url}/manage/tokens/")
    assert page.status_code == 200
    office_pk = re.search(r'<option value="(\d+)"[^>]*>office ·', page.text).group(1)
    issued = office.post(
        f"{stack.url}/manage/tokens/",
        data={"csrfmiddlewaretoken": csrf(page.text), "name": "provincial platform", "user": office_pk},
        headers={"Referer": f"{stack.url}/manage/tokens/"},
    )
    assert issued.status_code == 200, issued.text[:2000]
    secret = re.search(r'data-testid="secret"', issued.text) and re.search(
        r'value="([^"]+)" aria-label="[^"]*" data-testid="secret"', issued.text
    ).group(1)
    summary = requests.get(
        f"{stack.url}/api/v1/summary?year=2020&month=9",
        headers={"Authorization": f"Bearer {secret}"},
        verify=stack.cert,
    )
    assert summary.status_code == 200, summary.text
    assert summary.json()["projects"] == 108
    assert summary.json()["planned_investment"] == "614700.00"
    anonymous = requests.get(f"{stack.url}/api/v1/summary?year=2020&month=9", verify=stack.cert)
    assert anonymous.status_code in (401, 403)


def test_it_serves_hashed_static_files_with_far_future_caching(stack):
    manifest = json.loads((stack.directory / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/bootstrap/dist/css/bootstrap.min.css"]
    assert re.search(r"\.[0-9a-f]{12}\.css$", hashed)
    response = requests.get(f"{stack.url}/static/{hashed}", verify=stack.cert)
    assert response.status_code == 200 and "text/css" in response.headers["Content-Type"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    plain = requests.get(f"{stack.url}/static/vendor/bootstrap/dist/css/bootstrap.min.css", verify=stack.cert)
    assert plain.status_code == 200 and "immutable" not in plain.headers.get("Cache-Control", "")


def test_a_job_runs_through_the_redis_queue(stack, office):
    """The ledger's 108 rows are past the inline limit (10 here): the export is a huey job that the
    consumer takes from Redis and writes; the browser downloads it when done."""
    started = office.get(f"{stack.url}/projects/export.xlsx?year=2020")
    assert started.status_code == 200 and "/exchange/exports/" in started.url
    pk = re.search(r"/exchange/exports/(\d+)/", started.url).group(1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        download = office.get(f"{stack.url}/exchange/exports/{pk}/download/")
        if download.status_code == 200:
            break
        time.sleep(0.5)
    assert download.status_code == 200, stack.tail("huey")
    assert download.content[:2] == b"PK"  # an .xlsx (zip)
    assert "run_export" in stack.tail("huey", 10**6)


def test_it_serves_metrics_to_the_token_only(stack):
    assert requests.get(f"{stack.url}/metrics", verify=stack.cert).status_code == 403
    page = requests.get(
        f"{stack.url}/metrics", headers={"Authorization": "Bearer stack-metrics-token"}, verify=stack.cert
    )
    assert page.status_code == 200
    assert "keyproj_job_queue_pending 0.0" in page.text
    # Both workers' counts together (prometheus_client's multiprocess mode).
    assert re.search(r'django_http_responses_total_by_status_total\{status="200"\} \d+', page.text)
