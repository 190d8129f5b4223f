"""deploy/: the systemd units verify, the nginx site passes `nginx -t` and agrees with the app's limits,
the compose file has its five services wired to each other, the env template names real settings."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from .stack.servers import nginx_main_config, nginx_test, render_site, self_signed_certificate

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = ["keyproj-web.service", "keyproj-worker.service"]


def local_unit(name: str, directory: Path) -> Path:
    """The unit with this checkout's venv, code and an env file in place of /opt and /etc."""
    text = (DEPLOY / "systemd" / name).read_text()
    for old, new in {
        "/opt/keyproj/venv/bin/": f"{Path(sys.executable).parent}/",
        "/opt/keyproj/app": str(ROOT),
        "/etc/keyproj/keyproj.env": str(directory / "keyproj.env"),
    }.items():
        assert old in text, (name, old)
        text = text.replace(old, new)
    (directory / "keyproj.env").write_text("DEBUG=0\n")
    path = directory / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("name", UNITS)
def test_the_systemd_unit_verifies(name, tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed here: the units were not verified")
    unit = local_unit(name, tmp_path)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # Unknown keys and bad values are only warnings: none may name our unit.
    assert name not in result.stderr, result.stderr


def test_a_broken_unit_fails_verification(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed here")
    unit = local_unit("keyproj-web.service", tmp_path)
    unit.write_text(
        unit.read_text().replace(f"{Path(sys.executable).parent}/gunicorn", "/nonexistent/gunicorn")
    )
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True
    )
    assert result.returncode != 0


def test_the_units_run_the_app_as_its_own_user_with_the_env_file():
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text()
        assert "User=keyproj" in text and "EnvironmentFile=/etc/keyproj/keyproj.env" in text
        assert "Restart=on-failure" in text
    web = (DEPLOY / "systemd" / "keyproj-web.service").read_text()
    assert "deploy/gunicorn.conf.py" in web and "ExecReload=/bin/kill -s HUP $MAINPID" in web
    assert "manage.py run_huey" in (DEPLOY / "systemd" / "keyproj-worker.service").read_text()


def _site(tmp_path: Path) -> str:
    cert, key = self_signed_certificate(tmp_path)
    return render_site(
        upstream_port=8000,
        http_port=18080,
        https_port=18443,
        cert=cert,
        key=key,
        static_root=tmp_path,
        logs=tmp_path,
    )


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed here (apt-get install nginx)")
def test_the_nginx_site_passes_nginx_t(tmp_path):
    result = nginx_test(nginx_main_config(tmp_path, _site(tmp_path)))
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed here (apt-get install nginx)")
def test_nginx_t_catches_a_broken_site(tmp_path):
    broken = _site(tmp_path).replace("client_max_body_size 12m;", "client_max_body_size twelve;")
    assert nginx_test(nginx_main_config(tmp_path, broken)).returncode != 0


def test_nginx_lets_through_exactly_the_largest_upload_the_app_accepts():
    site = (DEPLOY / "nginx" / "keyproj.conf").read_text()
    body = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    fields_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    assert body == settings.KEYPROJ_UPLOAD_MAX_MB + fields_mb


def test_nginx_forwards_the_client_the_scheme_and_a_request_id():
    site = (DEPLOY / "nginx" / "keyproj.conf").read_text()
    for header in (
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Request-ID $request_id;",
        "proxy_set_header Host $host;",
    ):
        assert header in site
    assert "return 301 https://$host$request_uri;" in site


def test_the_compose_nginx_differs_from_the_site_only_by_its_upstream():
    site = (DEPLOY / "nginx" / "keyproj.conf").read_text().split("\nupstream ", 1)[1]
    compose = (DEPLOY / "nginx" / "compose.conf").read_text().split("\nupstream ", 1)[1]
    assert compose == site.replace("server 127.0.0.1:8000 ", "server web:8000 ")


def test_the_compose_file_wires_web_worker_postgres_redis_and_nginx():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "postgres", "redis", "nginx"} <= set(services)
    for name in ("web", "worker"):
        app = services[name]
        assert app["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (DEPLOY / app["build"]["context"] / app["build"]["dockerfile"]).exists()
        env = app["environment"]
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CACHE_REDIS_URL"].startswith("redis://redis:6379/")
        assert env["HUEY_REDIS_URL"].startswith("redis://redis:6379/")
        assert env["CACHE_REDIS_URL"] != env["HUEY_REDIS_URL"]
        assert set(app["depends_on"]) == {"postgres", "redis"}
        assert (DEPLOY / app["env_file"]).with_suffix(".env.example").exists()
    assert "run_huey" in services["worker"]["command"]
    assert services["web"]["healthcheck"]["test"][-1].endswith("/healthz', timeout=5)")
    nginx = services["nginx"]
    assert "443:443" in nginx["ports"] and "80:80" in nginx["ports"]
    for volume in nginx["volumes"]:
        source = volume.split(":")[0]
        if source.startswith("./"):
            assert (DEPLOY / source).exists() or source == "./tls", volume
    declared = set(compose["volumes"])
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith(("./", "/")):
                assert source in declared, volume


def test_the_env_template_names_only_settings_the_app_reads():
    template = (DEPLOY / "keyproj.env.example").read_text()
    names = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, re.M))
    read = "\n".join(
        path.read_text()
        for path in [ROOT / "keyproj" / "settings.py", DEPLOY / "gunicorn.conf.py", *ROOT.glob("*/conf.py")]
    )
    unknown = {name for name in names if f'"{name}"' not in read}
    assert unknown == set()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL", "HUEY_REDIS_URL"} <= names


def test_the_gunicorn_config_takes_workers_from_the_cores(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 4)
    config: dict = {}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), config)
    assert config["workers"] == 9
    assert config["accesslog"] == "-" and config["timeout"] > 0 and config["graceful_timeout"] > 0
    assert "x-request-id" in config["access_log_format"]
