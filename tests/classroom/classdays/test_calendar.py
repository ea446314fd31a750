"""The month calendar: Sunday first, today marked, site filter, previous and next month."""

import datetime as dt

import pytest
from django.utils import timezone

from classroom.factories import ClassDayFactory, SiteFactory
from classroom.models import ClassDayStatus

URL = "/class-days/calendar/"


@pytest.mark.parametrize("persona, expected", [("staff", 200), ("coordinator", 200), ("volunteer", 404),
                                               ("outsider", 404)])
def test_calendar_access_by_role(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == expected


def test_month_grid_starts_on_sunday_and_shows_class_days(staff_client, site, other_site):
    mine = ClassDayFactory(site=site, date=dt.date(2026, 11, 10), start_time=dt.time(16, 30))
    cancelled = ClassDayFactory(site=site, date=dt.date(2026, 11, 12), status=ClassDayStatus.CANCELLED,
                                cancel_reason="台風接近のため休室")
    theirs = ClassDayFactory(site=other_site, date=dt.date(2026, 11, 10))
    content = staff_client.get(URL, {"month": "2026-11"}).content.decode()
    assert "2026年11月" in content
    # November 2026 starts on a Sunday: the first cell is the 1st.
    first_cell = content[content.index('<td class="cal-cell'):]
    assert '<span class="cal-day">1</span>' in first_cell[:300]
    assert f"/class-days/{mine.pk}/" in content
    assert "16:30" in content
    assert f"/class-days/{cancelled.pk}/" in content
    assert "cal-event--cancelled" in content
    assert "台風接近のため休室" in content
    assert f"/class-days/{theirs.pk}/" not in content
    assert "?month=2026-10" in content and "?month=2026-12" in content


def test_today_is_highlighted(staff_client):
    content = staff_client.get(URL).content.decode()
    assert content.count('aria-current="date"') == 1
    assert timezone.localdate().strftime("%Y年%-m月") in content


def test_htmx_month_change_returns_the_grid_only(staff_client, site):
    day = ClassDayFactory(site=site, date=dt.date(2027, 1, 14))
    response = staff_client.get(URL, {"month": "2027-01"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<section id="calendar"')
    assert f"/class-days/{day.pk}/" in content


def test_site_filter(staff, client, site):
    second = SiteFactory(name="未来応援教室ぱるスタ 岡部教室")
    staff.sites.add(second)
    client.force_login(staff)
    here = ClassDayFactory(site=site, date=dt.date(2026, 11, 10))
    there = ClassDayFactory(site=second, date=dt.date(2026, 11, 11))
    both = client.get(URL, {"month": "2026-11"}).content.decode()
    assert f"/class-days/{here.pk}/" in both and f"/class-days/{there.pk}/" in both
    assert 'class="cal-legend"' in both
    only = client.get(URL, {"month": "2026-11", "site": second.pk}).content.decode()
    assert f"/class-days/{here.pk}/" not in only and f"/class-days/{there.pk}/" in only


def test_another_sites_id_answers_404(staff_client, other_site):
    assert staff_client.get(URL, {"site": other_site.pk}).status_code == 404


def test_a_bad_month_falls_back_to_this_month(staff_client):
    content = staff_client.get(URL, {"month": "2026-13"}).content.decode()
    assert timezone.localdate().strftime("%Y年%-m月") in content


def test_calendar_query_count_does_not_grow_with_class_days(staff_client, site, count_queries):
    def build(total):
        start = dt.date(2026, 10, 1)
        for n in range(total):
            ClassDayFactory(site=site, date=start + dt.timedelta(days=n // 2), start_time=dt.time(10 + n % 2 * 6, 0))

    staff_client.get(URL)  # the session's first request writes it; measure the ones after
    build(5)
    with count_queries() as few:
        staff_client.get(URL, {"month": "2026-10"})
    build(50)
    with count_queries() as many:
        staff_client.get(URL, {"month": "2026-10"})
    assert few.count == many.count, many.sql


def test_staff_can_add_a_class_day_from_a_day_cell_coordinators_cannot(staff_client, coordinator, client):
    staff_page = staff_client.get(URL, {"month": "2026-11"}).content.decode()
    assert "/class-days/new/?date=2026-11-17" in staff_page
    client.force_login(coordinator)
    assert "/class-days/new/" not in client.get(URL, {"month": "2026-11"}).content.decode()
