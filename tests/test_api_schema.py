"""The OpenAPI schema as a contract: schemathesis generates requests for every operation (valid and
invalid, hostile values included) and runs them in-process against the WSGI app as a staff user with a
token. No answer may be a server error or break the schema; without credentials every operation answers 401.

The data is seeded so that half of the generated path ids name real objects of the user's site (the
other half are random: someone else's or nobody's), so operations reach their writes, not only 404s.
"""

import datetime as dt

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from activities.factories import ActivityFactory
from classroom.factories import ClassDayFactory, OutcomeFactory, StudentFactory, TutoringRecordFactory
from classroom.grades import fiscal_year_of
from classroom.services.tokens import token_create
from config.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()
EXAMPLES = 20  # per operation: the whole schema runs in about a minute on this 2-core machine


@pytest.fixture
def seeded(settings, site, staff, other_site):
    """Real objects of the staff user's site for the generated ids to land on, and a token."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis' WSGI client calls localhost
    today = timezone.localdate()
    child = StudentFactory(site=site, usual_weekdays="0123456")
    StudentFactory(site=other_site)
    day = ClassDayFactory(site=site, date=today)
    TutoringRecordFactory(class_day=day, student=child, tutor=staff)
    outcome = OutcomeFactory(student=child)
    activity = ActivityFactory(site=site, lead=staff, date=today + dt.timedelta(days=10))
    _token, key = token_create(user=staff, name="schemathesis", expires_on=today + dt.timedelta(days=1))
    ids = {"student_id": child.pk, "site_id": site.pk, "fy": fiscal_year_of(today), "pk": {"class-days": day.pk, "outcomes": outcome.pk, "activities": activity.pk}}
    # The WSGI handler closes the database connection after each request; the test's transaction needs it
    # open (Django's test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"key": key, "ids": ids}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _chosen(value) -> bool:
    """About half of the generated ids, and the schema's examples' (1), become real ones."""
    return isinstance(value, int) and not isinstance(value, bool) and (value % 2 == 0 or value == 1)


def _real_ids(case, ids: dict) -> None:
    """Point about half of the cases at real objects: path ids, the fiscal year, and the body's site and children."""
    for name, value in list((case.path_parameters or {}).items()):
        if not _chosen(value):
            continue
        if name == "student_id":
            case.path_parameters[name] = ids["student_id"]
        elif name == "fy":
            case.path_parameters[name] = ids["fy"]
        elif name == "pk":
            kind = next((k for k in ids["pk"] if f"/{k}/" in case.path), None)
            if kind:
                case.path_parameters[name] = ids["pk"][kind]
    body = case.body if isinstance(case.body, dict) else {}
    if _chosen(body.get("site_id")):
        body["site_id"] = ids["site_id"]
    for row in body.get("rows") or []:
        if isinstance(row, dict) and _chosen(row.get("student_id")):
            row["student_id"] = ids["student_id"]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
@pytest.mark.django_db
def test_no_operation_errs_or_breaks_its_schema(case, seeded):
    _real_ids(case, seeded["ids"])
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded['key']}"},
                           checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.django_db
def test_every_operation_answers_401_without_credentials(client):
    operations = [(method, path) for path, item in api.get_openapi_schema()["paths"].items() for method in item]
    assert len(operations) > 15
    for method, path in operations:
        url = path.replace("{fy}", "2026").replace("{pk}", "1").replace("{student_id}", "1")
        response = getattr(client, method)(url, content_type="application/json")
        assert response.status_code == 401, (method, url, response.status_code)
        assert response.json() == {"detail": "ログインしてください。"}


@pytest.mark.django_db
def test_every_operation_documents_bearer_and_session_auth():
    spec = api.get_openapi_schema()
    assert spec["components"]["securitySchemes"]["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
    for item in spec["paths"].values():
        for operation in item.values():
            assert {"ApiTokenAuth": []} in operation["security"], operation["operationId"]
