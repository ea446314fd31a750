"""factory-boy factories for experience activities (tests, demo data and benchmarks).

Random choices go through ``factory.random.randgen`` only, so the same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.random import randgen

from activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Answer,
    Helper,
    HelperStatus,
    Participant,
    ParticipantRole,
    Partner,
    PartnerKind,
)
from classroom import rules
from classroom.factories import StudentFactory, UserFactory, fukaya_address

PARTNER_NAMES = {
    PartnerKind.FARM: ["深谷ねぎ農園 大塚ファーム", "花園いちご園", "岡部野菜農場"],
    PartnerKind.SHOP: ["老舗和菓子店 菓匠あかね", "深谷パン工房", "まちの花屋 はなみずき"],
    PartnerKind.COMPANY: ["株式会社ふかや精工", "深谷ケーブルテレビ株式会社", "株式会社レンガの街印刷"],
    PartnerKind.NPO: ["NPO法人 こども食堂ふかや"],
    PartnerKind.PUBLIC: ["深谷市立図書館"],
    PartnerKind.OTHER: ["深谷市商工会"],
}


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    kind = factory.LazyFunction(lambda: randgen.choice([PartnerKind.FARM, PartnerKind.SHOP, PartnerKind.COMPANY]))
    name = factory.LazyAttribute(lambda o: randgen.choice(PARTNER_NAMES[o.kind]))
    contact_person = factory.Faker("name")
    phone = factory.Faker("phone_number")
    email = factory.Sequence(lambda n: f"partner{n}@example.jp")
    address = factory.LazyFunction(fukaya_address)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = "さつまいも掘り体験"
    kind = ActivityKind.FARMING
    partner = factory.SubFactory(PartnerFactory, kind=PartnerKind.FARM)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=randgen.randint(7, 40)))
    start_time = dt.time(10, 0)
    end_time = dt.time(12, 0)
    place = factory.LazyAttribute(lambda o: o.partner.address if o.partner else "未来応援教室ぱるスタ")
    meeting_point = "深谷駅 北口"
    capacity = 10
    fee = 0
    what_to_bring = "軍手、タオル、飲み物、汚れてもよい服"
    description = "畑で野菜の収穫を体験します。"
    status = ActivityStatus.OPEN
    consent_required = True
    food_involved = False


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A student by default; pass ``student=None, role=..., name=...`` for someone else."""

    class Meta:
        model = Participant

    activity = factory.SubFactory(ActivityFactory)
    role = ParticipantRole.STUDENT
    student = factory.SubFactory(StudentFactory)
    answer = Answer.GOING
    answered_at = factory.LazyFunction(timezone.now)


class HelperFactory(factory.django.DjangoModelFactory):
    """A volunteer helper by default; pass ``volunteer=None, staff=user`` for staff."""

    class Meta:
        model = Helper

    activity = factory.SubFactory(ActivityFactory)
    volunteer = factory.SubFactory("volunteers.factories.VolunteerFactory")
    staff = None
    role = "受付・見守り"
    status = HelperStatus.CONFIRMED


class StaffHelperFactory(HelperFactory):
    volunteer = None
    staff = factory.SubFactory(UserFactory, roles=[rules.STAFF])
    role = "引率"
