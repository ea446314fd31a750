"""factory-boy factories for volunteers (tests, demo data and benchmarks)."""

import datetime as dt

import factory
from django.utils import timezone
from factory.random import randgen

from classroom import rules
from classroom.factories import UserFactory
from volunteers.models import TeachingSubject, Volunteer, VolunteerKind


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, roles=[rules.VOLUNTEER])
    kind = factory.LazyFunction(lambda: randgen.choice(VolunteerKind.values[:3]))
    phone = factory.Faker("phone_number")
    usual_weekdays = factory.LazyFunction(lambda: randgen.choice(["1", "3", "13"]))
    max_children = 1
    pledge_signed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=200))
    insurance_expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=200))
    training_completed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=190))
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=randgen.randint(30, 900)))
    emergency_contact_name = factory.Faker("name")
    emergency_contact_phone = factory.Faker("phone_number")

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.add(*extracted)

    @factory.post_generation
    def teaching(self, create, extracted, **kwargs):
        """``teaching=[("maths", "junior_high"), ...]``; by default maths at junior high."""
        if not create:
            return
        pairs = [("maths", "junior_high")] if extracted is None else extracted
        TeachingSubject.objects.bulk_create(
            [TeachingSubject(volunteer=self, subject=s, level=lv) for s, lv in pairs])
