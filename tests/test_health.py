from unittest import mock

import pytest
from django.db import OperationalError


def test_healthz_answers_200_json_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.expected_error_log
def test_healthz_answers_503_when_the_database_is_unreachable(client, db, caplog):
    with mock.patch("classroom.views.home.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert "Service Unavailable: /healthz" in caplog.text


def test_healthz_needs_no_login_and_is_not_cached(client, db):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
