from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_it_answers_200_when_the_database_answers():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_it_answers_503_when_the_database_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise (
            connection.OperationalError("database is down")
            if hasattr(connection, "OperationalError")
            else RuntimeError("down")
        )

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
