"""The demo county's quality and safety inspections and hazards (filled by the safety work)."""


def seed(*, region, year, stdout) -> None:
    return None
