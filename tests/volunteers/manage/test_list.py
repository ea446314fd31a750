"""The volunteer list: search, filters (the 30-day expiry boundary), fragment, access, query budget."""

import datetime as dt

import pytest
from django.urls import reverse

from classroom import rules
from classroom.factories import UserFactory
from volunteers.factories import VolunteerFactory
from volunteers.models import EXPIRY_WARNING_DAYS

from .conftest import volunteers_at

URL = reverse("volunteers:volunteer_list")


def names_in(response) -> list[str]:
    return [str(row.record) for row in response.context["table"].paginated_rows]


def make(site, last, first, **kwargs):
    user = UserFactory(last_name=last, first_name=first, roles=[rules.VOLUNTEER])
    return VolunteerFactory(user=user, sites=[site], **kwargs)


def test_full_page_lists_only_volunteers_of_my_sites(staff_client, tutor, other_tutor):
    response = staff_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="volunteer-filter"' in html and 'hx-push-url="true"' in html
    assert names_in(response) == ["鈴木 一郎"]
    assert "余所" not in html
    assert reverse("volunteers:volunteer_detail", args=[tutor.pk]) in html


def test_coordinator_sees_the_list_too(coordinator_client, tutor):
    assert names_in(coordinator_client.get(URL)) == ["鈴木 一郎"]


def test_htmx_gets_the_table_fragment(staff_client, tutor):
    response = staff_client.get(URL, {"q": "鈴木"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="volunteer-table")
    html = response.content.decode()
    assert "<html" not in html and 'id="volunteer-filter"' not in html
    assert html.lstrip().startswith('<section id="volunteer-table"')
    assert "鈴木 一郎" in html


def test_search_by_name_and_username(staff_client, site, tutor):
    make(site, "佐藤", "花")
    assert names_in(staff_client.get(URL, {"q": "一郎"})) == ["鈴木 一郎"]
    assert names_in(staff_client.get(URL, {"q": "suzuki"})) == ["鈴木 一郎"]
    assert names_in(staff_client.get(URL, {"q": "佐藤"})) == ["佐藤 花"]
    assert names_in(staff_client.get(URL, {"q": "山本"})) == []


def test_kind_subject_level_and_active_filters(staff_client, site, tutor):
    make(site, "英語", "中学", kind="university_student", teaching=[("english", "junior_high")])
    make(site, "数学", "中学", kind="working_adult", teaching=[("maths", "junior_high")], is_active=False)
    assert names_in(staff_client.get(URL, {"kind": "university_student"})) == ["英語 中学"]
    assert names_in(staff_client.get(URL, {"subject": "english"})) == ["英語 中学"]
    assert sorted(names_in(staff_client.get(URL, {"subject": "maths", "level": "junior_high"}))) == ["数学 中学", "鈴木 一郎"]
    # The same subject at that level: English is not taught at high school by anyone.
    assert names_in(staff_client.get(URL, {"subject": "english", "level": "high_school"})) == []
    assert names_in(staff_client.get(URL, {"level": "high_school"})) == ["鈴木 一郎"]
    assert names_in(staff_client.get(URL, {"active": "no"})) == ["数学 中学"]
    assert "数学 中学" not in names_in(staff_client.get(URL, {"active": "yes"}))


def test_site_filter_offers_only_my_sites(staff_client, staff, site, other_site, tutor, other_tutor):
    response = staff_client.get(URL, {"site": other_site.pk})
    assert response.context["filter"].errors  # not a choice for this user
    staff.sites.add(other_site)
    assert names_in(staff_client.get(URL, {"site": other_site.pk})) == ["余所 花子"]


def test_paperwork_filter_at_the_30_day_boundary(staff_client, site, today):
    warn = dt.timedelta(days=EXPIRY_WARNING_DAYS)
    make(site, "期限", "ちょうど", insurance_expires_on=today + warn)
    make(site, "期限", "翌日", insurance_expires_on=today + warn + dt.timedelta(days=1))
    make(site, "期限", "切れ", insurance_expires_on=today - dt.timedelta(days=1))
    make(site, "誓約", "なし", pledge_signed_on=None)
    make(site, "保険", "なし", insurance_expires_on=None)
    shown = names_in(staff_client.get(URL, {"paperwork": "attention"}))
    assert sorted(shown) == sorted(["期限 ちょうど", "期限 切れ", "誓約 なし", "保険 なし"])
    html = staff_client.get(URL).content.decode()
    assert "badge--warn" in html and "badge--danger" in html


def test_sort_and_pagination(staff_client, site):
    volunteers_at(site, 30)
    response = staff_client.get(URL)
    assert len(names_in(response)) == 25
    assert len(names_in(staff_client.get(URL, {"page": 2}))) == 5
    assert staff_client.get(URL, {"sort": "-max_children"}).status_code == 200
    assert staff_client.get(URL, {"page": "x"}).status_code == 200


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_other_roles_get_404(client, request, persona, tutor):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_query_budget_is_the_same_at_5_and_50_rows(staff_client, site, count_queries):
    staff_client.get(URL)  # warm-up: the session is saved on the first request
    volunteers_at(site, 5)
    with count_queries() as five:
        staff_client.get(URL, {"per_page": 50})
    volunteers_at(site, 45)
    with count_queries() as fifty:
        staff_client.get(URL)
    assert five.count == fifty.count, fifty.sql
