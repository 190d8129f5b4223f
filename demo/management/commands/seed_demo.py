"""`manage.py seed_demo [--once]`: build the demo county (秀山县, 2020) and its demo users."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from demo import data
from demo.build import build_demo, demo_county
from lib import planner_statistics
from lib.money import fmt
from notifications.events import quiet


class Command(BaseCommand):
    help = "Build the demo county (Xiushan, 2020): 108 key projects, its units, townships and demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Do nothing (one line of output) if the demo county is loaded.",
        )

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        if once:
            county = demo_county()
            if county is not None:
                self.stdout.write(
                    _("The demo county %(county)s is already loaded; nothing to do.") % {"county": county}
                )
                return
        with quiet():  # the demo's history is loaded, not lived: nobody is notified of it
            summary = build_demo(stdout=self.stdout)
        planner_statistics.refresh()  # SQLite plans the demo's pages as the data is, not as an empty database
        stages = summary.stages
        self.stdout.write(
            _(
                "Demo county %(county)s (%(year)s): %(townships)s townships and sub-districts, %(sectors)s sectors, "
                "%(units)s responsible units, %(leaders)s leaders in charge."
            )
            % {
                "county": summary.county, "year": data.YEAR, "townships": summary.townships,
                "sectors": summary.sectors, "units": summary.units, "leaders": summary.leaders,
            }
        )  # fmt: skip
        self.stdout.write(
            _(
                "Key projects: %(projects)s (new start %(new)s, continuing %(continuing)s, completing %(completing)s, "
                "preparatory %(preparatory)s; not started %(not_started)s), %(created)s created by this run."
            )
            % {
                "projects": summary.projects, "new": stages.get("new", 0),
                "continuing": stages.get("continuing", 0), "completing": stages.get("completing", 0),
                "preparatory": stages.get("preparatory", 0), "not_started": summary.not_started,
                "created": summary.created_projects,
            }
        )  # fmt: skip
        self.stdout.write(
            _("Annual planned investment %(year)s: %(amount)s (10k yuan).")
            % {"year": data.YEAR, "amount": fmt(summary.planned_investment)}
        )
        if summary.extensions:
            self.stdout.write(_("Extensions seeded: %(names)s.") % {"names": ", ".join(summary.extensions)})
        if not summary.fresh:
            self.stdout.write(_("The ledger was already there, so the extensions were not run again."))
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo logins (password %(password)s): %(users)s")
                % {"password": data.PASSWORD, "users": ", ".join(row[0] for row in data.USERS)}
            )
        )
