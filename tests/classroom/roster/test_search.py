"""Issue 11: the roster is the day's class; anyone else comes by a search that adds their row.

Its cost follows the day's class, not the site or its history: the same queries at 30 and at 600
active children and with one or five years of attendance, and a few hundred bytes per row.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import AttendanceFactory, ClassDayFactory, HouseholdFactory, StudentFactory
from classroom.models import Attendance, AttendanceStatus, ClassDay, ClassDayStatus, Student, StudentStatus
from classroom.services.attendance import ROSTER_SEARCH_LIMIT
from lib import facts
from tests.neighbours import ours

from .conftest import ja, other_weekday, today_weekday

HX = {"HTTP_HX_REQUEST": "true"}


def roster_url(class_day):
    return reverse("classroom:roster", args=[class_day.pk])


def search_url(class_day):
    return reverse("classroom:roster_search", args=[class_day.pk])


def add_url(class_day, student):
    return reverse("classroom:roster_add", args=[class_day.pk, student.pk])


def tap_url(class_day, student):
    return reverse("classroom:attendance_set", args=[class_day.pk, student.pk])


@pytest.fixture
def children(make_students, class_day):
    """An expected child, a child marked though not expected, and three who are neither."""
    expected = make_students(1, family=("青木", "アオキ"), given=("結衣", "ユイ"))[0]
    visitor = make_students(1, family=("上田", "ウエダ"), given=("蒼", "アオイ"), usual_weekdays=other_weekday())[0]
    AttendanceFactory(class_day=class_day, student=visitor, status=AttendanceStatus.PRESENT)
    other = make_students(1, family=("小川", "オガワ"), given=("蓮", "レン"), usual_weekdays=other_weekday(),
                          nickname="れんくん")[0]
    no_day = make_students(1, family=("小山", "コヤマ"), given=("葵", "アオイ"), usual_weekdays="")[0]
    left = make_students(1, family=("小池", "コイケ"), given=("陽", "ヒナタ"), usual_weekdays=other_weekday(),
                         status=StudentStatus.LEFT)[0]
    return {"expected": expected, "visitor": visitor, "other": other, "no_day": no_day, "left": left}


def names_in(html, children):
    return {name for name, child in children.items() if child.full_name in html}


def test_the_roster_shows_the_expected_and_the_marked_children_and_no_one_else(staff_client, class_day, children):
    html = staff_client.get(roster_url(class_day)).content.decode()
    assert names_in(html, children) == {"expected", "visitor"}
    assert 'id="roster-search"' in html


def test_the_search_fragment_finds_the_sites_other_active_children(staff_client, class_day, children, far_child):
    response = staff_client.get(search_url(class_day), {"q": "小"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="roster-found"')
    # Not the expected or marked ones (already listed), not a child who left, never another site's child.
    assert names_in(html, children) == {"other", "no_day"}
    assert far_child.full_name not in html
    assert f'hx-get="{add_url(class_day, children["other"])}"' in html
    assert f'href="{roster_url(class_day)}?add={children["other"].pk}#roster-row-{children["other"].pk}"' in html


@pytest.mark.parametrize("text", ["おがわ", "オガワ", "れん", "小川 蓮", "がわ"])
def test_the_search_matches_a_part_of_the_name_the_kana_or_the_nickname(staff_client, class_day, children, text):
    html = staff_client.get(search_url(class_day), {"q": text}, **HX).content.decode()
    assert names_in(html, children) == {"other"}


def test_no_match_says_so_in_the_users_language(staff_client, class_day, children):
    html = staff_client.get(search_url(class_day), {"q": "青木"}, **HX).content.decode()  # expected: on the list
    message = ja("No other active child of this site matches “%(query)s”.") % {"query": "青木"}
    assert message in html
    staff_client.cookies["django_language"] = "en"
    html = staff_client.get(search_url(class_day), {"q": "zzz"}, HTTP_ACCEPT_LANGUAGE="en", **HX).content.decode()
    assert "No other active child of this site matches “zzz”." in html


def test_the_results_are_bounded(staff_client, class_day, make_students):
    make_students(ROSTER_SEARCH_LIMIT + 3, family=("中村", "ナカムラ"), usual_weekdays=other_weekday())
    html = staff_client.get(search_url(class_day), {"q": "中村"}, **HX).content.decode()
    assert html.count('class="roster-found__pick"') == ROSTER_SEARCH_LIMIT
    assert ja("Only the first %(count)s are shown: type more of the name.") % {"count": ROSTER_SEARCH_LIMIT} in html


def test_an_overlong_search_is_a_message_not_an_error(staff_client, class_day, children):
    response = staff_client.get(search_url(class_day), {"q": "小" * 51}, **HX)
    assert response.status_code == 200
    assert "field__error" in response.content.decode()


def test_children_already_added_to_the_page_are_not_found_again(staff_client, class_day, children):
    html = staff_client.get(search_url(class_day), {"q": "小", "add": [children["other"].pk]}, **HX).content.decode()
    assert names_in(html, children) == {"no_day"}


def test_adding_a_found_child_answers_their_row_ready_to_tap(staff_client, class_day, children):
    other = children["other"]
    response = staff_client.get(add_url(class_day, other), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="roster-row-{other.pk}"')
    assert f'hx-post="{tap_url(class_day, other)}"' in html
    assert f'<li id="roster-found-{other.pk}" hx-swap-oob="delete"></li>' in html
    assert f'form="roster-search" name="add" value="{other.pk}"' in html  # the next search leaves them out
    # Tapping marks them; from then on the roster lists them.
    tap = staff_client.post(tap_url(class_day, other), {f"status-{other.pk}": "present"}, **HX)
    assert tap.status_code == 200 and 'aria-pressed="true"' in tap.content.decode()
    assert ours(Attendance).get(student=other).status == AttendanceStatus.PRESENT
    assert other.full_name in staff_client.get(roster_url(class_day)).content.decode()


@pytest.mark.parametrize("which", ["left", "far"])
def test_a_child_who_is_not_an_active_child_of_the_site_cannot_be_added(staff_client, class_day, children, far_child,
                                                                         which):
    child = far_child if which == "far" else children[which]
    assert staff_client.get(add_url(class_day, child), **HX).status_code == 404
    html = staff_client.get(roster_url(class_day), {"add": child.pk}).content.decode()
    assert child.full_name not in html


def test_without_javascript_the_search_reloads_the_roster_and_a_pick_shows_the_row(staff_client, class_day, children):
    other = children["other"]
    html = staff_client.get(roster_url(class_day), {"q": "おがわ"}).content.decode()
    assert 'value="おがわ"' in html
    link = f'href="{roster_url(class_day)}?add={other.pk}#roster-row-{other.pk}"'
    assert link in html
    assert f'id="roster-row-{other.pk}"' not in html  # found, not yet on the list
    html = staff_client.get(roster_url(class_day), {"add": other.pk}).content.decode()
    assert f'id="roster-row-{other.pk}"' in html
    assert f'form="roster-form" name="status-{other.pk}"' in html
    # A tap posts the roster's one form with the row's status; the child stays on the list.
    response = staff_client.post(roster_url(class_day), {f"status-{other.pk}": "late"})
    assert response.status_code == 302
    assert response["Location"] == roster_url(class_day) + f"#roster-row-{other.pk}"
    assert ours(Attendance).get(student=other).status == AttendanceStatus.LATE
    assert f'id="roster-row-{other.pk}"' in staff_client.get(roster_url(class_day)).content.decode()
    # The search route itself, without htmx, is the same page.
    assert staff_client.get(search_url(class_day), {"q": "小"}).status_code == 302


def test_mark_all_and_its_undo_keep_the_rows_a_search_added(staff_client, class_day, children, far_child):
    """A child added by a search but not yet tapped is not expected, so "mark all" leaves them unmarked;
    their row stays on the roster it answers with (and after its undo), with htmx and without."""
    other, expected = children["other"], children["expected"]
    mark_all = reverse("classroom:roster_mark_all_present", args=[class_day.pk])
    undo = reverse("classroom:roster_mark_all_undo", args=[class_day.pk])
    html = staff_client.get(roster_url(class_day), {"add": other.pk}).content.decode()
    assert f'<input type="hidden" name="add" value="{other.pk}">' in html  # in the mark-all form
    response = staff_client.post(mark_all, {"add": [other.pk, other.pk, far_child.pk, "x"]}, **HX)
    html = response.content.decode()
    assert f'id="roster-row-{other.pk}"' in html and far_child.full_name not in html
    assert ours(Attendance).get(student=expected).status == AttendanceStatus.PRESENT
    assert not ours(Attendance).filter(student=other).exists()
    marked_at = ours(Attendance).get(student=expected).recorded_at.isoformat()
    html = staff_client.post(undo, {"marked_at": marked_at, "add": other.pk}, **HX).content.decode()
    assert f'id="roster-row-{other.pk}"' in html
    assert not ours(Attendance).filter(student=expected).exists()
    # Without JavaScript: the redirect carries the added children.
    ours(Attendance).filter(student=expected).delete()
    response = staff_client.post(mark_all, {"add": other.pk})
    assert response.status_code == 302 and f"add={other.pk}" in response["Location"]
    assert f'id="roster-row-{other.pk}"' in staff_client.get(response["Location"]).content.decode()
    response = staff_client.post(undo, {"marked_at": "not a time", "add": other.pk})
    assert response["Location"] == roster_url(class_day) + f"?add={other.pk}"


def test_a_posted_id_of_another_sites_child_changes_nothing(staff_client, class_day, children, far_child):
    before = Attendance.objects.count()
    response = staff_client.post(roster_url(class_day), {f"status-{far_child.pk}": "present"})
    assert response.status_code == 302
    assert Attendance.objects.count() == before
    assert staff_client.post(tap_url(class_day, far_child), {"status": "present"}, **HX).status_code == 404


def test_coordinators_have_no_search(coordinator_client, class_day, children):
    html = coordinator_client.get(roster_url(class_day), {"q": "小", "add": children["other"].pk}).content.decode()
    assert 'id="roster-search"' not in html and children["other"].full_name not in html
    assert coordinator_client.get(search_url(class_day), {"q": "小"}, **HX).status_code == 404
    assert coordinator_client.get(add_url(class_day, children["other"]), **HX).status_code == 404


def test_closed_days_have_no_search(staff_client, cancelled_day, children):
    html = staff_client.get(roster_url(cancelled_day), {"q": "小"}).content.decode()
    assert 'id="roster-search"' not in html and children["other"].full_name not in html
    assert staff_client.get(search_url(cancelled_day), {"q": "小"}, **HX).status_code == 404
    assert staff_client.get(add_url(cancelled_day, children["other"]), **HX).status_code == 404


@pytest.fixture
def far_child(other_site):
    return StudentFactory(site=other_site, family=("小林", "コバヤシ"), given=("翼", "ツバサ"),
                          usual_weekdays=today_weekday())


# --- Cost: the day's class, not the site or its history ----------------------------------------
def _bulk_children(site, n, weekday):
    household = HouseholdFactory()
    Student.objects.bulk_create([StudentFactory.build(site=site, household=household, usual_weekdays=weekday)
                                 for _ in range(n)])


def _history(site, weeks):
    """Held class days on each of ``weeks`` (weeks ago), the expected children marked on each."""
    students = list(Student.objects.filter(site=site, usual_weekdays=today_weekday()))
    today = timezone.localdate()
    with facts.deferred():  # bulk inserts, the children's facts refreshed once at the end
        days = ClassDay.objects.bulk_create([
            ClassDayFactory.build(site=site, date=today - dt.timedelta(weeks=week), status=ClassDayStatus.HELD)
            for week in weeks])
        days = ClassDay.objects.filter(site=site, date__in=[day.date for day in days])
        Attendance.objects.bulk_create([
            Attendance(class_day=day, student=s, status=AttendanceStatus.PRESENT if (day.pk + s.pk) % 4 else
                       AttendanceStatus.ABSENT) for day in days for s in students], batch_size=2000)


def _measure(client, class_day, count_queries):
    student = Student.objects.expected_on(class_day).in_kana_order().first()
    client.get(roster_url(class_day))  # warm the session: the measured request writes nothing
    with count_queries() as roster:
        assert client.get(roster_url(class_day)).status_code == 200
    with count_queries() as tap:
        assert client.post(tap_url(class_day, student), {"status": "present"}, **HX).status_code == 200
    with count_queries() as untap:
        assert client.post(tap_url(class_day, student), {"status": ""}, **HX).status_code == 200
    return roster.count, tap.count, untap.count


def test_the_roster_and_a_tap_cost_the_same_queries_at_30_and_600_children(staff_client, site, class_day,
                                                                           count_queries):
    _bulk_children(site, 30, today_weekday())
    small = _measure(staff_client, class_day, count_queries)
    _bulk_children(site, 570, other_weekday())
    assert _measure(staff_client, class_day, count_queries) == small
    assert small[0] <= 10 and small[1] <= 10


def test_the_roster_and_a_tap_cost_the_same_queries_after_1_and_5_years(staff_client, site, count_queries):
    _bulk_children(site, 30, today_weekday())
    class_day = ClassDayFactory(site=site, date=timezone.localdate())
    _history(site, range(1, 53))
    one_year = _measure(staff_client, class_day, count_queries)
    _history(site, range(53, 52 * 5 + 1))
    assert Attendance.objects.filter(class_day__site=site).count() == 30 * 52 * 5
    assert _measure(staff_client, class_day, count_queries) == one_year


def test_the_roster_of_30_children_is_lean(staff_client, site, class_day):
    """Issue 11 measured 3.4 KB a row (a tap form and a no-JS radio set each, unmarked); a row now
    takes about 1.5 KB unmarked, 2.3 KB with its arrival time and note form.

    Issue 15 (JIS X 8341-3 AA) raised both limits by about 300 bytes: each of the five status buttons
    says whose it is (the child's name, visually hidden, about 55 bytes a button; the note's summary and
    Save button too), so a screen reader hears "出席 山田 花子", not five rows of bare "出席"."""
    _bulk_children(site, 30, today_weekday())
    # The page around the rows: a day of another weekday, nobody expected.
    empty = ClassDayFactory(site=site, date=timezone.localdate() - dt.timedelta(days=1))
    base = staff_client.get(roster_url(empty)).content
    assert b"data-tap-row " not in base

    def per_row():
        html = staff_client.get(roster_url(class_day)).content
        assert html.count(b"data-tap-row ") == 30
        return (len(html) - len(base)) / 30

    unmarked = per_row()
    assert unmarked < 1900
    for student in Student.objects.expected_on(class_day)[:10]:
        AttendanceFactory(class_day=class_day, student=student, status=AttendanceStatus.LATE, arrived_at=dt.time(17, 5))
    mixed = per_row()
    assert mixed < 2300
