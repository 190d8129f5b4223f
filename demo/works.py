"""The demo county's tender packages (filled by the bidding work)."""


def seed(*, region, year, stdout) -> None:
    return None
