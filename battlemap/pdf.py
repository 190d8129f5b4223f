"""A server-side PDF of a rendered page through headless Chromium's --print-to-pdf, where installed.

The page is written to a private temporary folder with its stylesheets pointed at the files on disk,
so Chromium needs no session and fetches nothing over the network; the CSS @page rule sets A3 landscape
and `page_numbers_css` numbers the pages ("第 N 页 共 M 页") in a page margin box, so the browser's own
print dialog numbers them the same way.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
]
STATIC = re.compile(
    r'(href|src)="' + re.escape(settings.STATIC_URL.lstrip("/").join(["/", ""])) + r'([^"?#]+)"'
)
TIMEOUT = 90
PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def page_numbers_css() -> SafeString:
    """A CSS @page rule printing "Page N of M" (in the user's language) at the foot of every page."""
    text = _("Page %(page)s of %(pages)s")
    parts = []
    for i, piece in enumerate(PLACEHOLDER.split(text)):
        if i % 2:  # a captured placeholder name
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"')
    content = " ".join(parts)
    rule = f"@page {{ @bottom-center {{ content: {content}; font-size: 8pt; color: #3b4658; }} }}"
    return mark_safe(rule)  # noqa: S308 — the translation is escaped as a CSS string above


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def available() -> bool:
    return chromium() is not None


def _local(match: re.Match) -> str:
    found = finders.find(match.group(2))
    if not found:
        return f'{match.group(1)}=""'
    return f'{match.group(1)}="{Path(found).as_uri()}"'


def html_to_pdf(html: str) -> bytes:
    """Print `html` (a whole page) to PDF bytes. Raises RuntimeError when Chromium fails."""
    binary = chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="keyproj-pdf-") as folder:
        page = Path(folder) / "page.html"
        out = Path(folder) / "page.pdf"
        page.write_text(STATIC.sub(_local, html), encoding="utf-8")
        result = subprocess.run(
            [binary, *ARGS, f"--user-data-dir={folder}/profile", f"--print-to-pdf={out}", page.as_uri()],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
        if not out.exists():
            raise RuntimeError(f"chromium did not print: {result.stderr.decode(errors='replace')[-500:]}")
        return out.read_bytes()
