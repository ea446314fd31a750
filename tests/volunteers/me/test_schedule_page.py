"""My schedule: the volunteer's home, with only the four facts about their paired child."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory, StudentFactory, TutoringRecordFactory
from classroom.models import ClassDayStatus
from tests.volunteers.me.conftest import days
from volunteers.models import SignUp, SignUpAnswer

URL = reverse("volunteers:home_volunteer")


def test_shows_the_paired_child_with_nickname_grade_subjects_and_handover(volunteer_client, pair, child):
    html = volunteer_client.get(URL).content.decode()
    assert "ケンくん" in html
    assert child.get_grade_display() in html
    assert child.get_focus_subjects_display() in html
    assert "一次関数の文章題で止まりがち" in html
    assert pair.class_day.site.name in html and pair.class_day.site.address in html
    assert reverse("volunteers:my_sign_up", args=[pair.class_day.pk]) in html


def test_shows_nothing_else_about_the_child(volunteer_client, pair, child, sibling, site):
    StudentFactory(site=site, nickname="ヨソちゃん")
    html = volunteer_client.get(URL).content.decode()
    guardian = child.household.guardians.get()
    for secret in ["鈴木", "健太", "すずき", "花子", guardian.phone, "卵アレルギー", "深谷市秘密町", "家庭の事情",
                   "生活保護", "Public assistance", "秘密中学校", "ミサちゃん", "ヨソちゃん", child.learning_goals]:
        assert secret not in html, secret


def test_given_name_when_no_nickname(volunteer_client, pair, child):
    child.nickname = ""
    child.save()
    assert "健太" in volunteer_client.get(URL).content.decode()


def test_answer_and_confirmation_are_shown(volunteer_client, me, site):
    confirmed = ClassDayFactory(site=site, date=days(2))
    waiting = ClassDayFactory(site=site, date=days(4))
    ClassDayFactory(site=site, date=days(6))
    SignUp.objects.create(volunteer=me, class_day=confirmed, answer=SignUpAnswer.CAN_COME, confirmed_at=timezone.now())
    SignUp.objects.create(volunteer=me, class_day=waiting, answer=SignUpAnswer.CANNOT_COME)
    html = volunteer_client.get(URL).content.decode()
    assert "Confirmed by the coordinator" in html or "コーディネーターが確定" in html
    assert html.count('aria-pressed="true"') == 2
    assert html.count('class="badge badge--warn"') == 1  # not answered yet


def test_only_the_volunteers_sites_and_the_next_weeks(volunteer_client, me, site, other_site):
    ClassDayFactory(site=site, date=days(1), start_time=dt.time(10, 0), end_time=dt.time(12, 0))
    ClassDayFactory(site=other_site, date=days(1))
    ClassDayFactory(site=site, date=days(-1))
    ClassDayFactory(site=site, date=days(7 * 9))
    html = volunteer_client.get(URL).content.decode()
    assert html.count('class="card me-day') == 1
    assert "10:00" in html


def test_cancelled_day_has_no_buttons(volunteer_client, me, site):
    day = ClassDayFactory(site=site, date=days(2), status=ClassDayStatus.CANCELLED)
    html = volunteer_client.get(URL).content.decode()
    assert "me-day--cancelled" in html
    assert reverse("volunteers:my_sign_up", args=[day.pk]) not in html


def test_recent_sessions_link_to_the_records(volunteer_client, me, site):
    recent = TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=days(-3)), tutor=me.user,
                                   student__nickname="ミナちゃん")
    # A nickname of its own: two random ones could be the same, and the old one would then seem shown.
    old = TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=days(-8)), tutor=me.user,
                                student__nickname="タロウくん")
    html = volunteer_client.get(URL).content.decode()
    assert reverse("volunteers:my_tutoring_record", args=[recent.pk]) in html
    assert reverse("volunteers:my_tutoring_record", args=[old.pk]) not in html
    assert old.student.nickname not in html


def test_without_profile_a_friendly_page(volunteer_client):
    response = volunteer_client.get(URL)
    assert response.status_code == 200
    assert "volunteers/me/no_profile.html" in [t.name for t in response.templates]


def test_without_sites_says_so(volunteer_client, volunteer):
    from volunteers.factories import VolunteerFactory
    VolunteerFactory(user=volunteer)
    response = volunteer_client.get(URL)
    assert response.status_code == 200
    assert "me-day" not in response.content.decode()


@pytest.mark.parametrize("persona", ["staff_client", "coordinator_client", "outsider_client"])
def test_other_roles_get_404(request, persona):
    assert request.getfixturevalue(persona).get(URL).status_code == 404


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _fill(me, site, start, n):
    for i in range(start, start + n):
        day = ClassDayFactory(site=site, date=days(1 + i % 50), start_time=dt.time(9 + i // 50, 0),
                              end_time=dt.time(9 + i // 50, 30))
        SignUp.objects.create(volunteer=me, class_day=day, answer=SignUpAnswer.CAN_COME, confirmed_at=timezone.now())
        student = StudentFactory(site=site, focus_subjects="maths" if i % 2 else "")
        TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=days(-1 - i)), student=student,
                              handover_note=f"引き継ぎ{i}")
        TutoringRecordFactory(class_day=day, student=student, tutor=me.user)


def test_query_budget_same_at_5_and_50(volunteer_client, me, site, count_queries):
    volunteer_client.get(URL)  # warm-up: the first request saves the session
    _fill(me, site, 0, 5)
    with count_queries() as five:
        assert volunteer_client.get(URL).status_code == 200
    _fill(me, site, 5, 45)
    with count_queries() as fifty:
        html = volunteer_client.get(URL).content.decode()
    assert html.count('class="me-child"') == 50
    assert five.count == fifty.count, fifty.sql
