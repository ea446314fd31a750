"""Partners: list, page with the history of activities, create and edit; staff and coordinators only."""

import pytest
from django.urls import reverse

from activities.factories import ActivityFactory, PartnerFactory
from activities.models import Partner, PartnerKind

from .conftest import HX

pytestmark = pytest.mark.django_db


def test_list_shows_partners(coordinator_client, partner):
    PartnerFactory(name="老舗和菓子店 菓匠あかね", kind=PartnerKind.SHOP)
    response = coordinator_client.get(reverse("activities:partner_list"))
    assert response.status_code == 200
    assert "老舗和菓子店 菓匠あかね" in response.text and partner.name in response.text


def test_list_fragment(staff_client, partner):
    response = staff_client.get(reverse("activities:partner_list"), HTTP_HX_TARGET="partner-table", **HX)
    assert response.status_code == 200
    assert 'id="partner-table"' in response.text and "<html" not in response.text


def test_page_shows_contact_and_history(staff_client, partner, site):
    ActivityFactory(partner=partner, title="野菜の収穫体験 2025", site=site)
    ActivityFactory(partner=PartnerFactory(), title="よその活動")
    response = staff_client.get(reverse("activities:partner_detail", args=[partner.pk]))
    assert response.status_code == 200
    assert "大塚 健" in response.text and "048-571-0000" in response.text
    assert "野菜の収穫体験 2025" in response.text and "よその活動" not in response.text


def test_create(coordinator_client):
    response = coordinator_client.post(reverse("activities:partner_create"), {
        "name": "深谷パン工房", "kind": PartnerKind.SHOP, "contact_person": "石井 誠", "phone": "048-000-1111",
        "phone2": "", "email": "pan@example.jp", "address": "深谷市本住町1-1", "notes": "",
    })
    partner = Partner.objects.get(name="深谷パン工房")
    assert response.status_code == 302 and response["Location"] == reverse("activities:partner_detail", args=[partner.pk])


def test_create_invalid_changes_nothing(coordinator_client):
    response = coordinator_client.post(reverse("activities:partner_create"), {"name": "", "kind": "", "email": "not-an-email"},
                                       **HX)
    assert response.status_code == 200
    assert "field__error" in response.text and "<html" not in response.text
    assert not Partner.objects.exists()


def test_edit(staff_client, partner):
    data = {"name": partner.name, "kind": partner.kind, "contact_person": "大塚 花子", "phone": partner.phone,
            "phone2": "", "email": partner.email, "address": partner.address, "notes": "雨天時は小屋で作業"}
    response = staff_client.post(reverse("activities:partner_edit", args=[partner.pk]), data, **HX)
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("activities:partner_detail", args=[partner.pk])
    partner.refresh_from_db()
    assert partner.contact_person == "大塚 花子" and partner.notes == "雨天時は小屋で作業"


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_forbidden(request, persona, partner):
    client = request.getfixturevalue(persona)
    for url in (reverse("activities:partner_list"), reverse("activities:partner_detail", args=[partner.pk]), reverse("activities:partner_create"),
                reverse("activities:partner_edit", args=[partner.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("activities:partner_edit", args=[partner.pk]), {"name": "x", "kind": "farm"}).status_code == 404
    partner.refresh_from_db()
    assert partner.name != "x"


def test_anonymous_goes_to_login(client, partner):
    response = client.get(reverse("activities:partner_detail", args=[partner.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_list_search_and_kind_filter(coordinator_client, partner):
    PartnerFactory(name="老舗和菓子店 菓匠あかね", kind=PartnerKind.SHOP, contact_person="山本 茜", address="深谷市仲町")
    PartnerFactory(name="花園ファーム", kind=PartnerKind.FARM, contact_person="田村 修", address="深谷市小前田")
    response = coordinator_client.get(reverse("activities:partner_list"), {"q": "山本"})
    assert "菓匠あかね" in response.text and "花園ファーム" not in response.text
    response = coordinator_client.get(reverse("activities:partner_list"), {"q": "小前田"})
    assert "花園ファーム" in response.text and "菓匠あかね" not in response.text
    response = coordinator_client.get(reverse("activities:partner_list"), {"kind": PartnerKind.SHOP})
    assert "菓匠あかね" in response.text and "花園ファーム" not in response.text


def test_list_filter_fragment_and_unknown_kind(staff_client, partner):
    response = staff_client.get(reverse("activities:partner_list"), {"q": "存在しない名前"}, HTTP_HX_REQUEST="true",
                                HTTP_HX_TARGET="partner-table")
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="partner-table"' in response.text and partner.name not in response.text
    response = staff_client.get(reverse("activities:partner_list"), {"kind": "bakery"})
    assert response.status_code == 200 and "field__error" in response.text


def test_list_query_budget_same_at_5_and_50(coordinator_client, count_queries):
    coordinator_client.get(reverse("activities:partner_list"))  # warm-up: the session is saved on the first request

    def add(n):
        for _ in range(n):
            ActivityFactory(partner=PartnerFactory())

    add(5)
    with count_queries() as few:
        assert coordinator_client.get(reverse("activities:partner_list")).status_code == 200
    add(45)
    with count_queries() as many:
        response = coordinator_client.get(reverse("activities:partner_list"))
    assert "50" in response.text
    assert few.count == many.count, many.sql
