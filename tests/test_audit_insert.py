"""An audit entry is written by its kept INSERT (audit.recording._insert) as entry.save() writes it:
the same row, its id on the entry, the statement compiled once per connection — and nothing that
save() would run is skipped (AuditEntry has no save() of its own, no pre_save or post_save receiver)."""

from __future__ import annotations

from django.db import models
from django.db.models.signals import post_save, pre_save
from django.db.models.sql.compiler import SQLInsertCompiler

from audit.models import AuditEntry
from audit.recording import entry_record


def row(entry: AuditEntry) -> dict:
    return {
        f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields if not f.primary_key
    }


def test_it_skips_nothing_save_would_run():
    assert AuditEntry.save is models.Model.save
    assert not pre_save.has_listeners(AuditEntry)
    assert not post_save.has_listeners(AuditEntry)


def test_it_writes_the_row_save_writes(world, monkeypatch):
    compiled = []
    as_sql = SQLInsertCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLInsertCompiler, "as_sql", counting)
    changes = [{"field": "name", "old": "旧", "new": "新"}]
    entries = [
        entry_record(action="changed", instance=world.bridge, by_id=world.office.pk, changes=changes),
        entry_record(action="created", instance=world.far, by_id=None, changes=[], label="projects.x"),
    ]
    assert compiled.count(AuditEntry) <= 1  # once for the connection (none if kept before)
    for entry in entries:
        assert not entry._state.adding and entry._state.db == "default"
        assert row(AuditEntry.objects.get(pk=entry.pk)) == row(entry)
    saved = AuditEntry(**{name: value for name, value in row(entries[0]).items()})
    saved.save()
    assert row(AuditEntry.objects.get(pk=saved.pk)) == row(entries[0])
    assert row(entries[0])["region_id"] == world.bridge.region_id
    assert (entries[1].by_id, entries[1].model, entries[1].region_id) == (
        None,
        "projects.x",
        world.far.region_id,
    )
    assert entries[1].pk > entries[0].pk
