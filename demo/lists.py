"""The demo county's 2021 draft list: the 2020 projects still going on rolled over (their completed
investment following the 2020 reports, as December's is not in yet on the meeting day) and the pool's
candidates ready to start promoted as new starts. Not published, so 2021 counts nothing yet."""

from __future__ import annotations

from typing import TextIO

from accounts.models import User
from lists import services
from lists.models import YearList
from lists.selectors import ready_candidates
from regions.models import Region

# The first plans the office has set for promoted candidates: a start month and a target.
TARGETS = ("完成施工招标，进场施工", "完成场平及基础工程", "主体工程开工建设")


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    """Draft the list of `year` + 1 for the county, as its office would, through the list services."""
    if YearList.objects.filter(region=region, year=year + 1).exists():
        stdout.write("lists demo: nothing to do\n")
        return
    office = User.objects.filter(region=region, role=User.Role.OFFICE).order_by("pk").first()
    if office is None:
        stdout.write("lists demo: no office user, no list\n")
        return
    year_list = services.list_draft(user=office, year=year + 1)
    candidates = [c.pk for c in ready_candidates(office, year_list).filter(proposed_start_year=year + 1)]
    services.entries_add_candidates(user=office, year_list=year_list, candidate_ids=candidates)
    promoted = year_list.entries.filter(candidate__isnull=False).order_by("pk")
    for i, entry in enumerate(promoted):
        entry.planned_start_month = 3 + i % 6
        entry.progress_target = TARGETS[i % len(TARGETS)]
        entry.save(update_fields=["planned_start_month", "progress_target"])
    stdout.write(
        f"lists demo: {year + 1} draft with {year_list.entries.count() - len(candidates)} continuing projects "
        f"and {len(candidates)} candidates ready to start (not published)\n"
    )
