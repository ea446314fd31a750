"""How a class day is held (group classroom, home-visit tutoring, online): chosen on the forms, shown
where class days are listed, carried by the API."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from classroom import rules
from classroom.exceptions import DomainError
from classroom.factories import ClassDayFactory, UserFactory
from classroom.models import ClassDay, ClassDayKind
from classroom.services import classdays as services
from tests.classroom.classdays.test_create_edit import NEW, form_data
from tests.classroom.classdays.test_series import URL as SERIES
from tests.classroom.classdays.test_series import form_data as series_data
from tests.edit_guards import open_form


def ja(choice) -> str:
    with translation.override("ja"):
        return str(choice.label)


def days_ahead(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_the_create_form_offers_the_kinds_with_group_checked(staff_client):
    html = staff_client.get(NEW).content.decode()
    for kind in ClassDayKind:
        assert f'value="{kind.value}"' in html and ja(kind) in html
    assert open_form(staff_client, NEW)["kind"] == "group"


@pytest.mark.parametrize("kind", ClassDayKind.values)
def test_staff_create_a_class_day_of_each_kind(staff_client, site, kind):
    assert staff_client.post(NEW, form_data(site, kind=kind)).status_code == 302
    assert ClassDay.objects.get().kind == kind


def test_a_client_that_sends_no_kind_makes_a_group_class(staff_client, site):
    staff_client.post(NEW, form_data(site))
    assert ClassDay.objects.get().kind == ClassDayKind.GROUP


def test_an_unknown_kind_is_refused_with_a_message_and_nothing_is_saved(staff_client, site):
    response = staff_client.post(NEW, form_data(site, kind="__no_such_kind__"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="field__error"' in html
    with translation.override("ja"):
        assert translation.gettext("Choose how the class day is held.") in html
    assert not ClassDay.objects.exists()


def test_editing_changes_the_kind_and_a_missing_kind_keeps_it(staff_client, site):
    day = ClassDayFactory(site=site, date=dt.date(2027, 5, 11))
    url = reverse("classroom:class_day_edit", args=[day.pk])
    data = open_form(staff_client, url)
    assert data["kind"] == "group"
    data["kind"] = "online"
    assert staff_client.post(url, data).status_code == 302
    day.refresh_from_db()
    assert day.kind == ClassDayKind.ONLINE
    data = open_form(staff_client, url)
    assert data["kind"] == "online"  # the form opens at the saved kind
    del data["kind"]
    data["note"] = "Zoomで実施"
    staff_client.post(url, data)
    day.refresh_from_db()
    assert (day.kind, day.note) == (ClassDayKind.ONLINE, "Zoomで実施")


def test_two_tabs_a_kind_saved_from_an_older_form_is_shown_not_overwritten(staff_client, site):
    colleague = Client()
    colleague.force_login(UserFactory(username="colleague", roles=[rules.STAFF], sites=[site]))
    day = ClassDayFactory(site=site, date=dt.date(2027, 5, 11))
    url = reverse("classroom:class_day_edit", args=[day.pk])
    mine, theirs = open_form(staff_client, url), open_form(colleague, url)
    mine["kind"] = "home_tutoring"
    assert staff_client.post(url, mine).status_code == 302
    theirs["kind"] = "online"
    response = colleague.post(url, theirs)
    assert response.status_code == 200
    day.refresh_from_db()
    assert day.kind == ClassDayKind.HOME_TUTORING
    rows = {row["name"]: (row["mine"], row["saved"]) for row in response.context["form"].conflict_rows}
    assert rows == {"kind": (ja(ClassDayKind.ONLINE), ja(ClassDayKind.HOME_TUTORING))}


def test_a_series_previews_and_creates_its_kind(staff_client, site):
    preview = staff_client.post(SERIES, series_data(site, kind="home_tutoring")).content.decode()
    assert ja(ClassDayKind.HOME_TUTORING) in preview[preview.index('id="series-preview"'):]
    assert '<input type="hidden" name="kind" value="home_tutoring">' in preview
    response = staff_client.post(SERIES, {**series_data(site, kind="home_tutoring"), "confirm": "1"})
    assert response.status_code == 302
    assert set(ClassDay.objects.values_list("kind", flat=True)) == {ClassDayKind.HOME_TUTORING}


def test_a_series_without_a_kind_is_a_group_series(staff_client, site):
    staff_client.post(SERIES, {**series_data(site), "confirm": "1"})
    assert set(ClassDay.objects.values_list("kind", flat=True)) == {ClassDayKind.GROUP}


def test_services_refuse_an_unknown_kind(site, staff):
    with pytest.raises(DomainError):
        services.class_day_create(site=site, date=dt.date(2027, 5, 11), start_time=dt.time(17), end_time=dt.time(19),
                                  kind="picnic", by=staff)
    day = ClassDayFactory(site=site)
    with pytest.raises(DomainError):
        services.class_day_update(class_day=day, date=day.date, start_time=day.start_time, end_time=day.end_time,
                                  kind="picnic", by=staff)
    assert not ClassDay.objects.filter(kind="picnic").exists()


def test_list_calendar_and_home_show_a_badge_only_for_other_kinds(staff_client, site):
    group = ClassDayFactory(site=site, date=days_ahead(1))
    online = ClassDayFactory(site=site, date=days_ahead(2), kind=ClassDayKind.ONLINE)
    home = ClassDayFactory(site=site, date=days_ahead(3), kind=ClassDayKind.HOME_TUTORING)
    html = staff_client.get("/class-days/").content.decode()

    def row(day):
        start = html.index(f'id="class-day-{day.pk}"')
        return html[start:html.index("</tr>", start)]

    assert "badge--kind" not in row(group)
    assert ja(ClassDayKind.ONLINE) in row(online) and "badge--kind-online" in row(online)
    assert ja(ClassDayKind.HOME_TUTORING) in row(home)
    calendar = staff_client.get("/class-days/calendar/", {"month": f"{days_ahead(2):%Y-%m}"}).content.decode()
    assert "badge--kind-online" in calendar
    assert "badge--kind-online" in staff_client.get("/staff/").content.decode()


def test_the_class_day_page_states_the_kind(coordinator_client, site):
    day = ClassDayFactory(site=site, kind=ClassDayKind.HOME_TUTORING)
    html = coordinator_client.get(f"/class-days/{day.pk}/").content.decode()
    assert f'<dd class="cd-kind cd-kind--home_tutoring">{ja(ClassDayKind.HOME_TUTORING)}</dd>' in html
    group = ClassDayFactory(site=site, date=day.date + dt.timedelta(days=1))
    assert ja(ClassDayKind.GROUP) in coordinator_client.get(f"/class-days/{group.pk}/").content.decode()


def test_the_volunteers_schedule_shows_an_online_day(volunteer_client, volunteer, site):
    from volunteers.factories import VolunteerFactory

    VolunteerFactory(user=volunteer, sites=[site])
    ClassDayFactory(site=site, date=days_ahead(2), kind=ClassDayKind.ONLINE)
    ClassDayFactory(site=site, date=days_ahead(3))
    html = volunteer_client.get(reverse("volunteers:home_volunteer")).content.decode()
    assert html.count('class="badge badge--kind ') == 1 and ja(ClassDayKind.ONLINE) in html


# --- The API -------------------------------------------------------------------------------------
API = "/api/classroom/class-days"


def test_the_api_lists_class_days_with_their_kind(staff_client, site, other_site):
    online = ClassDayFactory(site=site, date=dt.date(2027, 5, 11), kind=ClassDayKind.ONLINE)
    ClassDayFactory(site=site, date=dt.date(2027, 5, 12))
    ClassDayFactory(site=other_site, date=dt.date(2027, 5, 11), kind=ClassDayKind.ONLINE)
    data = staff_client.get(API).json()
    assert data["count"] == 2
    first = data["items"][0]
    assert first["id"] == online.pk and first["kind"] == "online" and first["date"] == "2027-05-11"
    assert first["start_time"] == "17:00:00" and first["site"] == {"id": site.pk, "name": site.name}
    assert first["kind_label"] in (ja(ClassDayKind.ONLINE), str(ClassDayKind.ONLINE.label))
    only_online = staff_client.get(API, {"kind": "online"}).json()
    assert [item["id"] for item in only_online["items"]] == [online.pk]
    assert staff_client.get(API, {"date_from": "2027-05-12"}).json()["count"] == 1
    assert staff_client.get(f"{API}/{online.pk}").json()["kind"] == "online"


def test_the_api_answers_bad_filters_in_words_and_other_sites_with_404(staff_client, other_site):
    for query in ({"kind": "picnic"}, {"date_from": "0001-01-01"}, {"date_to": "2026-02-30"}):
        response = staff_client.get(API, query)
        assert response.status_code == 422
        assert response.json()["detail"][0]["msg"]
    theirs = ClassDayFactory(site=other_site)
    assert staff_client.get(f"{API}/{theirs.pk}").status_code == 404


def test_volunteers_get_no_class_day_from_the_api(volunteer_client, site):
    day = ClassDayFactory(site=site)
    assert volunteer_client.get(API).json()["count"] == 0
    assert volunteer_client.get(f"{API}/{day.pk}").status_code == 404


def test_the_api_list_costs_the_same_queries_for_5_and_50_class_days(staff_client, site, count_queries):
    def measure():
        staff_client.get(API)
        with count_queries() as q:
            assert staff_client.get(API).status_code == 200
        return q.count

    def add(first: int, count: int):
        for offset in range(first, first + count):
            ClassDayFactory(site=site, date=dt.date(2027, 1, 1) + dt.timedelta(days=offset), kind=ClassDayKind.ONLINE)

    add(0, 5)
    at_5 = measure()
    add(5, 45)
    assert measure() == at_5
