"""factory-boy factories for volunteers (tests, demo data and benchmarks)."""

import datetime as dt

import factory
from django.utils import timezone
from factory.random import randgen
from faker.providers.person.ja_JP import Provider as JapaneseNames

from classroom import rules
from classroom.factories import UserFactory
from volunteers.models import TeachingSubject, Volunteer, VolunteerKind

# The readings of the names the factories draw (Faker's ja_JP pairs) and of the demo logins' own names.
_FAMILY_READINGS = {kanji: kana for kanji, kana, _romaji in JapaneseNames.last_name_pairs}
_GIVEN_READINGS = {kanji: kana for kanji, kana, _romaji in JapaneseNames.first_name_pairs} | {
    "美咲": "ミサキ", "由美子": "ユミコ"}


def name_reading(user) -> str:
    """The katakana reading of an account's name ("タナカ ユミコ"); "" when a part is not a known name
    (a test's own name). A lookup, not a random draw: the demo data stays the same for a seed."""
    family, given = _FAMILY_READINGS.get(user.last_name), _GIVEN_READINGS.get(user.first_name)
    return f"{family} {given}" if family and given else ""


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, roles=[rules.VOLUNTEER])
    name_kana = factory.LazyAttribute(lambda o: name_reading(o.user))
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
