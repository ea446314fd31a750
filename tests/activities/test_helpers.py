"""Staff and coordinators assign, confirm and remove helpers (HTMX, and without JavaScript)."""

import pytest
from django.urls import reverse

from activities.factories import HelperFactory
from activities.models import ActivityStatus, Helper, HelperStatus
from volunteers.factories import VolunteerFactory

from .conftest import HX

pytestmark = pytest.mark.django_db


def test_add_volunteer_fragment(coordinator_client, activity, site):
    volunteer = VolunteerFactory(sites=[site])
    response = coordinator_client.post(reverse("activities:helper_add", args=[activity.pk]),
                                       {"volunteer": volunteer.pk, "role": "受付"}, **HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="helpers"') and "受付" in response.text
    helper = Helper.objects.get(activity=activity)
    assert helper.volunteer == volunteer and helper.status == HelperStatus.CONFIRMED


def test_add_staff_without_js(staff_client, activity, staff):
    response = staff_client.post(reverse("activities:helper_add", args=[activity.pk]), {"staff": staff.pk, "role": "引率"})
    assert response.status_code == 302 and response["Location"] == reverse("activities:activity_detail", args=[activity.pk])
    assert Helper.objects.get(activity=activity).staff == staff


def test_adding_an_offering_volunteer_confirms(coordinator_client, activity, site):
    offered = HelperFactory(activity=activity, volunteer=VolunteerFactory(sites=[site]), status=HelperStatus.OFFERED,
                            role="")
    coordinator_client.post(reverse("activities:helper_add", args=[activity.pk]),
                            {"volunteer": offered.volunteer.pk, "role": "写真"}, **HX)
    offered.refresh_from_db()
    assert offered.status == HelperStatus.CONFIRMED and offered.role == "写真"
    assert activity.helpers.count() == 1


@pytest.mark.parametrize("case", ["nobody", "both", "other_site", "inactive"])
def test_add_invalid_changes_nothing(coordinator_client, activity, staff, other_site, site, case):
    data = {"role": "受付"}
    if case == "both":
        data |= {"volunteer": VolunteerFactory(sites=[site]).pk, "staff": staff.pk}
    elif case == "other_site":
        data["volunteer"] = VolunteerFactory(sites=[other_site]).pk
    elif case == "inactive":
        data["volunteer"] = VolunteerFactory(sites=[site], is_active=False).pk
    response = coordinator_client.post(reverse("activities:helper_add", args=[activity.pk]), data, **HX)
    assert response.status_code == 200
    assert "form-errors" in response.text or "field__error" in response.text
    assert not activity.helpers.exists()


def test_only_site_volunteers_are_offered(coordinator_client, activity, site, other_site):
    mine = VolunteerFactory(sites=[site])
    theirs = VolunteerFactory(sites=[other_site])
    response = coordinator_client.get(reverse("activities:activity_detail", args=[activity.pk]))
    assert f'value="{mine.pk}"' in response.text
    assert theirs.user.last_name + " " + theirs.user.first_name not in response.text


def test_confirm_and_remove(coordinator_client, activity, site):
    helper = HelperFactory(activity=activity, volunteer=VolunteerFactory(sites=[site]), status=HelperStatus.OFFERED)
    response = coordinator_client.post(reverse("activities:helper_confirm", args=[activity.pk, helper.pk]), **HX)
    assert response.status_code == 200
    helper.refresh_from_db()
    assert helper.status == HelperStatus.CONFIRMED
    response = coordinator_client.post(reverse("activities:helper_remove", args=[activity.pk, helper.pk]))
    assert response.status_code == 302
    assert not Helper.objects.filter(pk=helper.pk).exists()


def test_helper_of_another_activity_is_404(coordinator_client, activity, site):
    other = HelperFactory(volunteer=VolunteerFactory(sites=[site]))
    response = coordinator_client.post(reverse("activities:helper_remove", args=[activity.pk, other.pk]))
    assert response.status_code == 404
    assert Helper.objects.filter(pk=other.pk).exists()


def test_cancelled_activity_takes_no_helpers(coordinator_client, activity, site):
    activity.status = ActivityStatus.CANCELLED
    activity.save()
    response = coordinator_client.post(reverse("activities:helper_add", args=[activity.pk]),
                                       {"volunteer": VolunteerFactory(sites=[site]).pk}, **HX)
    assert response.status_code == 200 and not activity.helpers.exists()


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_forbidden(request, persona, activity, site, helping):
    client = request.getfixturevalue(persona)
    volunteer = VolunteerFactory(sites=[site])
    assert client.post(reverse("activities:helper_add", args=[activity.pk]), {"volunteer": volunteer.pk}).status_code == 404
    assert client.post(reverse("activities:helper_remove", args=[activity.pk, helping.pk])).status_code == 404
    assert client.post(reverse("activities:helper_confirm", args=[activity.pk, helping.pk])).status_code == 404
    assert list(activity.helpers.all()) == [helping]


def test_get_is_not_allowed(coordinator_client, activity):
    assert coordinator_client.get(reverse("activities:helper_add", args=[activity.pk])).status_code == 405
