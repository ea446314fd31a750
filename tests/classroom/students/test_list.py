"""The student list: search, filters, sort, pagination, HTMX fragment, columns per role, query budget."""

import pytest
from django.urls import reverse

from classroom.factories import StudentFactory
from classroom.grades import Grade
from classroom.models import EnrollmentReason, StudentStatus

from .conftest import assert_no_sensitive, labels

URL = reverse("classroom:student_list")


def names_in(response) -> list[str]:
    return [row.record.full_name for row in response.context["table"].paginated_rows]


def test_staff_sees_full_page_in_kana_order(staff_client, site, other_site):
    StudentFactory(site=site, family_name="渡辺", given_name="翔", family_name_kana="ワタナベ", given_name_kana="ショウ")
    StudentFactory(site=site, family_name="阿部", given_name="葵", family_name_kana="アベ", given_name_kana="アオイ")
    StudentFactory(site=site, family_name="加藤", given_name="陽", family_name_kana="カトウ", given_name_kana="ヒナタ")
    StudentFactory(site=other_site, family_name="他所", given_name="子", family_name_kana="ヨソ", given_name_kana="コ")
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert names_in(response) == ["阿部 葵", "加藤 陽", "渡辺 翔"]
    html = response.content.decode()
    assert 'id="student-filter"' in html and 'hx-push-url="true"' in html
    assert "<html" in html
    assert "アベ アオイ" in html  # kana under the name
    assert "他所" not in html


def test_htmx_request_gets_only_the_table_fragment(staff_client, site):
    StudentFactory(site=site, family_name="阿部", given_name="葵", family_name_kana="アベ", given_name_kana="アオイ")
    response = staff_client.get(URL, {"q": "あべ"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="student-table")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="student-filter"' not in html
    assert html.lstrip().startswith('<section id="student-table"')
    assert "阿部 葵" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_history_restore_gets_the_whole_page(staff_client, site):
    response = staff_client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()
    boosted = staff_client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true", HTTP_HX_TARGET="main")
    assert "<html" in boosted.content.decode()  # a boosted link from elsewhere swaps in the whole page


def test_search_with_hiragana_matches_katakana_reading(staff_client, site):
    StudentFactory(site=site, family_name="佐々木", given_name="蓮", family_name_kana="ササキ", given_name_kana="レン")
    StudentFactory(site=site, family_name="中村", given_name="結衣", family_name_kana="ナカムラ", given_name_kana="ユイ",
                   nickname="ゆいちゃん")
    assert names_in(staff_client.get(URL, {"q": "ささき"})) == ["佐々木 蓮"]
    assert names_in(staff_client.get(URL, {"q": "ささき れん"})) == ["佐々木 蓮"]
    assert names_in(staff_client.get(URL, {"q": "中村"})) == ["中村 結衣"]
    assert names_in(staff_client.get(URL, {"q": "ゆいちゃん"})) == ["中村 結衣"]
    assert names_in(staff_client.get(URL, {"q": "やまもと"})) == []


def test_grade_filter_uses_the_grade_derived_from_birth_date(staff_client, site):
    StudentFactory(site=site, family_name="一年", given_name="生", family_name_kana="イチネン", given_name_kana="セイ",
                   school_grade=Grade.J1)
    StudentFactory(site=site, family_name="三年", given_name="生", family_name_kana="サンネン", given_name_kana="セイ",
                   school_grade=Grade.J3)
    StudentFactory(site=site, family_name="留年", given_name="生", family_name_kana="リュウネン", given_name_kana="セイ",
                   school_grade=Grade.H1, grade_override=Grade.J3)
    assert names_in(staff_client.get(URL, {"grade": Grade.J1})) == ["一年 生"]
    assert names_in(staff_client.get(URL, {"grade": Grade.J3})) == ["三年 生", "留年 生"]


def test_status_and_site_filters(staff_client, staff, site, other_site):
    staff.sites.add(other_site)
    StudentFactory(site=site, family_name="在籍", given_name="中", family_name_kana="ザイセキ", given_name_kana="チュウ")
    StudentFactory(site=site, family_name="休止", given_name="中", family_name_kana="キュウシ", given_name_kana="チュウ",
                   status=StudentStatus.PAUSED)
    StudentFactory(site=other_site, family_name="別", given_name="教室", family_name_kana="ベツ", given_name_kana="キョウシツ")
    assert names_in(staff_client.get(URL, {"status": StudentStatus.PAUSED})) == ["休止 中"]
    assert names_in(staff_client.get(URL, {"site": other_site.pk})) == ["別 教室"]


def test_site_filter_offers_only_the_users_sites(coordinator_client, other_site):
    html = coordinator_client.get(URL).content.decode()
    assert other_site.name not in html
    response = coordinator_client.get(URL, {"site": other_site.pk})
    assert response.context["filter"].errors  # not a valid choice: refused, not applied to another site


def test_reason_filter_for_staff(staff_client, site):
    StudentFactory(site=site, family_name="保護", given_name="一", family_name_kana="ホゴ", given_name_kana="イチ",
                   reasons=[EnrollmentReason.PUBLIC_ASSISTANCE, EnrollmentReason.LOW_ACHIEVEMENT])
    StudentFactory(site=site, family_name="不登", given_name="二", family_name_kana="フト", given_name_kana="ニ",
                   reasons=[EnrollmentReason.NON_ATTENDANCE])
    response = staff_client.get(URL, {"reason": EnrollmentReason.PUBLIC_ASSISTANCE})
    assert names_in(response) == ["保護 一"]
    html = response.content.decode()
    assert 'name="reason"' in html
    assert any(label in html for label in labels(EnrollmentReason.LOW_ACHIEVEMENT))  # the staff-only reasons column


def test_coordinator_has_no_reason_filter_nor_column(coordinator_client, student, site):
    StudentFactory(site=site, family_name="不登", given_name="二", family_name_kana="フト", given_name_kana="ニ",
                   reasons=[EnrollmentReason.NON_ATTENDANCE])
    response = coordinator_client.get(URL, {"reason": EnrollmentReason.NON_ATTENDANCE})
    html = response.content.decode()
    assert response.status_code == 200
    assert "reason" not in response.context["filter"].form.fields
    assert 'name="reason"' not in html
    assert "reasons" not in [c.name for c in response.context["table"].columns]
    # The ignored reason filter does not narrow the list: it would reveal who has that reason.
    assert len(names_in(response)) == 2
    assert_no_sensitive(html)
    assert "student_export" not in html and reverse("classroom:student_export") not in html
    fragment = coordinator_client.get(URL, {"q": "やまだ"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="student-table").content.decode()
    assert "山田 花子" in fragment
    assert_no_sensitive(fragment)


def test_sort_by_column_and_reverse(staff_client, site):
    StudentFactory(site=site, family_name="阿部", given_name="葵", family_name_kana="アベ", given_name_kana="アオイ",
                   school="深谷市立南中学校")
    StudentFactory(site=site, family_name="渡辺", given_name="翔", family_name_kana="ワタナベ", given_name_kana="ショウ",
                   school="深谷市立上柴中学校")
    assert names_in(staff_client.get(URL, {"sort": "-name"})) == ["渡辺 翔", "阿部 葵"]
    response = staff_client.get(URL, {"sort": "school"})
    assert [r.record.school for r in response.context["table"].paginated_rows] == sorted(["深谷市立南中学校", "深谷市立上柴中学校"])
    assert 'aria-sort="ascending"' in response.content.decode()


def test_sort_by_grade_follows_school_years(staff_client, site):
    for grade, name in [(Grade.H1, "高一"), (Grade.J1, "中一"), (Grade.J3, "中三")]:
        StudentFactory(site=site, family_name=name, given_name="生", family_name_kana="セイト", given_name_kana="ア",
                       school_grade=grade)
    assert names_in(staff_client.get(URL, {"sort": "grade"})) == ["中一 生", "中三 生", "高一 生"]
    assert names_in(staff_client.get(URL, {"sort": "-grade"})) == ["高一 生", "中三 生", "中一 生"]


def test_pages_of_25(staff_client, site):
    StudentFactory.create_batch(30, site=site)
    first = staff_client.get(URL)
    assert len(names_in(first)) == 25
    second = staff_client.get(URL, {"page": 2})
    assert len(names_in(second)) == 5
    pks = [r.record.pk for r in first.context["table"].paginated_rows]
    pks += [r.record.pk for r in second.context["table"].paginated_rows]
    assert len(set(pks)) == 30
    assert staff_client.get(URL, {"page": 99}).status_code == 200
    assert staff_client.get(URL, {"page": "x"}).status_code == 200


@pytest.mark.parametrize("client_fixture", ["volunteer_client", "outsider_client"])
def test_volunteer_and_outsider_get_404(request, client_fixture, student):
    client = request.getfixturevalue(client_fixture)
    assert client.get(URL).status_code == 404
    assert client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="student-table").status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _list_queries(client, count_queries, **extra):
    client.get(URL)  # the first request of a session also writes the session: keep it out of the count
    with count_queries() as q:
        response = client.get(URL, {"q": ""}, **extra)
    assert response.status_code == 200
    return q.count


@pytest.mark.parametrize("client_fixture", ["staff_client", "coordinator_client"])
@pytest.mark.parametrize("htmx", [False, True])
def test_query_budget_is_the_same_at_5_and_50_students(request, client_fixture, htmx, site, staff, count_queries):
    client = request.getfixturevalue(client_fixture)
    extra = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "student-table"} if htmx else {}
    StudentFactory.create_batch(5, site=site, staff_in_charge=staff, reasons=[EnrollmentReason.NEEDY])
    at_5 = _list_queries(client, count_queries, **extra)
    StudentFactory.create_batch(45, site=site, staff_in_charge=staff, reasons=[EnrollmentReason.NEEDY, EnrollmentReason.OTHER])
    at_50 = _list_queries(client, count_queries, **extra)
    assert at_5 == at_50
