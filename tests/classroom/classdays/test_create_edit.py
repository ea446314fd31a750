"""Creating one class day and editing it: staff only, with Japanese validation."""

import datetime as dt

import pytest

from classroom.factories import ClassDayFactory
from classroom.models import ClassDay

NEW = "/class-days/new/"


def form_data(site, **overrides):
    return {"site": site.pk, "date": "2027-05-11", "start_time": "17:00", "end_time": "19:00", "note": "", **overrides}


@pytest.mark.parametrize("persona, expected", [("staff", 200), ("coordinator", 404), ("volunteer", 404),
                                               ("outsider", 404)])
def test_create_access_by_role(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == expected


def test_coordinator_cannot_post_a_class_day(coordinator_client, site):
    assert coordinator_client.post(NEW, form_data(site)).status_code == 404
    assert not ClassDay.objects.exists()


def test_create_page_prefills_date_and_site(staff_client, site):
    content = staff_client.get(NEW, {"date": "2027-05-11", "site": site.pk}).content.decode()
    assert 'value="2027-05-11"' in content
    assert f'<option value="{site.pk}" selected>' in content


def test_staff_creates_a_class_day(staff_client, site):
    response = staff_client.post(NEW, form_data(site, note="体験活動の打ち合わせ"))
    day = ClassDay.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/class-days/{day.pk}/"
    assert (day.site, day.date, day.start_time, day.note) == (site, dt.date(2027, 5, 11), dt.time(17, 0),
                                                            "体験活動の打ち合わせ")


def test_end_before_start_is_refused_and_nothing_is_saved(staff_client, site):
    response = staff_client.post(NEW, form_data(site, end_time="16:00"))
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    assert not ClassDay.objects.exists()


def test_a_taken_slot_gets_a_clear_message(staff_client, site):
    ClassDayFactory(site=site, date=dt.date(2027, 5, 11))
    response = staff_client.post(NEW, form_data(site))
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    assert ClassDay.objects.count() == 1


def test_another_sites_id_is_not_a_choice(staff_client, other_site):
    response = staff_client.post(NEW, form_data(other_site))
    assert response.status_code == 200
    assert not ClassDay.objects.exists()


def test_htmx_invalid_returns_the_form_fragment(staff_client, site):
    response = staff_client.post(NEW, form_data(site, date="2027-13-40"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith('<form id="class-day-form"')
    assert not ClassDay.objects.exists()


def test_htmx_valid_redirects_on_the_client(staff_client, site):
    response = staff_client.post(NEW, form_data(site), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"/class-days/{ClassDay.objects.get().pk}/"


@pytest.fixture
def class_day(site):
    return ClassDayFactory(site=site, date=dt.date(2027, 5, 11))


@pytest.mark.parametrize("persona, expected", [("staff", 200), ("coordinator", 404), ("volunteer", 404),
                                               ("outsider", 404)])
def test_edit_access_by_role(client, request, class_day, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/class-days/{class_day.pk}/edit/").status_code == expected


def test_edit_of_another_sites_class_day_answers_404(staff_client, other_site):
    theirs = ClassDayFactory(site=other_site)
    assert staff_client.get(f"/class-days/{theirs.pk}/edit/").status_code == 404
    assert staff_client.post(f"/class-days/{theirs.pk}/edit/", {"date": "2027-05-12"}).status_code == 404


def test_staff_edits_a_class_day(staff_client, class_day):
    page = staff_client.get(f"/class-days/{class_day.pk}/edit/").content.decode()
    assert 'value="2027-05-11"' in page and 'value="17:00"' in page
    response = staff_client.post(f"/class-days/{class_day.pk}/edit/",
                                 {"date": "2027-05-12", "start_time": "16:00", "end_time": "18:30", "note": "会場変更"})
    assert response.status_code == 302
    class_day.refresh_from_db()
    assert (class_day.date, class_day.start_time, class_day.end_time, class_day.note) == (
        dt.date(2027, 5, 12), dt.time(16, 0), dt.time(18, 30), "会場変更")


def test_invalid_edit_changes_nothing(staff_client, class_day):
    response = staff_client.post(f"/class-days/{class_day.pk}/edit/",
                                 {"date": "2027-05-12", "start_time": "18:00", "end_time": "17:00"},
                                 HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    class_day.refresh_from_db()
    assert class_day.date == dt.date(2027, 5, 11)


@pytest.mark.parametrize("value", ["²", "١", "abc", "-1", "99999999999999999999"])
def test_a_site_prefill_that_is_no_plain_number_falls_back_to_the_first_site(staff_client, site, value):
    """``str.isdigit`` takes a superscript or Arabic-Indic digit for a digit; the database does not."""
    response = staff_client.get("/class-days/new/", {"site": value})
    assert response.status_code in (200, 400)  # 400: the hostile-input guard refuses a 20-digit number
    if response.status_code == 200:
        assert response.context["form"].initial["site"] == site
