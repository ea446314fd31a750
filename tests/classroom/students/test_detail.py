"""The student page: profile, staff-only sections, history with rates, fragments, roles, query budget."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    DropInFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
)
from classroom.models import AttendanceStatus, ClassDayStatus, ConsentPurpose, Understanding

from .conftest import (
    CASEWORKER,
    CONSENT_PARTNERS,
    GUARDIAN_PHONE,
    HEALTH_NOTE,
    HOUSEHOLD_ADDRESS,
    SENSITIVE_REASONS,
    assert_no_sensitive,
    labels,
)


def url(student):
    return reverse("classroom:student_detail", args=[student.pk])


def test_staff_sees_profile_and_every_staff_section(staff_client, student, sibling, guardian):
    guardian.consents.update(withdrawn_on=timezone.localdate())  # a withdrawn consent stays on the page
    consent = student.consents.create(guardian=guardian, purpose=ConsentPurpose.PHOTOS, given_on=timezone.localdate())
    response = staff_client.get(url(student))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<ruby>山田<rt>ヤマダ</rt></ruby>" in html and "<ruby>花子<rt>ハナコ</rt></ruby>" in html
    assert "はなちゃん" in html
    for value in [GUARDIAN_PHONE, HEALTH_NOTE, HOUSEHOLD_ADDRESS, CASEWORKER, CONSENT_PARTNERS, "ポルトガル語"]:
        assert value in html
    assert any(label in html for label in labels(SENSITIVE_REASONS[0]))
    assert reverse("classroom:student_detail", args=[sibling.pk]) in html and "山田 一郎" in html
    assert reverse("classroom:consent_withdraw", args=[student.pk, consent.pk]) in html
    assert "consent--withdrawn" in html
    assert reverse("classroom:student_edit", args=[student.pk]) in html
    assert reverse("classroom:student_delete", args=[student.pk]) in html  # no history yet: a mistaken entry may go


def test_coordinator_sees_the_page_without_any_sensitive_section(coordinator_client, student, sibling):
    class_day = ClassDayFactory(site=student.site, date=timezone.localdate() - dt.timedelta(days=7), status=ClassDayStatus.HELD)
    AttendanceFactory(class_day=class_day, student=student, status=AttendanceStatus.LATE, arrived_at=dt.time(17, 20))
    TutoringRecordFactory(class_day=class_day, student=student, subjects="maths", studied="一次関数のグラフ",
                          handover_note="次回は文章題から")
    response = coordinator_client.get(url(student))
    html = response.content.decode()
    assert response.status_code == 200
    assert "山田" in html and "一次関数のグラフ" in html and "次回は文章題から" in html
    assert_no_sensitive(html)
    assert 'id="household"' not in html and 'id="consents"' not in html
    assert reverse("classroom:student_detail", args=[sibling.pk]) not in html  # siblings come through the household
    assert reverse("classroom:student_edit", args=[student.pk]) not in html
    assert reverse("classroom:student_archive", args=[student.pk]) not in html
    for target in ("attendance", "tutoring", "drop-ins"):
        fragment = coordinator_client.get(url(student), HTTP_HX_REQUEST="true", HTTP_HX_TARGET=target).content.decode()
        assert_no_sensitive(fragment)


def test_history_rates_and_tutoring(staff_client, student):
    today = timezone.localdate()
    tutor = UserFactory(last_name="田中", first_name="由美子", roles=["volunteer"])
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT, AttendanceStatus.LEFT_EARLY]
    for offset, status in enumerate(statuses, start=1):
        day = ClassDayFactory(site=student.site, date=today - dt.timedelta(days=offset * 3), status=ClassDayStatus.HELD)
        AttendanceFactory(class_day=day, student=student, status=status)
    cancelled = ClassDayFactory(site=student.site, date=today - dt.timedelta(days=1), status=ClassDayStatus.CANCELLED)
    AttendanceFactory(class_day=cancelled, student=student, status=AttendanceStatus.ABSENT)
    latest = ClassDayFactory(site=student.site, date=today - dt.timedelta(days=3))
    TutoringRecordFactory(class_day=latest, student=student, tutor=tutor, subjects="maths,english",
                          understanding=Understanding.MOSTLY, studied="連立方程式", homework="ワーク p.32",
                          handover_note="図を描くと進む", written_at=timezone.now())
    DropInFactory(student=student, date=today - dt.timedelta(days=2), checked_in_at=dt.time(15, 30),
                  checked_out_at=dt.time(17, 0))
    response = staff_client.get(url(student))
    html = response.content.decode()
    rates = response.context["rates"]
    assert (rates["last_four_weeks"].attended, rates["last_four_weeks"].recorded) == (3, 4)
    assert str(rates["last_four_weeks"]) == "75%"
    attendance = list(response.context["attendance_page"])
    assert [a.class_day.date for a in attendance] == sorted((a.class_day.date for a in attendance), reverse=True)
    assert "連立方程式" in html and "ワーク p.32" in html and "図を描くと進む" in html and "田中 由美子" in html
    assert "15:30" in html and "17:00" in html
    assert reverse("classroom:student_delete", args=[student.pk]) not in html  # history: archive, never delete


def test_rate_shows_a_dash_without_records(staff_client, student):
    html = staff_client.get(url(student)).content.decode()
    assert html.count('<span class="stat__value">—</span>') == 2


def test_history_pages_through_htmx_fragment(staff_client, student):
    today = timezone.localdate()
    for offset in range(1, 16):
        day = ClassDayFactory(site=student.site, date=today - dt.timedelta(days=offset), status=ClassDayStatus.HELD)
        AttendanceFactory(class_day=day, student=student, note=f"メモ{offset:02d}")
    response = staff_client.get(url(student), {"attendance_page": 2}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="attendance")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="attendance"')
    assert "<html" not in html
    assert "メモ11" in html and "メモ15" in html and "メモ10" not in html
    full = staff_client.get(url(student), {"attendance_page": 2}).content.decode()
    assert "<html" in full and "メモ11" in full


def test_another_sites_student_is_404(staff_client, other_site):
    stranger = StudentFactory(site=other_site)
    assert staff_client.get(url(stranger)).status_code == 404
    assert staff_client.get(url(stranger), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="attendance").status_code == 404


@pytest.mark.parametrize("client_fixture", ["volunteer_client", "outsider_client"])
def test_volunteer_and_outsider_get_404(request, client_fixture, student):
    client = request.getfixturevalue(client_fixture)
    assert client.get(url(student)).status_code == 404
    assert client.get(url(student), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="attendance").status_code == 404


def _add_history(student, count: int, start: int = 0):
    today = timezone.localdate()
    for offset in range(start, start + count):
        day = ClassDayFactory(site=student.site, date=today - dt.timedelta(days=offset + 1), status=ClassDayStatus.HELD)
        AttendanceFactory(class_day=day, student=student)
        TutoringRecordFactory(class_day=day, student=student, handover_note=f"引き継ぎ{offset}")
        DropInFactory(student=student, date=day.date)


def _page_queries(client, student, count_queries, **extra):
    client.get(url(student))
    with count_queries() as q:
        response = client.get(url(student), **extra)
    assert response.status_code == 200
    return q.count


@pytest.mark.parametrize("client_fixture", ["staff_client", "coordinator_client"])
@pytest.mark.parametrize("extra", [{}, {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "tutoring"}])
def test_query_budget_is_the_same_at_5_and_50_rows(request, client_fixture, extra, student, count_queries):
    client = request.getfixturevalue(client_fixture)
    _add_history(student, 5)
    at_5 = _page_queries(client, student, count_queries, **extra)
    _add_history(student, 45, start=5)
    for _ in range(5):
        StudentFactory(site=student.site, household=student.household)  # more siblings
    at_50 = _page_queries(client, student, count_queries, **extra)
    assert at_5 == at_50


def test_staff_page_of_a_student_without_household(staff_client, site):
    lone = StudentFactory(site=site, household=None, health_notes="")
    html = staff_client.get(url(lone)).content.decode()
    assert reverse("classroom:student_edit", args=[lone.pk]) in html
    assert reverse("classroom:consent_add", args=[lone.pk]) not in html  # no guardian to consent yet
    page = staff_client.get(reverse("classroom:consent_add", args=[lone.pk]))
    assert page.status_code == 200 and page.context["form"] is not None


def test_left_student_page_shows_leaving_and_no_archive_button(staff_client, site):
    left = StudentFactory(site=site, status="left", left_on=timezone.localdate(), leaving_outcome="work")
    html = staff_client.get(url(left)).content.decode()
    assert reverse("classroom:student_archive", args=[left.pk]) not in html
    assert "row--muted" in staff_client.get(reverse("classroom:student_list")).content.decode()
