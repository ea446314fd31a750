"""The data page (the staff administrator's home), its downloads, who may open them, and where they are
linked from: the staff home's card and the student page's section, shown to staff administrators only."""

import pytest
from django.urls import reverse

from classroom import rules
from classroom.factories import StudentFactory, UserFactory
from classroom.models import AccessLog


@pytest.fixture
def child(site):
    return StudentFactory(site=site, family_name="秋山", given_name="陽菜", family_name_kana="アキヤマ",
                          given_name_kana="ヒナ")


def urls(child):
    return [("get", reverse("dataio:data_home")), ("post", reverse("dataio:export_download")),
            ("post", reverse("dataio:subject_access_download", args=[child.pk]))]


@pytest.mark.parametrize("persona", ["staff", "coordinator", "volunteer", "outsider"])
def test_anyone_but_a_staff_administrator_gets_404(client, request, child, persona):
    client.force_login(request.getfixturevalue(persona))
    for method, url in urls(child):
        assert getattr(client, method)(url).status_code == 404, url
    assert not AccessLog.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, child):
    for method, url in urls(child):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_downloads_take_a_post(client, staff_admin, child):
    client.force_login(staff_admin)
    assert client.get(reverse("dataio:export_download")).status_code == 405
    assert client.get(reverse("dataio:subject_access_download", args=[child.pk])).status_code == 405
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("roles,superuser", [([rules.STAFF_ADMIN], False), ([], True)])
def test_a_staff_administrator_without_the_staff_role_and_a_superuser_may(client, site, child, roles, superuser):
    user = UserFactory(roles=roles, is_superuser=superuser)
    client.force_login(user)
    assert client.get(reverse("dataio:data_home")).status_code == 200
    response = client.post(reverse("dataio:subject_access_download", args=[child.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)


def test_a_staff_administrators_home_is_the_data_page(client, site):
    client.force_login(UserFactory(roles=[rules.STAFF_ADMIN]))
    assert client.get(reverse("classroom:home")).url == reverse("dataio:data_home")


def test_staff_who_administer_land_on_the_staff_home_with_a_card_to_the_data_page(client, staff_admin, staff):
    client.force_login(staff_admin)
    assert client.get(reverse("classroom:home")).url == reverse("classroom:home_staff")
    assert reverse("dataio:data_home") in client.get(reverse("classroom:home_staff")).content.decode()
    client.force_login(staff)
    assert reverse("dataio:data_home") not in client.get(reverse("classroom:home_staff")).content.decode()


def test_the_student_page_offers_the_childs_export_to_staff_administrators_only(client, staff_admin, staff, child):
    url = reverse("dataio:subject_access_download", args=[child.pk])
    client.force_login(staff_admin)
    page = client.get(reverse("classroom:student_detail", args=[child.pk])).content.decode()
    assert f'action="{url}"' in page
    client.force_login(staff)
    assert url not in client.get(reverse("classroom:student_detail", args=[child.pk])).content.decode()


def test_the_data_page_finds_a_child_of_any_site(client, staff_admin, child, other_site):
    elsewhere = StudentFactory(site=other_site, family_name="秋山", given_name="蒼太")
    StudentFactory(site=other_site, family_name="別所", given_name="大翔")
    client.force_login(staff_admin)
    page = client.get(reverse("dataio:data_home")).content.decode()
    assert "データの取込・書出し" in page and "陽菜" not in page  # nobody listed before a search
    for query in ("秋山", "アキヤマ　ヒナ", "akiyama"):
        page = client.get(reverse("dataio:data_home"), {"q": query}).content.decode()
        if query == "akiyama":
            assert "該当する子どもはいません" in page
            continue
        assert reverse("dataio:subject_access_download", args=[child.pk]) in page
        assert "大翔" not in page
    page = client.get(reverse("dataio:data_home"), {"q": "秋山"}).content.decode()
    assert reverse("dataio:subject_access_download", args=[elsewhere.pk]) in page


@pytest.mark.parametrize("query", ["x" * 5000, "%", "_", "' OR 1=1 --", "\u3000", "🙂" * 60])
def test_a_hostile_search_answers_a_page(client, staff_admin, child, query):
    client.force_login(staff_admin)
    assert client.get(reverse("dataio:data_home"), {"q": query}).status_code == 200


def test_the_search_costs_the_same_for_5_and_50_children(client, staff_admin, site, count_queries):
    client.force_login(staff_admin)
    counts = []
    for n in (5, 50):
        StudentFactory.create_batch(n - len(counts) * 5, site=site, family_name="秋山")
        client.get(reverse("dataio:data_home"), {"q": "秋山"})
        with count_queries() as queries:
            client.get(reverse("dataio:data_home"), {"q": "秋山"})
        counts.append(queries.count)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("pk", ["0", "999999", "9223372036854775807"])
def test_a_child_that_does_not_exist_is_404(client, staff_admin, child, pk):
    client.force_login(staff_admin)
    assert client.post(f"/data/children/{pk}/export/").status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("pk", ["99999999999999999999", "-1", "1.0", "abc", "%00"])
def test_a_hostile_child_id_never_reaches_the_database(client, staff_admin, child, pk):
    client.force_login(staff_admin)
    assert client.post(f"/data/children/{pk}/export/").status_code in {400, 404}
    assert not AccessLog.objects.exists()
