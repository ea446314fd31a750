"""Drop-in services: idempotent check-in and check-out, a visitor count that never goes below zero."""

import datetime as dt

import pytest
from django.utils import timezone

from classroom.exceptions import DomainError
from classroom.factories import StudentFactory
from classroom.models import DropIn, DropInVisitorCount, StudentStatus
from classroom.services.dropins import drop_in_check_in, drop_in_check_out, visitor_count_change


def at(hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(hour, minute)))


@pytest.fixture
def student(site):
    return StudentFactory(site=site)


def test_check_in_is_idempotent(student, staff):
    first = drop_in_check_in(student=student, by=staff, at=at(15, 30))
    again = drop_in_check_in(student=student, by=staff, at=at(15, 45))
    assert first.pk == again.pk
    assert DropIn.objects.get().checked_in_at == dt.time(15, 30)
    assert first.site == student.site and first.date == timezone.localdate()


def test_a_child_can_come_again_after_checking_out(student, staff):
    drop_in_check_in(student=student, by=staff, at=at(13, 0))
    drop_in_check_out(student=student, by=staff, at=at(14, 0))
    drop_in_check_in(student=student, by=staff, at=at(16, 0))
    visits = list(DropIn.objects.order_by("checked_in_at").values_list("checked_in_at", "checked_out_at"))
    assert visits == [(dt.time(13, 0), dt.time(14, 0)), (dt.time(16, 0), None)]


def test_check_out_is_idempotent(student, staff):
    drop_in_check_in(student=student, by=staff, at=at(13, 0))
    drop_in_check_out(student=student, by=staff, at=at(14, 0))
    drop_in_check_out(student=student, by=staff, at=at(15, 0))
    assert DropIn.objects.get().checked_out_at == dt.time(14, 0)


def test_check_out_without_check_in_is_refused(student, staff):
    with pytest.raises(DomainError):
        drop_in_check_out(student=student, by=staff)
    assert not DropIn.objects.exists()


def test_yesterdays_open_visit_does_not_count_today(student, staff):
    DropIn.objects.create(site=student.site, student=student, date=timezone.localdate() - dt.timedelta(days=1),
                          checked_in_at=dt.time(15, 0))
    drop_in_check_in(student=student, by=staff)
    assert DropIn.objects.filter(date=timezone.localdate()).count() == 1


def test_only_active_students_check_in(site, staff):
    paused = StudentFactory(site=site, status=StudentStatus.PAUSED)
    with pytest.raises(DomainError):
        drop_in_check_in(student=paused, by=staff)
    assert not DropIn.objects.exists()


def test_check_in_uses_the_current_minute(student, staff):
    visit = drop_in_check_in(student=student, by=staff)
    now = timezone.localtime()
    assert visit.checked_in_at.second == 0
    assert abs(dt.datetime.combine(now.date(), visit.checked_in_at) - now.replace(tzinfo=None)) < dt.timedelta(minutes=2)


def test_visitor_count_is_created_on_first_use_and_never_goes_below_zero(site, staff):
    assert visitor_count_change(site=site, delta=-1, by=staff) == 0
    assert DropInVisitorCount.objects.get().count == 0
    assert visitor_count_change(site=site, delta=1, by=staff) == 1
    assert visitor_count_change(site=site, delta=1, by=staff) == 2
    assert visitor_count_change(site=site, delta=-1, by=staff) == 1
    assert visitor_count_change(site=site, delta=-1, by=staff) == 0
    assert visitor_count_change(site=site, delta=-1, by=staff) == 0
    assert DropInVisitorCount.objects.count() == 1


def test_visitor_count_is_per_site_and_day(site, other_site, staff):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    visitor_count_change(site=site, delta=1, by=staff)
    visitor_count_change(site=site, delta=1, by=staff, on=yesterday)
    visitor_count_change(site=other_site, delta=1, by=staff)
    assert DropInVisitorCount.objects.count() == 3


def test_visitor_count_changes_by_one(site, staff):
    with pytest.raises(DomainError):
        visitor_count_change(site=site, delta=5, by=staff)
