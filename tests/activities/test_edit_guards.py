"""Activities and partners: an edit from an older form never overwrites a later save (both versions are
shown), and a double submit, even of an htmx form, creates one record."""

import pytest
from django.urls import reverse

from activities.models import Activity, Partner
from tests.activities.test_activity_form import form_data
from tests.edit_guards import form_values, open_form

from .conftest import HX

pytestmark = pytest.mark.django_db


def test_an_activity_saved_from_an_older_form_keeps_the_later_save(staff_client, coordinator_client, activity):
    url = reverse("activities:activity_edit", args=[activity.pk])
    form_a, form_b = open_form(staff_client, url), open_form(coordinator_client, url)
    form_a["what_to_bring"] = "軍手、長靴、水筒"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["capacity"] = "12"
    response = coordinator_client.post(url, form_b, **HX)  # the page posts the form with htmx

    assert response.status_code == 200 and "<html" not in response.text
    activity.refresh_from_db()
    assert (activity.what_to_bring, activity.capacity) == ("軍手、長靴、水筒", 10)
    rows = {row["name"]: (row["mine"], row["saved"]) for row in response.context["form"].conflict_rows}
    assert rows["capacity"] == ("12", "10") and rows["what_to_bring"][1] == "軍手、長靴、水筒"
    assert "上書きはしていません" in response.text and 'value="12"' in response.text

    again = form_values(response.text)
    again.pop("csrfmiddlewaretoken", None)
    again["what_to_bring"] = "軍手、長靴、水筒"
    assert coordinator_client.post(url, again).status_code == 302
    activity.refresh_from_db()
    assert (activity.what_to_bring, activity.capacity) == ("軍手、長靴、水筒", 12)


def test_an_activity_sent_twice_is_created_once(coordinator_client, partner, site, staff):
    create = reverse("activities:activity_create")
    data = open_form(coordinator_client, create)
    data.update(form_data(partner, site, staff))
    first, second = coordinator_client.post(create, data, **HX), coordinator_client.post(create, data, **HX)
    activity = Activity.objects.get()
    assert first["HX-Redirect"] == second["HX-Redirect"] == reverse("activities:activity_detail", args=[activity.pk])


def test_a_copy_sent_twice_is_created_once(coordinator_client, activity):
    url = reverse("activities:activity_duplicate", args=[activity.pk])
    data = open_form(coordinator_client, url)
    coordinator_client.post(url, data)
    coordinator_client.post(url, data)
    assert Activity.objects.count() == 2


def test_a_partner_saved_from_an_older_form_keeps_the_later_save(staff_client, coordinator_client, partner):
    url = reverse("activities:partner_edit", args=[partner.pk])
    form_a, form_b = open_form(staff_client, url), open_form(coordinator_client, url)
    form_a["phone"] = "048-571-1111"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["notes"] = "駐車場は北側"
    response = coordinator_client.post(url, form_b)
    assert response.status_code == 200
    partner.refresh_from_db()
    assert (partner.phone, partner.notes) == ("048-571-1111", "")
    assert {row["name"] for row in response.context["form"].conflict_rows} == {"phone", "notes"}


def test_a_partner_sent_twice_is_created_once(coordinator_client):
    create = reverse("activities:partner_create")
    data = open_form(coordinator_client, create)
    data.update({"name": "ケーキ工房 ひまわり", "kind": "shop"})
    first, second = coordinator_client.post(create, data), coordinator_client.post(create, data)
    partner = Partner.objects.get()
    assert first.url == second.url == reverse("activities:partner_detail", args=[partner.pk])
