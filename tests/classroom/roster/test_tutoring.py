"""The tutoring record of a child on a class day, opened from the roster row."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom import rules
from classroom.exceptions import DomainError
from classroom.factories import ClassDayFactory, StudentFactory, TutoringRecordFactory, UserFactory
from classroom.models import TutoringRecord
from classroom.services.tutoring import tutoring_record_save
from tests.neighbours import ours
from volunteers.factories import VolunteerFactory

HX = {"HTTP_HX_REQUEST": "true"}


def url(class_day, student):
    return reverse("classroom:tutoring_record_edit", args=[class_day.pk, student.pk])


@pytest.fixture
def tutor(site):
    """A volunteer of the class day's site."""
    user = UserFactory(username="tutor", last_name="鈴木", first_name="一郎", roles=[rules.VOLUNTEER])
    VolunteerFactory(user=user, sites=[site])
    return user


@pytest.fixture
def last_week(site):
    return ClassDayFactory(site=site, date=timezone.localdate() - dt.timedelta(days=7))


def test_page_shows_the_previous_handover_note(staff_client, class_day, student, last_week, tutor):
    TutoringRecordFactory(class_day=last_week, student=student, tutor=tutor, handover_note="連立方程式の文章題の続きから")
    response = staff_client.get(url(class_day, student))
    assert response.status_code == 200
    html = response.content.decode()
    assert "連立方程式の文章題の続きから" in html
    assert student.full_name in html and student.full_name_kana in html
    assert "鈴木 一郎" in html or "鈴木一郎" in html
    assert 'name="subjects"' in html and 'name="understanding"' in html
    assert f'href="{reverse("classroom:roster", args=[class_day.pk])}#roster-row-{student.pk}"' in html


def test_fragment(staff_client, class_day, student):
    response = staff_client.get(url(class_day, student), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="tutoring-record"')
    assert "<html" not in html


def test_saving_creates_then_updates_the_one_record(staff_client, class_day, student, tutor):
    data = {"tutor": tutor.pk, "subjects": ["english", "maths"], "studied": "一次関数のグラフ", "understanding": "3",
            "homework": "ワーク p.32", "handover_note": "傾きの意味を復習"}
    response = staff_client.post(url(class_day, student), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("classroom:roster", args=[class_day.pk]) + f"#roster-row-{student.pk}"
    record = ours(TutoringRecord).get()
    assert (record.tutor, record.subjects, record.understanding) == (tutor, "maths,english", 3)
    assert record.is_written
    staff_client.post(url(class_day, student), {**data, "subjects": ["science"], "understanding": "4"})
    record = ours(TutoringRecord).get()
    assert (record.subjects, record.understanding) == ("science", 4)


def test_a_planned_pairing_is_not_yet_written(staff_client, class_day, student, tutor):
    staff_client.post(url(class_day, student), {"tutor": tutor.pk, "subjects": ["maths"]})
    assert not ours(TutoringRecord).get().is_written


def test_invalid_input_rerenders_with_errors(staff_client, class_day, student):
    response = staff_client.post(url(class_day, student), {"understanding": "9", "tutor": "999999"})
    assert response.status_code == 200
    assert b"field__error" in response.content
    assert not ours(TutoringRecord).exists()


def test_a_tutor_must_be_a_volunteer_or_staff(class_day, student, staff, outsider):
    with pytest.raises(DomainError):
        tutoring_record_save(class_day=class_day, student=student, by=staff, tutor=outsider, subjects=[])
    record = tutoring_record_save(class_day=class_day, student=student, by=staff, tutor=staff, subjects=["maths"])
    assert record.tutor == staff


def test_only_the_sites_own_tutors_are_offered_and_accepted(staff_client, class_day, student, tutor, other_site,
                                                            neighbours):
    """Volunteers and staff of other sites are neither listed (their names) nor accepted (a forged post)."""
    elsewhere = [neighbours.far_volunteer.user, UserFactory(username="staff-elsewhere", roles=[rules.STAFF],
                                                            sites=[other_site])]
    html = staff_client.get(url(class_day, student)).content.decode()
    offered = set(re.findall(r'<option value="(\d+)"', re.search(r'<select name="tutor".*?</select>', html, re.S)[0]))
    assert offered == {str(tutor.pk), str(class_day.site.members.get().pk)}  # the volunteer and the staff persona
    assert all(str(user.pk) not in offered for user in elsewhere)
    for user in elsewhere:
        response = staff_client.post(url(class_day, student), {"tutor": user.pk, "subjects": ["maths"]})
        assert response.status_code == 200 and b"field__error" in response.content
        with pytest.raises(DomainError):
            tutoring_record_save(class_day=class_day, student=student, by=tutor, tutor=user, subjects=[])
    assert not ours(TutoringRecord).exists()


def test_cancelled_day_is_read_only(staff_client, cancelled_day, student, tutor):
    response = staff_client.get(url(cancelled_day, student))
    assert response.status_code == 200
    assert b'name="studied"' not in response.content
    assert staff_client.post(url(cancelled_day, student), {"tutor": tutor.pk}).status_code == 404
    with pytest.raises(DomainError):
        tutoring_record_save(class_day=cancelled_day, student=student, by=tutor, tutor=tutor, subjects=[])


def test_coordinator_reads_but_does_not_write(coordinator_client, class_day, student, tutor):
    TutoringRecordFactory(class_day=class_day, student=student, tutor=tutor, studied="英語の長文読解")
    response = coordinator_client.get(url(class_day, student))
    assert response.status_code == 200
    html = response.content.decode()
    assert "英語の長文読解" in html
    assert 'name="studied"' not in html
    assert coordinator_client.post(url(class_day, student), {"studied": "x"}).status_code == 404
    assert ours(TutoringRecord).get().studied == "英語の長文読解"


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_volunteers_and_outsiders_get_404(request, persona, class_day, student):
    client = request.getfixturevalue(persona)
    assert client.get(url(class_day, student)).status_code == 404
    assert client.post(url(class_day, student), {"studied": "x"}).status_code == 404


def test_another_sites_day_or_child_is_404(staff_client, class_day, other_day, other_site, student):
    stranger = StudentFactory(site=other_site)
    assert staff_client.get(url(other_day, stranger)).status_code == 404
    assert staff_client.get(url(class_day, stranger)).status_code == 404
    assert staff_client.post(url(class_day, stranger), {"studied": "x"}).status_code == 404


# --- Issue 9, point 14: ✓ only for a record someone wrote -----------------------------------
def _row_html(html: str, student) -> str:
    start = html.index(f'id="roster-row-{student.pk}"')
    return html[start:html.index("</li>", start)]


@pytest.mark.parametrize("day", ["today", "future"])
def test_roster_ticks_only_written_records(staff_client, site, class_day, future_day, tutor, make_students, day):
    """A planned pair (an empty record, today or on a future day) is not "written"; a written one is."""
    day = class_day if day == "today" else future_day
    weekday = str(day.date.weekday())
    planned, written, none = make_students(3, usual_weekdays=weekday)
    TutoringRecordFactory(class_day=day, student=planned, tutor=tutor)
    TutoringRecordFactory(class_day=day, student=written, tutor=tutor, studied="一次関数",
                          written_at=timezone.now())
    html = staff_client.get(reverse("classroom:roster", args=[day.pk])).content.decode()
    for student, ticked in ((planned, False), (written, True), (none, False)):
        row = _row_html(html, student)
        assert ("tap-row__link--done" in row) is ticked, student
        assert ("✓" in row) is ticked, student


def test_the_written_queryset_and_property_agree(class_day, student, tutor):
    planned = TutoringRecordFactory(class_day=class_day, student=student, tutor=tutor)
    assert not planned.is_written
    assert not ours(TutoringRecord).written().exists()
    planned.written_at = timezone.now()
    planned.studied = "英語の長文"
    planned.save()
    assert list(ours(TutoringRecord).written()) == [planned]
