"""The demo county's milestones data (filled by its issue)."""

from typing import TextIO

from regions.models import Region


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    """Nothing yet."""
