"""Every API operation as every role, with a token: the API never returns an object or a field that the
role's screens do not show.

Who gets which answer (every operation x every role, writes with a valid body, another site's objects)
is the access table's: tests/access_table.py, proved by tests/test_access_table.py. This file keeps what
the table does not check: what the answers contain (no child of the site for a role that reads none, no
case-work value but for staff, nothing of another site), through a personal token, and the field a
refused site is reported on.

Roles: staff, coordinator, a volunteer (paired with the child), a volunteer of another child, a user of
another site (staff and coordinator there), and a user with no role; objects of the site and of
another site. A new operation needs an entry in ``PATHS`` (and in ``BODIES`` for a write): the
test fails until it has one, on purpose.
"""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from activities.factories import ActivityFactory
from classroom import rules
from classroom.factories import (
    ClassDayFactory,
    GuardianFactory,
    HouseholdFactory,
    OutcomeFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
)
from classroom.grades import fiscal_year_of
from classroom.models import Attendance, Outcome, Student, TutoringRecord
from classroom.services.tokens import token_create
from config.api import api
from volunteers.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

# Values only staff see on the screens (the student page's household, health notes, reasons, outcome notes).
SENSITIVE = {"ピーナッツ重度アレルギー", "090-5555-0199", "埼玉県深谷市秘密町9-9-9", "秘密の進路メモ", "public_assistance",
             "school_life"}
REASON_CODES = {"public_assistance", "school_life"}
# A child's name: only staff and coordinators of the child's site see it (a tutor sees the nickname,
# on their own schedule, not through this API).
CHILD = "秘密山"
NICKNAME = "ひみちゃん"


@pytest.fixture
def world(site, other_site, staff):
    household = HouseholdFactory(address="埼玉県深谷市秘密町9-9-9")
    GuardianFactory(household=household, phone="090-5555-0199")
    child = StudentFactory(site=site, household=household, family_name=CHILD, nickname=NICKNAME,
                           health_notes="ピーナッツ重度アレルギー", reasons=["public_assistance"], usual_weekdays="0123456")
    sibling = StudentFactory(site=site, usual_weekdays="0123456")
    elsewhere = StudentFactory(site=other_site, family_name="他所川")
    today = timezone.localdate()
    day = ClassDayFactory(site=site, date=today)
    other_day = ClassDayFactory(site=other_site, date=today)
    TutoringRecordFactory(class_day=other_day, student=elsewhere)
    outcome = OutcomeFactory(student=child, stage="high_school", result="left_school", decided_on=today,
                             reason="school_life", note="秘密の進路メモ")
    other_outcome = OutcomeFactory(student=elsewhere)
    tutor = VolunteerFactory(sites=[site]).user
    other_tutor = VolunteerFactory(sites=[site]).user
    TutoringRecordFactory(class_day=day, student=child, tutor=tutor, handover_note="分数の復習から")
    TutoringRecordFactory(class_day=day, student=sibling, tutor=other_tutor)
    activity = ActivityFactory(site=site, lead=staff, date=today + dt.timedelta(days=10))
    return {"child": child, "elsewhere": elsewhere, "day": day, "other_day": other_day, "outcome": outcome,
            "other_outcome": other_outcome, "tutor": tutor, "other_tutor": other_tutor, "activity": activity}


def personas(world, request) -> dict:
    other = UserFactory(roles=[rules.STAFF, rules.COORDINATOR], sites=[world["other_day"].site])
    return {"staff": request.getfixturevalue("staff"), "coordinator": request.getfixturevalue("coordinator"),
            "volunteer": world["tutor"], "volunteer of another child": world["other_tutor"], "another site": other,
            "no role": request.getfixturevalue("outsider")}


# Path template -> the objects to fill it with: ("mine", kwargs) belong to the site, ("theirs", kwargs) do not.
def PATHS(w):  # noqa: N802  (a table)
    fy = fiscal_year_of(timezone.localdate())
    return {
        "/api/classroom/me": {"-": {}},
        "/api/classroom/sites": {"-": {}},
        "/api/classroom/students": {"-": {}},
        "/api/classroom/students/{student_id}": {"mine": {"student_id": w["child"].pk},
                                                "theirs": {"student_id": w["elsewhere"].pk}},
        "/api/classroom/class-days": {"-": {}},
        "/api/classroom/class-days/{pk}": {"mine": {"pk": w["day"].pk}, "theirs": {"pk": w["other_day"].pk}},
        "/api/classroom/class-days/{pk}/attendance": {"mine": {"pk": w["day"].pk}, "theirs": {"pk": w["other_day"].pk}},
        "/api/classroom/class-days/{pk}/tutoring-records/{student_id}": {
            "mine": {"pk": w["day"].pk, "student_id": w["child"].pk},
            "theirs": {"pk": w["other_day"].pk, "student_id": w["elsewhere"].pk}},
        "/api/classroom/students/{student_id}/outcomes": {"mine": {"student_id": w["child"].pk},
                                                          "theirs": {"student_id": w["elsewhere"].pk}},
        "/api/classroom/outcomes/{pk}": {"mine": {"pk": w["outcome"].pk}, "theirs": {"pk": w["other_outcome"].pk}},
        "/api/volunteers/": {"-": {}},
        "/api/activities/": {"-": {}},
        "/api/activities/{pk}": {"mine": {"pk": w["activity"].pk}},
        "/api/activities/{pk}/cancel": {"mine": {"pk": w["activity"].pk}},
        "/api/reporting/{fy}": {"-": {"fy": fy}},
    }


def BODIES(w, kind):  # noqa: N802
    """A valid body for each write: what the operation would accept from a role allowed to make it."""
    student = w["child"] if kind == "mine" else w["elsewhere"]
    site = student.site
    fy = fiscal_year_of(timezone.localdate())
    person = {"family_name": "新井", "given_name": "一郎", "family_name_kana": "あらい", "given_name_kana": "いちろう",
              "birth_date": "2012-04-10", "enrolled_on": "2026-04-01", "site_id": site.pk}
    return {
        ("post", "/api/classroom/students"): person,
        ("put", "/api/classroom/students/{student_id}"): {**person, "version": student.version},
        ("put", "/api/classroom/class-days/{pk}/attendance"): {"rows": [{"student_id": student.pk, "status": "present"}]},
        ("put", "/api/classroom/class-days/{pk}/tutoring-records/{student_id}"): {"subjects": ["maths"], "studied": "分数",
                                                                                   "version": 1},
        ("post", "/api/classroom/students/{student_id}/outcomes"): {"fiscal_year": fy, "stage": "entry",
                                                                    "result": "full_time"},
        ("put", "/api/classroom/outcomes/{pk}"): {"fiscal_year": fy, "stage": "high_school", "result": "continuing",
                                                  "decided_on": None, "version": 1},
        ("post", "/api/activities/{pk}/cancel"): {"reason": "雨天のため"},
    }


def operations():
    schema = api.get_openapi_schema()
    return [(method, path) for path, item in schema["paths"].items() for method in item]


def call(client, auth, method, path, kwargs, body=None):
    url = path.format(**kwargs)
    if body is None:
        return getattr(client, method)(url, **auth)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **auth)


def snapshot():
    return [list(m.objects.order_by("pk").values()) for m in (Student, Attendance, TutoringRecord, Outcome)]


def test_every_operation_has_an_entry(world):
    paths, bodies = PATHS(world), BODIES(world, "mine")
    for method, path in operations():
        assert path in paths, f"add {path} to PATHS in tests/test_api_roles.py"
        if method != "get":
            assert (method, path) in bodies, f"add ({method}, {path}) to BODIES in tests/test_api_roles.py"


@pytest.mark.parametrize("role", ["staff", "coordinator", "volunteer", "volunteer of another child", "another site",
                                  "no role"])
def test_each_role_gets_only_what_its_screens_show(world, request, role):
    user = personas(world, request)[role]
    _token, key = token_create(user=user, name="test", expires_on=timezone.localdate() + dt.timedelta(days=1))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client(enforce_csrf_checks=True)
    manages_site = role in ("staff", "coordinator")
    opened = []
    for method, path in operations():
        if method != "get":
            continue
        for kind, kwargs in PATHS(world)[path].items():
            response = call(client, auth, method, path, kwargs)  # its status: the access table's
            text = json.dumps(response.json(), ensure_ascii=False)  # as written: JSON escapes Japanese
            if response.status_code == 200:
                opened.append((path, kind))
            if not manages_site:  # nothing of the site's children, whatever the operation
                assert CHILD not in text and NICKNAME not in text, (role, path, kind)
            if role != "another site":
                assert "他所川" not in text, (role, path, kind)
            if role != "staff":
                # Another site's staff see reason codes in their own report's counts, never this child's values.
                values = SENSITIVE - REASON_CODES if role == "another site" else SENSITIVE
                leaked = [value for value in values if value in text]
                assert not leaked, (role, path, kind, leaked)
    if manages_site:  # the content above was read, not only refusals (statuses: the access table)
        assert ("/api/classroom/students/{student_id}", "mine") in opened


def test_a_child_at_another_site_is_refused_on_its_site(world, request):
    """Staff may register children, but only at their own sites: the answer names the field."""
    staff = request.getfixturevalue("staff")
    _token, key = token_create(user=staff, name="test", expires_on=timezone.localdate() + dt.timedelta(days=1))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    before = snapshot()
    other_site_child = {**BODIES(world, "theirs")[("post", "/api/classroom/students")]}
    refused = call(Client(enforce_csrf_checks=True), auth, "post", "/api/classroom/students", {}, other_site_child)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "site_id"
    assert snapshot() == before
