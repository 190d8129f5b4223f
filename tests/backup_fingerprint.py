"""What a restored installation must show as its source did: the September 2020 summary figures for
the office (the figures core, as /api/v1/summary reads them), the rows in every table, and each
report photo's bytes. Importable by the tests, and runnable against another database:
`DATABASE_URL=... MEDIA_ROOT=... python tests/backup_fingerprint.py` prints it as JSON."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path


def fingerprint() -> dict:
    from django.db import connection

    from accounts.models import User
    from battlemap.selectors import as_of
    from blockers.selectors import blocker_counts
    from reports.figures import month_plans
    from reports.models import ReportPhoto
    from supervision.selectors import task_counts

    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names()):
            if table.startswith(
                "sqlite_stat"
            ):  # SQLite's planner statistics: not data (a restore writes them)
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    office = User.objects.get(username="office")
    fig = month_plans(office, year=2020, month=9).figures()
    on = as_of(2020, 9)
    summary = {
        "projects": fig.projects,
        "planned_investment": f"{fig.planned:.2f}",
        "ytd_investment": f"{fig.ytd:.2f}",
        "completion_rate": str(fig.rate),
        "gap_points": str(fig.gap),
        "lights": fig.lights,
        "not_started": fig.not_started,
        "blockers": blocker_counts(office, as_of=on),
        "tasks_overdue": task_counts(office, as_of=on)["overdue"],
    }
    photos = {}
    for photo in ReportPhoto.objects.order_by("pk"):
        with photo.image.open("rb") as fh:
            photos[photo.image.name] = hashlib.sha256(fh.read()).hexdigest()
    return {"summary": summary, "counts": counts, "photos": photos}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
    import django

    django.setup()
    print(json.dumps(fingerprint(), ensure_ascii=False, default=str))
