"""The drop-in board: staff only, one tap to check in or out, the unregistered visitor count."""

import datetime as dt

import pytest
from django.utils import timezone

from classroom.factories import DropInFactory, SiteFactory, StudentFactory
from classroom.models import DropIn, DropInVisitorCount, StudentStatus

URL = "/drop-in/"


@pytest.fixture
def student(site):
    return StudentFactory(site=site, family_name="山田", given_name="陽向", family_name_kana="やまだ",
                          given_name_kana="ひなた", nickname="ひなちゃん")


@pytest.mark.parametrize("persona, expected", [("staff", 200), ("coordinator", 404), ("volunteer", 404),
                                               ("outsider", 404)])
def test_board_access_by_role(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == expected


@pytest.mark.parametrize("persona", ["coordinator", "volunteer", "outsider"])
def test_others_cannot_post(client, request, persona, student, site):
    client.force_login(request.getfixturevalue(persona))
    assert client.post("/drop-in/check-in/", {"student": student.pk}).status_code == 404
    assert client.post("/drop-in/visitors/", {"site": site.pk, "delta": "1"}).status_code == 404
    assert not DropIn.objects.exists() and not DropInVisitorCount.objects.exists()


def test_board_lists_active_students_in_kana_order_and_who_is_here(staff_client, site, student):
    StudentFactory(site=site, family_name="青木", given_name="蓮", family_name_kana="アオキ", given_name_kana="レン")
    StudentFactory(site=site, family_name="休止", given_name="中", status=StudentStatus.PAUSED)
    StudentFactory(site=SiteFactory(name="よその教室"), family_name="別所")
    DropInFactory(student=student, checked_in_at=dt.time(15, 30))
    content = staff_client.get(URL).content.decode()
    listed = content[content.index('id="dropin-list"'):]
    assert listed.index("青木 蓮") < listed.index("山田 陽向")
    assert "休止" not in content and "別所" not in content
    here = content[content.index('id="dropin-presence"'):content.index('id="dropin-visitors"')]
    assert "山田 陽向" in here and "15:30" in here
    assert f'id="dropin-student-{student.pk}"' in content


def test_came_and_left_today_is_listed(staff_client, site, student):
    DropInFactory(student=student, checked_in_at=dt.time(13, 0), checked_out_at=dt.time(14, 15))
    DropInFactory(student=student, date=timezone.localdate() - dt.timedelta(days=1), checked_in_at=dt.time(9, 0))
    content = staff_client.get(URL).content.decode()
    presence = content[content.index('id="dropin-presence"'):content.index('id="dropin-visitors"')]
    assert "13:00–14:15" in presence
    assert "09:00" not in content


def test_site_selector_and_another_sites_board(staff, client, site, other_site):
    second = SiteFactory(name="未来応援教室ぱるスタ 岡部教室")
    staff.sites.add(second)
    there = StudentFactory(site=second, family_name="岡部")
    client.force_login(staff)
    content = client.get(URL, {"site": second.pk}).content.decode()
    assert f"?site={site.pk}" in content
    assert f'id="dropin-student-{there.pk}"' in content
    assert client.get(URL, {"site": other_site.pk}).status_code == 404


def test_search_without_javascript_hides_the_others(staff_client, site, student):
    other = StudentFactory(site=site, family_name="青木", family_name_kana="アオキ")
    content = staff_client.get(URL, {"q": "やまだ"}).content.decode()
    assert f'id="dropin-student-{student.pk}" class="dropin-row" data-search=' in content
    row_other = content[content.index(f'id="dropin-student-{other.pk}"'):]
    assert row_other[: row_other.index(">")].endswith(" hidden")
    row_student = content[content.index(f'id="dropin-student-{student.pk}"'):]
    assert not row_student[: row_student.index(">")].endswith(" hidden")
    assert "ヤマダ" in content  # the reading is stored in katakana and searched as such


def test_htmx_board_fragment(staff_client, student):
    content = staff_client.get(URL, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="board"')


def test_check_in_with_htmx_swaps_the_row_and_the_presence(staff_client, student):
    response = staff_client.post("/drop-in/check-in/", {"student": student.pk}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<li id="dropin-student-{student.pk}" class="dropin-row dropin-row--here"')
    assert 'id="dropin-presence"' in content and 'hx-swap-oob="true"' in content
    assert "/drop-in/check-out/" in content
    assert DropIn.objects.get().checked_out_at is None
    # A double tap changes nothing.
    staff_client.post("/drop-in/check-in/", {"student": student.pk}, HTTP_HX_REQUEST="true")
    assert DropIn.objects.count() == 1


def test_check_out_and_in_again_without_javascript(staff_client, student, site):
    response = staff_client.post("/drop-in/check-in/", {"student": student.pk})
    assert response.status_code == 302 and response["Location"] == f"/drop-in/?site={site.pk}"
    staff_client.post("/drop-in/check-out/", {"student": student.pk})
    assert DropIn.objects.get().checked_out_at is not None
    staff_client.post("/drop-in/check-in/", {"student": student.pk})
    assert DropIn.objects.count() == 2


def test_check_out_of_a_child_not_here_shows_the_error_in_the_row(staff_client, student):
    response = staff_client.post("/drop-in/check-out/", {"student": student.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not DropIn.objects.exists()


def test_another_sites_child_answers_404(staff_client, other_site):
    theirs = StudentFactory(site=other_site)
    assert staff_client.post("/drop-in/check-in/", {"student": theirs.pk}).status_code == 404
    assert staff_client.post("/drop-in/check-in/", {"student": "x"}).status_code == 404
    assert not DropIn.objects.exists()


def test_check_in_needs_post(staff_client, student):
    assert staff_client.get("/drop-in/check-in/", {"student": student.pk}).status_code == 405


def test_visitor_count_buttons(staff_client, site, other_site):
    response = staff_client.post("/drop-in/visitors/", {"site": site.pk, "delta": "1"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="dropin-visitors"')
    assert '<output class="dropin-visitors__count" id="dropin-visitor-count" aria-live="polite">1</output>' in content
    staff_client.post("/drop-in/visitors/", {"site": site.pk, "delta": "-1"})
    response = staff_client.post("/drop-in/visitors/", {"site": site.pk, "delta": "-1"})
    assert response.status_code == 302
    assert DropInVisitorCount.objects.get(site=site).count == 0
    assert staff_client.post("/drop-in/visitors/", {"site": site.pk, "delta": "7"}).status_code == 404
    assert staff_client.post("/drop-in/visitors/", {"site": other_site.pk, "delta": "1"}).status_code == 404
    assert DropInVisitorCount.objects.get(site=site).count == 0
    assert not DropInVisitorCount.objects.filter(site=other_site).exists()


def test_board_shows_todays_visitor_count(staff_client, site):
    DropInVisitorCount.objects.create(site=site, date=timezone.localdate(), count=3)
    DropInVisitorCount.objects.create(site=site, date=timezone.localdate() - dt.timedelta(days=1), count=9)
    content = staff_client.get(URL).content.decode()
    assert 'aria-live="polite">3</output>' in content


def test_board_query_count_does_not_grow_with_students(staff_client, site, count_queries):
    def build(total):
        for n in range(total):
            student = StudentFactory(site=site)
            if n % 3 == 0:
                DropInFactory(student=student, checked_out_at=dt.time(16, 0) if n % 2 else None)

    staff_client.get(URL)  # the session's first request writes it; measure the ones after
    build(5)
    with count_queries() as few:
        staff_client.get(URL)
    build(45)
    with count_queries() as many:
        staff_client.get(URL)
    assert few.count == many.count, many.sql


def test_the_board_polls_for_what_another_tablet_changed(staff_client, site, student):
    content = staff_client.get(URL).content.decode()
    assert f'hx-get="/drop-in/?site={site.pk}&amp;live=1"' in content and 'hx-trigger="every 30s' in content
    # Another tablet checks the child in and counts a visitor.
    DropInFactory(student=student, site=site, checked_out_at=None)
    DropInVisitorCount.objects.create(site=site, date=timezone.localdate(), count=2)
    response = staff_client.get(URL, {"site": site.pk, "live": "1", "q": "あおき"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert content.count('hx-swap-oob="true"') == 3  # the presence, the visitors, the one row
    assert f'id="dropin-student-{student.pk}" class="dropin-row dropin-row--here"' in content
    row = content[content.index(f'id="dropin-student-{student.pk}"'):]
    assert " hidden" in row[: row.index(">")]  # the search typed on this tablet still applies
    assert 'aria-live="polite">2</output>' in content


def test_live_refresh_is_staff_only(client, request, site):
    client.force_login(request.getfixturevalue("coordinator"))
    assert client.get(URL, {"site": site.pk, "live": "1"}, HTTP_HX_REQUEST="true").status_code == 404
