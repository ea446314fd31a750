"""The activities' demo data: partners, past activities with reports, upcoming ones with sign-ups."""

import factory.random
import pytest

from activities.demo import ActivitiesDemo
from activities.models import Activity, ActivityStatus, Answer, Helper, Partner
from classroom.demo import ClassroomDemo
from volunteers.demo import VolunteersDemo

pytestmark = pytest.mark.django_db


def test_seed():
    factory.random.reseed_random(2026)
    classroom = ClassroomDemo()
    classroom.seed(60)
    volunteers = VolunteersDemo(classroom)
    volunteers.seed()
    counts = ActivitiesDemo(classroom, volunteers).seed()
    assert counts["partners"] == Partner.objects.count() == 3
    assert Partner.objects.filter(name__contains="和菓子").exists()
    harvest = Activity.objects.get(title__startswith="野菜の収穫体験")
    going = harvest.participants.filter(answer=Answer.GOING)
    assert going.count() == 23
    assert going.filter(role__in=["student", "guardian"]).count() == 21
    assert harvest.status == ActivityStatus.DONE and harvest.reflection
    photos = list(harvest.photos.all())
    assert len(photos) == 3 and all(p.thumbnail and p.caption for p in photos)
    assert Activity.objects.filter(status=ActivityStatus.OPEN, participants__answer=Answer.WAITLISTED).exists()
    assert Helper.objects.filter(volunteer__user__username="volunteer", activity__status=ActivityStatus.OPEN).exists()
    assert Activity.objects.filter(status=ActivityStatus.CANCELLED).exists()
