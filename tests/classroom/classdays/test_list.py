"""The class day list: upcoming or past, filtered by site and status, with attendance counts."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from classroom.factories import AttendanceFactory, ClassDayFactory
from classroom.models import AttendanceStatus, ClassDayStatus

URL = "/class-days/"


def days_ahead(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.mark.parametrize("persona, expected", [("staff", 200), ("coordinator", 200), ("volunteer", 404),
                                               ("outsider", 404)])
def test_list_access_by_role(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == expected


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_upcoming_first_with_counts_and_cancel_reason(staff_client, site, other_site):
    soon = ClassDayFactory(site=site, date=days_ahead(1))
    later = ClassDayFactory(site=site, date=days_ahead(8), status=ClassDayStatus.CANCELLED,
                            cancel_reason="会場点検のため休室")
    past = ClassDayFactory(site=site, date=days_ahead(-7), status=ClassDayStatus.HELD)
    AttendanceFactory(class_day=past, status=AttendanceStatus.PRESENT)
    AttendanceFactory(class_day=past, status=AttendanceStatus.ABSENT)
    hidden = ClassDayFactory(site=other_site, date=days_ahead(2))
    content = staff_client.get(URL).content.decode()
    assert content.index(f'id="class-day-{soon.pk}"') < content.index(f'id="class-day-{later.pk}"')
    assert "会場点検のため休室" in content
    assert f'id="class-day-{past.pk}"' not in content
    assert f'id="class-day-{hidden.pk}"' not in content
    assert "<html" in content

    past_page = staff_client.get(URL, {"when": "past"}).content.decode()
    assert f'id="class-day-{past.pk}"' in past_page
    assert f'id="class-day-{soon.pk}"' not in past_page
    row = past_page[past_page.index(f'id="class-day-{past.pk}"'):]
    row = row[: row.index("</tr>")]
    assert '<td class="num" data-label="記録済み">2</td>' in row or ">2</td>" in row
    assert ">1</td>" in row


def test_htmx_filter_returns_only_the_results(staff_client, site):
    scheduled = ClassDayFactory(site=site, date=days_ahead(1))
    cancelled = ClassDayFactory(site=site, date=days_ahead(2), status=ClassDayStatus.CANCELLED, cancel_reason="台風")
    response = staff_client.get(URL, {"status": "cancelled", "site": site.pk}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith('<section id="class-day-results"')
    assert f'id="class-day-{cancelled.pk}"' in content
    assert f'id="class-day-{scheduled.pk}"' not in content


def test_another_sites_filter_value_is_ignored_not_shown(staff_client, site, other_site):
    ClassDayFactory(site=other_site, date=days_ahead(1))
    mine = ClassDayFactory(site=site, date=days_ahead(1))
    content = staff_client.get(URL, {"site": other_site.pk}).content.decode()
    assert other_site.name not in content
    assert f'id="class-day-{mine.pk}"' in content


def test_list_is_paginated(staff_client, site):
    for n in range(30):
        ClassDayFactory(site=site, date=days_ahead(n))
    first = staff_client.get(URL).content.decode()
    second = staff_client.get(URL, {"page": 2}).content.decode()
    assert len(re.findall(r'id="class-day-\d+"', first)) == 25
    assert len(re.findall(r'id="class-day-\d+"', second)) == 5
    assert "page=2" in first


def test_coordinator_sees_no_create_buttons(coordinator_client, site):
    ClassDayFactory(site=site, date=days_ahead(1))
    content = coordinator_client.get(URL).content.decode()
    assert "/class-days/new/" not in content
    assert "/class-days/series/" not in content


def test_list_query_count_does_not_grow_with_rows(staff_client, site, count_queries):
    def build(total):
        for n in range(total):
            day = ClassDayFactory(site=site, date=days_ahead(-n - 1), status=ClassDayStatus.HELD)
            if n < 3:
                AttendanceFactory(class_day=day)

    staff_client.get(URL)  # the session's first request writes it; measure the ones after
    build(5)
    with count_queries() as few:
        assert staff_client.get(URL, {"when": "past"}).status_code == 200
    build(50)
    with count_queries() as many:
        assert staff_client.get(URL, {"when": "past"}).status_code == 200
    assert few.count == many.count, many.sql
