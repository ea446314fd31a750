"""Taps from several devices at once: one open visit per child, and every visitor counted."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from classroom.factories import StudentFactory
from classroom.models import DropIn, DropInVisitorCount
from classroom.services.dropins import drop_in_check_in, visitor_count_change

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")


def run_at_once(task, times: int):
    def wrapped(_):
        try:
            return task()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(wrapped, range(times)))


def test_simultaneous_check_ins_open_one_visit(site, staff):
    student = StudentFactory(site=site)
    visits = run_at_once(lambda: drop_in_check_in(student=student, by=staff), 12)
    assert DropIn.objects.count() == 1
    assert {v.pk for v in visits} == {DropIn.objects.get().pk}


def test_simultaneous_visitor_taps_all_count(site, staff):
    run_at_once(lambda: visitor_count_change(site=site, delta=1, by=staff), 15)
    assert DropInVisitorCount.objects.get(site=site).count == 15
    run_at_once(lambda: visitor_count_change(site=site, delta=-1, by=staff), 20)
    assert DropInVisitorCount.objects.get(site=site).count == 0
