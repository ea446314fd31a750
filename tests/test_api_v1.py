"""API v1 for other systems: personal tokens, and the writes through the screens' own forms and services."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from classroom import rules
from classroom.factories import (
    ClassDayFactory,
    OutcomeFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
)
from classroom.models import AccessLog, ApiToken, Attendance, Outcome, Student, TutoringRecord
from classroom.services.tokens import token_create, token_user

pytestmark = pytest.mark.django_db


def bearer(user, **kwargs):
    """Client keyword arguments that authenticate as ``user`` with a fresh token."""
    _token, key = token_create(user=user, name="連携システム", expires_on=timezone.localdate() + dt.timedelta(days=30),
                               **kwargs)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def api(method, path, auth, body=None, **extra):
    """One call without a session or CSRF token: a token is all another system has."""
    return getattr(Client(enforce_csrf_checks=True), method)(path, body, content_type="application/json", **auth,
                                                            **extra)


# --- Tokens ---------------------------------------------------------------------------------------
def test_a_token_acts_as_its_user_and_only_the_hash_is_stored(staff):
    token, key = token_create(user=staff, name="出席連携", expires_on=timezone.localdate() + dt.timedelta(days=90))
    assert key.startswith("ysk_") and len(key) > 40 and token.prefix == key[:12]
    assert key not in str(ApiToken.objects.values_list().get()) and token.key_hash != key
    response = api("get", "/api/classroom/me", {"HTTP_AUTHORIZATION": f"Bearer {key}"})
    assert response.status_code == 200 and response.json()["username"] == staff.username
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(staff, count_queries):
    token, key = token_create(user=staff, name="x", expires_on=timezone.localdate() + dt.timedelta(days=1))
    token_user(key)
    first = ApiToken.objects.get().last_used_at
    token_user(key)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - dt.timedelta(minutes=2))
    token_user(key)
    assert ApiToken.objects.get().last_used_at > first - dt.timedelta(minutes=1)


@pytest.mark.parametrize("case", ["expired", "revoked", "inactive user", "deactivated volunteer", "wrong key", "no key"])
def test_unusable_tokens_answer_401(staff, volunteer, case):
    from volunteers.factories import VolunteerFactory

    user = volunteer if case == "deactivated volunteer" else staff
    if case == "deactivated volunteer":
        VolunteerFactory(user=volunteer, is_active=False)
    auth = bearer(user)
    if case == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif case == "revoked":
        ApiToken.objects.update(revoked_at=timezone.now())
    elif case == "inactive user":
        staff.is_active = False
        staff.save()
    elif case == "wrong key":
        auth = {"HTTP_AUTHORIZATION": auth["HTTP_AUTHORIZATION"][:-2] + "xx"}
    elif case == "no key":
        auth = {}
    response = api("get", "/api/classroom/me", auth)
    assert response.status_code == 401 and response.json() == {"detail": "ログインしてください。"}


def test_a_bad_token_is_not_rescued_by_a_session(staff_client, staff):
    response = staff_client.get("/api/classroom/me", HTTP_AUTHORIZATION="Bearer ysk_not-a-key")
    assert response.status_code == 401


def test_expiry_is_within_a_year(staff):
    from classroom.exceptions import DomainError

    today = timezone.localdate()
    for bad in (today, today + dt.timedelta(days=367)):
        with pytest.raises(DomainError):
            token_create(user=staff, name="x", expires_on=bad, today=today)


# --- Bulk attendance ------------------------------------------------------------------------------
@pytest.fixture
def day(site):
    return ClassDayFactory(site=site, date=timezone.localdate())


@pytest.fixture
def children(site):
    return [StudentFactory(site=site, usual_weekdays="0123456") for _ in range(3)]


def test_bulk_attendance_is_idempotent_and_recorded_as_the_roster_records(staff, day, children):
    auth = bearer(staff)
    body = {"rows": [{"student_id": children[0].pk, "status": "present"},
                     {"student_id": children[1].pk, "status": "absent_notice"}]}
    first = api("put", f"/api/classroom/class-days/{day.pk}/attendance", auth, body)
    assert first.status_code == 200, first.content
    assert first.json()["changed"] == 2
    rows = {a.student_id: a for a in Attendance.objects.all()}
    assert {pk: a.status for pk, a in rows.items()} == {children[0].pk: "present", children[1].pk: "absent_notice"}
    assert {a.recorded_by_id for a in rows.values()} == {staff.pk}
    again = api("put", f"/api/classroom/class-days/{day.pk}/attendance", auth, body)
    assert again.status_code == 200 and again.json()["changed"] == 0
    assert Attendance.objects.count() == 2
    cleared = api("put", f"/api/classroom/class-days/{day.pk}/attendance", auth,
                  {"rows": [{"student_id": children[1].pk, "status": "unmarked"}]})
    assert cleared.json()["changed"] == 1 and Attendance.objects.count() == 1


def test_one_bad_row_writes_nothing_and_each_row_says_why(staff, day, children, other_site):
    stranger = StudentFactory(site=other_site)
    body = {"rows": [{"student_id": children[0].pk, "status": "present"},
                     {"student_id": stranger.pk, "status": "present"},
                     {"student_id": children[0].pk, "status": "late"}]}
    response = api("put", f"/api/classroom/class-days/{day.pk}/attendance", bearer(staff), body)
    assert response.status_code == 422
    assert [(e["index"], e["student_id"]) for e in response.json()["errors"]] == [(1, stranger.pk), (2, children[0].pk)]
    assert "名簿" in response.json()["errors"][0]["msg"]
    assert not Attendance.objects.exists()


def test_a_row_the_service_refuses_rolls_back_the_rows_already_written(staff, site, children):
    future = ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=3))
    body = {"rows": [{"student_id": children[0].pk, "status": "absent_notice"},
                     {"student_id": children[1].pk, "status": "present"}]}
    response = api("put", f"/api/classroom/class-days/{future.pk}/attendance", bearer(staff), body)
    assert response.status_code == 422
    assert [e["index"] for e in response.json()["errors"]] == [1]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "volunteer", "outsider"])
def test_only_staff_write_attendance(request, persona, day, children):
    """Denied as the roster denies them (404); the volunteer persona has no profile, so its token answers 401."""
    body = {"rows": [{"student_id": children[0].pk, "status": "present"}]}
    response = api("put", f"/api/classroom/class-days/{day.pk}/attendance", bearer(request.getfixturevalue(persona)), body)
    assert response.status_code in (401, 404) and not Attendance.objects.exists()  # a volunteer without a profile: 401


def test_a_session_write_still_needs_csrf(staff, day, children):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.put(f"/api/classroom/class-days/{day.pk}/attendance",
                          {"rows": [{"student_id": children[0].pk, "status": "present"}]}, content_type="application/json")
    assert response.status_code == 403 and not Attendance.objects.exists()


# --- Tutoring records, outcomes, students ---------------------------------------------------------
def test_tutoring_record_write_with_version_guard(staff, day, children):
    auth, url = bearer(staff), f"/api/classroom/class-days/{day.pk}/tutoring-records/{children[0].pk}"
    body = {"tutor_id": staff.pk, "subjects": ["maths"], "studied": "一次関数", "understanding": 3, "version": 0}
    created = api("put", url, auth, body)
    assert created.status_code == 200, created.content
    assert created.json()["studied"] == "一次関数" and created.json()["written_at"].endswith("+09:00")
    stale = api("put", url, auth, {**body, "studied": "古い版から"})
    assert stale.status_code == 409 and stale.json()["current_version"] == created.json()["version"]
    assert TutoringRecord.objects.get().studied == "一次関数"
    bad = api("put", url, auth, {**body, "understanding": 9, "version": created.json()["version"]})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "payload", "understanding"]


def test_outcome_create_and_update_as_the_form_validates(staff, site):
    student = StudentFactory(site=site)
    auth = bearer(staff)
    fy = timezone.localdate().year if timezone.localdate().month >= 4 else timezone.localdate().year - 1
    wrong = api("post", f"/api/classroom/students/{student.pk}/outcomes", auth,
                {"fiscal_year": fy, "stage": "entry", "result": "continuing"})
    assert wrong.status_code == 422 and not Outcome.objects.exists()
    made = api("post", f"/api/classroom/students/{student.pk}/outcomes", auth,
               {"fiscal_year": fy, "stage": "entry", "result": "full_time", "school": "県立深谷高校"})
    assert made.status_code == 201, made.content
    again = api("post", f"/api/classroom/students/{student.pk}/outcomes", auth,
                {"fiscal_year": fy, "stage": "entry", "result": "full_time"})
    assert again.status_code == 422 and Outcome.objects.count() == 1
    outcome = made.json()
    changed = api("put", f"/api/classroom/outcomes/{outcome['id']}", auth,
                  {"fiscal_year": fy, "stage": "entry", "result": "part_time", "version": outcome["version"]})
    assert changed.status_code == 200 and changed.json()["result"] == "part_time"
    stale = api("put", f"/api/classroom/outcomes/{outcome['id']}", auth,
                {"fiscal_year": fy, "stage": "entry", "result": "kosen", "version": outcome["version"]})
    assert stale.status_code == 409 and Outcome.objects.get().result == "part_time"


STUDENT = {"family_name": "山田", "given_name": "花子", "family_name_kana": "やまだ", "given_name_kana": "はなこ",
           "birth_date": "2012-05-01", "enrolled_on": "2026-04-01", "weekdays": [1, 3], "subjects": ["maths"],
           "reasons": ["single_parent"]}


def test_student_create_and_update_run_the_student_form(staff, site):
    auth = bearer(staff)
    made = api("post", "/api/classroom/students", auth, {**STUDENT, "site_id": site.pk})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["family_name_kana"] == "ヤマダ" and body["usual_weekdays"] == [1, 3] and body["reasons"] == ["single_parent"]
    assert AccessLog.objects.filter(student_id=body["id"], action="contacts").exists()
    twin = api("post", "/api/classroom/students", auth, {**STUDENT, "site_id": site.pk})
    assert twin.status_code == 422 and Student.objects.count() == 1  # the same child again: refused as on the form
    version = Student.objects.get().version
    edited = api("put", f"/api/classroom/students/{body['id']}", auth,
                 {**STUDENT, "site_id": site.pk, "nickname": "はなちゃん", "version": version})
    assert edited.status_code == 200 and edited.json()["nickname"] == "はなちゃん"
    stale = api("put", f"/api/classroom/students/{body['id']}", auth,
                {**STUDENT, "site_id": site.pk, "nickname": "古い", "version": version})
    assert stale.status_code == 409 and Student.objects.get().nickname == "はなちゃん"


@pytest.mark.parametrize(("field", "value"), [
    ("birth_date", "0001-01-01"), ("family_name", "山\x00田"), ("learning_goals", "あ" * 10_000),
    ("site_id", "other"), ("staff_in_charge_id", 2**31 - 1), ("enrolled_on", "9999-12-31"),
])
def test_hostile_values_answer_4xx_with_a_message(staff, site, other_site, field, value):
    if value == "other":
        value = other_site.pk
    response = api("post", "/api/classroom/students", bearer(staff), {**STUDENT, "site_id": site.pk, field: value})
    assert response.status_code in (400, 422), response.content
    detail = response.json()["detail"]
    assert detail if isinstance(detail, str) else detail[0]["msg"]
    assert not Student.objects.exists()


def test_another_sites_ids_answer_404(staff, other_site):
    elsewhere = StudentFactory(site=other_site)
    other_day = ClassDayFactory(site=other_site)
    TutoringRecordFactory(class_day=other_day, student=elsewhere)
    OutcomeFactory(student=elsewhere)
    auth = bearer(staff)
    assert api("put", f"/api/classroom/students/{elsewhere.pk}", auth, {**STUDENT, "site_id": other_site.pk,
                                                                       "version": 1}).status_code == 404
    assert api("get", f"/api/classroom/class-days/{other_day.pk}/tutoring-records/{elsewhere.pk}", auth).status_code == 404
    assert api("put", f"/api/classroom/class-days/{other_day.pk}/attendance", auth,
               {"rows": [{"student_id": elsewhere.pk, "status": "present"}]}).status_code == 404
    assert api("get", f"/api/classroom/students/{elsewhere.pk}/outcomes", auth).status_code == 404


def test_a_coordinators_token_reads_outcomes_without_reason_or_note(coordinator, site):
    outcome = OutcomeFactory(student=StudentFactory(site=site), note="秘密の進路メモ")
    response = api("get", f"/api/classroom/students/{outcome.student_id}/outcomes", bearer(coordinator))
    assert response.status_code == 200
    [item] = response.json()
    assert "note" not in item and "reason" not in item and item["id"] == outcome.pk


def test_a_user_with_two_roles_keeps_both_through_a_token(site):
    user = UserFactory(roles=[rules.STAFF, rules.COORDINATOR], sites=[site])
    assert sorted(api("get", "/api/classroom/me", bearer(user)).json()["roles"]) == ["coordinator", "staff"]
