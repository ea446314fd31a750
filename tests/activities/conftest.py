"""Partners, activities and helpers for the activities' tests."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from activities.factories import ActivityFactory, HelperFactory, PartnerFactory
from activities.models import PartnerKind
from volunteers.factories import VolunteerFactory

HX = {"HTTP_HX_REQUEST": "true"}


def ja(message: str) -> str:
    with translation.override("ja"):
        return str(translation.gettext(message))



@pytest.fixture
def partner(db):
    return PartnerFactory(name="深谷ねぎ農園 大塚ファーム", kind=PartnerKind.FARM, contact_person="大塚 健",
                          phone="048-571-0000", email="otsuka-farm@example.jp")


@pytest.fixture
def activity(site, staff, partner):
    return ActivityFactory(site=site, partner=partner, lead=staff, capacity=10, title="野菜の収穫体験",
                           date=timezone.localdate() + dt.timedelta(days=14))


@pytest.fixture
def volunteer_profile(volunteer, site):
    return VolunteerFactory(user=volunteer, sites=[site])


@pytest.fixture
def helping(activity, volunteer_profile):
    """The volunteer persona confirmed as a helper at ``activity``."""
    return HelperFactory(activity=activity, volunteer=volunteer_profile, role="受付")
