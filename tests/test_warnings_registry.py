"""Warnings (预警) come from one registry: every registered kind, in its order, with its reason; counts per
kind include the kinds no project carries; a provider sees only the projects it is given."""

import pytest

from projects.models import Project
from reports import warnings


@pytest.fixture
def two_kinds(monkeypatch, world):
    monkeypatch.setattr(warnings, "_KINDS", {})
    seen: list[set[int]] = []

    def late(projects, year):
        ids = set(projects.values_list("pk", flat=True))
        seen.append(ids)
        if world.reservoir.pk in ids:
            yield warnings.ProjectWarning("late", world.reservoir.pk, f"环评批复超期12个工作日 ({year})")

    def hazard(projects, year):
        return []

    warnings.register("late", "Approval late", late, order=10)
    warnings.register("hazard", "Open major hazard", hazard, order=5)
    return seen


def test_it_lists_kinds_in_their_order(two_kinds):
    assert [kind.code for kind in warnings.kinds()] == ["hazard", "late"]


def test_it_gives_each_project_its_warnings_with_the_reason(two_kinds, world):
    found = warnings.for_projects(Project.objects.for_user(world.office), 2020)
    assert list(found) == [world.reservoir.pk]
    assert [w.reason for w in found[world.reservoir.pk]] == ["环评批复超期12个工作日 (2020)"]


def test_it_counts_every_kind_zero_included(two_kinds, world):
    counted = [(kind.code, n) for kind, n in warnings.counts(Project.objects.for_user(world.office), 2020)]
    assert counted == [("hazard", 0), ("late", 1)]


def test_a_provider_sees_only_the_projects_in_scope(two_kinds, world):
    found = warnings.for_projects(Project.objects.for_user(world.transport_user), 2020)
    assert found == {}
    assert world.reservoir.pk not in two_kinds[-1]
