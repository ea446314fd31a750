"""The volunteers' demo data: 30 volunteers of mixed kinds with sign-ups, pairs and hours."""

import datetime as dt
from collections import Counter

import factory.random
import pytest
from django.utils import timezone

from classroom.demo import ClassroomDemo
from classroom.models import ClassDay, Student, TutoringRecord
from volunteers.demo import VolunteersDemo
from volunteers.models import (
    AvailabilityException,
    PairingPreference,
    SignUp,
    SignUpAnswer,
    Volunteer,
    VolunteerAttendance,
    VolunteerKind,
)
from volunteers.services.pairing import pairing_plan
from volunteers.services.planning import plan_rows


def seed(seed=5, students=30):
    factory.random.reseed_random(seed)
    classroom = ClassroomDemo()
    classroom.seed(students)
    return VolunteersDemo(classroom).seed()


@pytest.fixture
def demo(db):
    return seed()


def test_counts_and_kinds(demo):
    assert demo["volunteers"] == 30 == Volunteer.objects.count()
    assert demo["sign-ups"] == SignUp.objects.count() > 30
    assert demo["volunteer attendance"] == VolunteerAttendance.objects.count() > 0
    assert demo["pairing preferences"] == PairingPreference.objects.count() > 0
    kinds = Counter(Volunteer.objects.values_list("kind", flat=True))
    assert set(kinds) == set(VolunteerKind.values) and max(kinds.values()) <= 12
    assert all(v.teaching.exists() and v.usual_weekdays and v.sites.exists() for v in Volunteer.objects.all())
    assert set(Volunteer.objects.values_list("max_children", flat=True)) <= {1, 2, 3}
    assert AvailabilityException.objects.count() >= 2


def test_pledges_and_insurance(demo):
    today = timezone.localdate()
    assert Volunteer.objects.filter(pledge_signed_on__isnull=True).count() == 1
    expiring = Volunteer.objects.filter(insurance_expires_on__range=(today, today + dt.timedelta(days=30)))
    assert expiring.count() == 2
    assert Volunteer.objects.eligible_on(today).count() == 29


def test_sign_ups_saved_pairs_and_hours(demo):
    today = timezone.localdate()
    upcoming = SignUp.objects.filter(class_day__date__gte=today)
    answers = Counter(upcoming.values_list("answer", flat=True))
    assert answers[SignUpAnswer.CAN_COME] > answers[SignUpAnswer.CANNOT_COME] > 0
    assert upcoming.filter(confirmed_at__isnull=False).exists()
    assert upcoming.filter(answer=SignUpAnswer.CAN_COME, confirmed_at__isnull=True).exists()
    first = ClassDay.objects.filter(date__gte=today).not_cancelled().order_by("date").first()
    records = TutoringRecord.objects.filter(class_day=first, tutor__isnull=False)
    assert records.exists()
    for record in records:  # every saved pair's tutor is confirmed that day
        assert SignUp.objects.filter(class_day=first, volunteer__user=record.tutor, confirmed_at__isnull=False).exists()
    rows = plan_rows(pairing_plan(class_day=first))
    assert not [r.errors for r in rows if r.errors]  # "Accept all and save" works on the demo as it is
    # Hours: every tutor of a past session came.
    past = set(TutoringRecord.objects.filter(class_day__date__lt=today, tutor__isnull=False)
               .values_list("class_day_id", "tutor_id"))
    came = set(VolunteerAttendance.objects.values_list("class_day_id", "volunteer__user_id"))
    assert past == came
    attendance = VolunteerAttendance.objects.select_related("class_day").first()
    assert 1.5 <= attendance.hours <= 3


def test_the_demo_volunteer_has_confirmed_sign_ups_and_a_child(demo):
    today = timezone.localdate()
    volunteer = Volunteer.objects.get(user__username="volunteer")
    assert volunteer.sign_ups.filter(class_day__date__gte=today, confirmed_at__isnull=False).exists()
    assert TutoringRecord.objects.filter(tutor=volunteer.user, class_day__date__gte=today).exists()


def _snapshot():
    return [
        (v.user.last_name, v.user.first_name, v.kind, v.usual_weekdays, v.max_children,
         sorted(v.teaching.values_list("subject", "level")), v.sign_ups.count())
        for v in Volunteer.objects.select_related("user").order_by("user__username")
    ]


def test_the_same_seed_gives_the_same_volunteers(db):
    seed(11, 12)
    first = _snapshot()
    Student.objects.all().delete()
    ClassDay.objects.all().delete()
    Volunteer.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.all().delete()
    from classroom.models import DropInVisitorCount, Site

    DropInVisitorCount.objects.all().delete()
    Site.objects.all().delete()
    seed(11, 12)
    assert _snapshot() == first
