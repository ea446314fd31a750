"""A series of class days: the first submit previews, the confirmation creates."""

import datetime as dt

import pytest

from classroom.factories import ClassDayFactory
from classroom.models import ClassDay

URL = "/class-days/series/"


def form_data(site, **overrides):
    return {
        "site": site.pk, "weekdays": ["1", "3"], "start_date": "2027-04-01", "end_date": "2027-07-31",
        "start_time": "17:00", "end_time": "19:00", "holidays": "2027/04/29 昭和の日\n２０２７－０５－０４\n",
        **overrides,
    }


@pytest.mark.parametrize("persona, expected", [("staff", 200), ("coordinator", 404), ("volunteer", 404),
                                               ("outsider", 404)])
def test_series_access_by_role(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == expected


def test_coordinator_cannot_post_a_series(coordinator_client, site):
    assert coordinator_client.post(URL, {**form_data(site), "confirm": "1"}).status_code == 404
    assert not ClassDay.objects.exists()


def test_preview_lists_dates_skipped_and_existing_and_creates_nothing(staff_client, site):
    ClassDayFactory(site=site, date=dt.date(2027, 4, 6))
    response = staff_client.post(URL, form_data(site))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="series-preview"' in content
    assert content.count("<li><s>") == 2  # 4/29 and 5/4, both skipped
    preview = content[content.index('id="series-preview"'):]
    assert preview.count("<li>") == 35  # 32 new + 2 skipped + 1 existing
    assert 'name="confirm"' in content
    assert ClassDay.objects.count() == 1


def test_confirm_creates_the_series_and_goes_to_the_calendar(staff_client, site):
    ClassDayFactory(site=site, date=dt.date(2027, 4, 6))
    response = staff_client.post(URL, {**form_data(site, holidays="2027-04-29, 2027-05-04"), "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/class-days/calendar/?month=2027-04&site={site.pk}"
    dates = set(ClassDay.objects.values_list("date", flat=True))
    assert len(dates) == 33
    assert dt.date(2027, 4, 29) not in dates and dt.date(2027, 5, 4) not in dates
    assert ClassDay.objects.filter(date=dt.date(2027, 4, 6)).count() == 1
    # A second confirmation (a double submit) creates nothing more.
    staff_client.post(URL, {**form_data(site), "confirm": "1"})
    assert ClassDay.objects.count() == 33


def test_confirm_revalidates(staff_client, site):
    response = staff_client.post(URL, {**form_data(site, end_date="2028-05-01"), "confirm": "1"})
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    assert not ClassDay.objects.exists()


@pytest.mark.parametrize("overrides", [
    {"weekdays": []},
    {"end_date": "2027-03-01"},
    {"end_date": "2028-04-01"},
    {"end_time": "16:00"},
    {"holidays": "4月29日"},
    {"weekdays": ["9"]},
])
def test_invalid_series_shows_errors_and_no_preview(staff_client, site, overrides):
    response = staff_client.post(URL, {**form_data(site, **overrides), "confirm": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="field__error"' in content
    assert 'id="series-preview"' not in content
    assert not ClassDay.objects.exists()


def test_another_sites_id_is_refused(staff_client, other_site):
    response = staff_client.post(URL, {**form_data(other_site), "confirm": "1"})
    assert response.status_code == 200
    assert not ClassDay.objects.exists()


def test_htmx_preview_returns_the_series_fragment(staff_client, site):
    response = staff_client.post(URL, form_data(site), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="series" class="cd-series">')
    assert 'id="series-preview"' in content
    # The confirmation carries the values, with the skipped dates normalised.
    assert 'name="holidays" value="2027-04-29, 2027-05-04"' in content
    assert 'name="start_time" value="17:00"' in content
    assert not ClassDay.objects.exists()
