"""Bad input answers with a message and changes nothing: one regression test per server error
found by probing (issue 9, point 6), and the general defences that keep the class away.

tests/test_fuzz.py throws hostile values at every form, query string and API operation; the tests
here pin each defect that was found, so that each fails on its own if the cause comes back.
"""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from activities.factories import ActivityFactory
from activities.models import ActivityStatus
from casework.models import Contact, FollowUpAction, HomeVisit, InformationShare
from classroom.factories import ConsentFactory, GuardianFactory, HouseholdFactory, StudentFactory
from classroom.models import Student
from lib.hostile import hostile_reason, out_of_range_integer, safe_next
from volunteers.factories import VolunteerFactory
from volunteers.models import Volunteer

HUGE = "9" * 20  # past 2**63: SQLite cannot even bind it


def ja(message: str) -> str:
    with translation.override("ja"):
        return str(translation.gettext(message))


@pytest.fixture
def student(site):
    household = HouseholdFactory()
    GuardianFactory(household=household)
    return StudentFactory(site=site, household=household)


@pytest.fixture
def follow_up(student, staff):
    visit = HomeVisit.objects.create(student=student, visited_at=timezone.now() - dt.timedelta(days=1))
    visit.staff.add(staff)
    return FollowUpAction.objects.create(student=student, visit=visit, description="学校と面談する", owner=staff,
                                         due_on=timezone.localdate())


# --- next ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("next_url", ["NaN", "javascript:alert(1)", "https://evil.example/", "//evil.example/x",
                                      "/\\evil.example", " ", "followup_list"])
def test_completing_a_follow_up_with_a_bad_next_saves_and_goes_to_the_list(staff_client, follow_up, next_url):
    response = staff_client.post(reverse("casework:followup_done", args=[follow_up.pk]), {"next": next_url})
    assert response.status_code == 302 and response.url == reverse("casework:followup_list")
    follow_up.refresh_from_db()
    assert follow_up.done_on == timezone.localdate()


def test_completing_a_follow_up_keeps_a_next_on_this_site(staff_client, follow_up):
    target = reverse("casework:visit_detail", args=[follow_up.visit_id])
    response = staff_client.post(reverse("casework:followup_done", args=[follow_up.pk]), {"next": target})
    assert response.url == target


def test_safe_next_accepts_only_paths_on_this_site(rf):
    request = rf.get("/")
    assert safe_next(request, "/students/?q=a") == "/students/?q=a"
    for value in ("NaN", "", None, "http://testserver/students/", "//x", "https://evil.example", "/\\x", "/a\x00"):
        assert safe_next(request, value, "/home/") == "/home/"


# --- The API's cancel ----------------------------------------------------------------------------
@pytest.fixture
def activity(site, staff):
    return ActivityFactory(site=site, lead=staff, date=timezone.localdate() + dt.timedelta(days=10))


@pytest.mark.parametrize("reason", ["理" * 201, "雨天\x00中止"])
def test_api_cancel_refuses_an_overlong_or_nul_reason(staff_client, activity, reason):
    url = reverse("api:activity_cancel", kwargs={"pk": activity.pk})
    response = staff_client.post(url, {"reason": reason}, content_type="application/json")
    assert response.status_code in {400, 422}
    activity.refresh_from_db()
    assert activity.status != ActivityStatus.CANCELLED and activity.cancel_reason == ""


def test_api_cancel_schema_limits_the_reason_itself(staff_client, activity, settings):
    """Even without the middleware, the schema refuses a reason longer than the column."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "lib.hostile.HostileInputMiddleware"]
    url = reverse("api:activity_cancel", kwargs={"pk": activity.pk})
    assert staff_client.post(url, {"reason": "理" * 201}, content_type="application/json").status_code == 422
    assert staff_client.post(url, {"reason": "a\x00b"}, content_type="application/json").status_code == 422
    activity.refresh_from_db()
    assert activity.cancel_reason == ""


# --- The calendar feed ----------------------------------------------------------------------------
@pytest.mark.parametrize("token", ["%00", "abc%00def", "x" * 65, "ab"])
def test_calendar_feed_with_a_malformed_token_is_not_found(client, token):
    assert client.get(f"/calendar/{token}.ics").status_code in {400, 404}


def test_calendar_feed_never_looks_up_a_malformed_token(client, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "lib.hostile.HostileInputMiddleware"]
    assert client.get("/calendar/%00.ics").status_code == 404


def test_calendar_feed_still_serves_a_real_token(client, volunteer, site):
    from django.contrib.auth.models import Group

    from classroom import rules

    volunteer.groups.add(Group.objects.get_or_create(name=rules.VOLUNTEER)[0])
    token = VolunteerFactory(user=volunteer, sites=[site]).renew_calendar_token()
    assert client.get(reverse("volunteers:calendar_feed", args=[token])).status_code == 200


# --- The invitation letter ---------------------------------------------------------------------------
@pytest.mark.parametrize("reply_by", ["2026-02-30", "2026-13-01", "0000-00-00", "明日"])
def test_invitation_with_an_impossible_reply_date_uses_the_default(staff_client, activity, reply_by):
    response = staff_client.get(reverse("activities:activity_print_invitation", args=[activity.pk]), {"reply_by": reply_by})
    assert response.status_code == 200


# --- Huge ids in model-choice fields -----------------------------------------------------------------
def test_a_20_digit_staff_id_on_a_visit_is_refused_with_a_message(staff_client, student):
    before = HomeVisit.objects.count()
    response = staff_client.post(f"{reverse('casework:visit_create')}?student={student.pk}",
                                 {"student": student.pk, "staff": [HUGE], "visited_at": "2026-11-01T16:00"})
    assert response.status_code == 400
    assert ja("A number is too large.") in response.content.decode()
    assert HomeVisit.objects.count() == before


def test_a_20_digit_site_id_on_a_volunteer_is_refused_with_a_message(staff_client, site):
    before = Volunteer.objects.count()
    response = staff_client.post(reverse("volunteers:volunteer_create"), {"sites": [str(site.pk), HUGE], "last_name": "田中"})
    assert response.status_code == 400
    assert ja("A number is too large.") in response.content.decode()
    assert Volunteer.objects.count() == before


def test_out_of_range_integers_are_recognised():
    assert out_of_range_integer(HUGE) and out_of_range_integer("-" + HUGE) and out_of_range_integer(str(2**63))
    assert not out_of_range_integer(str(2**63 - 1)) and not out_of_range_integer("09012345678")
    assert not out_of_range_integer("12a" + HUGE)
    assert out_of_range_integer("9" * 10_000) and not out_of_range_integer("0" * 30 + "42")
    assert not out_of_range_integer("٠" * 30 + "٤٢") and out_of_range_integer("٩" * 20)


def test_a_ten_thousand_digit_id_in_a_query_string_is_refused_with_a_message(staff_client):
    response = staff_client.get("/visits/access-log/", {"student": "9" * 10_000})
    assert response.status_code == 400
    assert "数値が大きすぎます。" in response.content.decode()


# --- Deleting a student with records -----------------------------------------------------------------
def _contact(student, staff):
    return Contact.objects.create(student=student, kind="phone", staff=staff, notes="電話で様子を聞いた")


def _visit(student, staff):
    visit = HomeVisit.objects.create(student=student)
    visit.staff.add(staff)
    return visit


def _share(student, staff):
    consent = ConsentFactory(student=student, guardian=student.household.guardians.first())
    return InformationShare.objects.create(student=student, recipient_name="生活福祉課", what="出席状況",
                                           shared_by=staff, basis="consent", consent=consent)


def _participant(student, staff):
    from activities.models import Participant

    activity = ActivityFactory(site=student.site, lead=staff)
    return Participant.objects.create(activity=activity, role="student", student=student, answer="going")


@pytest.mark.parametrize("make_record", [_contact, _visit, _share, _participant])
def test_a_student_with_a_casework_record_cannot_be_deleted_and_is_offered_archive(staff_client, student, staff,
                                                                                    make_record):
    make_record(student, staff)
    url = reverse("classroom:student_delete", args=[student.pk])
    page = staff_client.get(url).content.decode()
    assert reverse("classroom:student_archive", args=[student.pk]) in page and 'class="delete-form"' not in page
    assert reverse("classroom:student_delete", args=[student.pk]) not in staff_client.get(
        reverse("classroom:student_detail", args=[student.pk])).content.decode()
    response = staff_client.post(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert ja("This student has records (attendance, tutoring, drop-ins, home visits, contacts, information sharing "
              "or activities) and cannot be deleted. Archive them instead.") in html
    assert reverse("classroom:student_archive", args=[student.pk]) in html
    assert Student.objects.filter(pk=student.pk).exists()


def test_a_student_without_records_can_still_be_deleted(staff_client, student):
    response = staff_client.post(reverse("classroom:student_delete", args=[student.pk]))
    assert response.status_code == 302 and not Student.objects.filter(pk=student.pk).exists()


def test_the_history_check_is_one_query(student, count_queries):
    from classroom.services.students import student_has_history

    with count_queries() as queries:
        assert student_has_history(student) is False
    assert queries.count == 1


# --- Database text never reaches a person ---------------------------------------------------------
def test_share_on_consent_without_a_consent_says_so_in_words(staff_client, student):
    url = f"{reverse('casework:share_create')}?student={student.pk}"
    response = staff_client.post(url, {"recipient_name": "生活福祉課", "what": "出席状況", "basis": "consent",
                                       "shared_at": "2026-11-01T10:00"})
    html = response.content.decode()
    assert response.status_code == 200 and InformationShare.objects.count() == 0
    assert "share_has_a_basis" not in html and "制約" not in html
    assert ja("Choose the consent on file that allows this sharing.") in html


def test_share_under_the_exception_without_a_reason_says_so_in_words(staff_client, student):
    url = f"{reverse('casework:share_create')}?student={student.pk}"
    response = staff_client.post(url, {"recipient_name": "児童相談所", "what": "様子", "basis": "child_welfare",
                                       "shared_at": "2026-11-01T10:00", "exception_reason": "  "})
    html = response.content.decode()
    assert "share_has_a_basis" not in html and "制約" not in html and InformationShare.objects.count() == 0
    assert ja("State the reason why the child's welfare required sharing without consent.") in html


def test_a_constraint_without_its_own_message_speaks_in_words(student, staff):
    from django.core.exceptions import ValidationError

    share = InformationShare(student=student, recipient_name="x", what="y", shared_by=staff, basis="consent")
    with translation.override("ja"), pytest.raises(ValidationError) as raised:
        share.full_clean()
    text = " ".join(raised.value.messages)
    assert "share_has_a_basis" not in text and "制約" not in text
    assert ja("These values cannot be saved together. Please check the form and try again.") in text


@pytest.mark.expected_error_log
def test_a_database_error_escaping_a_view_becomes_a_message(staff_client, student, monkeypatch):
    from django.db import IntegrityError

    from classroom.services import students as services

    def broken(**kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "secret_constraint_name"')

    monkeypatch.setattr(services, "student_delete", broken)
    response = staff_client.post(reverse("classroom:student_delete", args=[student.pk]))
    html = response.content.decode()
    assert response.status_code == 409 and "secret_constraint_name" not in html and "duplicate key" not in html
    assert ja("The data could not be saved because a value is not valid. Please check what you entered and try again.") in html


# --- NUL bytes and overlong values anywhere ------------------------------------------------------------
@pytest.mark.parametrize("method", ["get", "post"])
def test_nul_anywhere_answers_400_in_japanese(staff_client, student, method):
    response = getattr(staff_client, method)(reverse("classroom:student_list"), {"q": "山\x00田"})
    assert response.status_code == 400
    assert ja("The input contains a character that cannot be used (a NUL byte).") in response.content.decode()


def test_a_value_longer_than_any_field_answers_400(staff_client, student):
    response = staff_client.post(reverse("classroom:student_edit", args=[student.pk]), {"notes": "あ" * 20_001})
    assert response.status_code == 400
    student.refresh_from_db()


def test_hostile_reason_lets_ordinary_text_through():
    assert hostile_reason("深谷市立深谷中学校 2年") is None
    assert hostile_reason("👨‍👩‍👧 ‮abc") is None
    assert hostile_reason("a\x00") and hostile_reason("a" * 20_001) and hostile_reason(HUGE)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses NUL in text")
def test_nul_never_reaches_postgresql(client):
    assert client.get("/calendar/%00.ics").status_code == 400


# --- Every free-text field has a length -------------------------------------------------------------
def _our_form_classes():
    import importlib
    import inspect
    import pkgutil

    from django import forms

    for app in ("classroom", "casework", "volunteers", "activities"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "forms" not in info.name:
                continue
            module = importlib.import_module(info.name)
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield f"{info.name}.{name}", cls


def test_every_free_text_form_field_has_a_length():
    from django import forms

    classes = list(_our_form_classes())
    assert len(classes) > 20
    unbounded = [f"{name}.{field_name}" for name, cls in classes for field_name, field in cls.base_fields.items()
                 if isinstance(field, forms.CharField) and field.max_length is None]
    assert not unbounded, f"free-text form fields without max_length: {unbounded}"


def test_every_api_string_input_has_a_length():
    """Query parameters and JSON bodies of every API operation: a string has a maxLength (or is a
    choice, a date or a time, which cannot be long)."""
    from config.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})

    def strings(spec: dict):
        if "$ref" in spec:
            yield from strings(components[spec["$ref"].split("/")[-1]])
            return
        for option in spec.get("anyOf", []):
            yield from strings(option)
        if spec.get("type") == "string":
            yield spec
        for prop in spec.get("properties", {}).values():
            yield from strings(prop)
        if "items" in spec:
            yield from strings(spec["items"])

    unbounded = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            specs = [(p["name"], p.get("schema", {})) for p in operation.get("parameters", []) if p.get("in") != "path"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                specs.append(("body", body))
            for name, spec in specs:
                for string in strings(spec):
                    if "maxLength" not in string and "enum" not in string and string.get("format") not in {
                            "date", "date-time", "time"}:
                        unbounded.append(f"{method.upper()} {path} {name}")
    assert not unbounded, f"API strings without maxLength: {unbounded}"


def test_a_request_larger_than_django_takes_answers_400_in_japanese(staff_client, student):
    data = {f"field{i}": "あ" * 10_000 for i in range(100)}  # 3 MB, past DATA_UPLOAD_MAX_MEMORY_SIZE
    response = staff_client.post(reverse("classroom:student_edit", args=[student.pk]), data)
    assert response.status_code == 400
    assert ja("The form sent too much data. Please shorten what you entered.") in response.content.decode()


def test_an_htmx_request_with_a_nul_reloads_the_page_with_the_message(staff_client, student):
    response = staff_client.get(reverse("classroom:student_list"), {"q": "山\x00"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and response["HX-Refresh"] == "true"
    page = staff_client.get(reverse("classroom:student_list")).content.decode()
    assert ja("The input contains a character that cannot be used (a NUL byte).") in page
