"""factory-boy factories: the tests and ``seed_demo`` build their data with these.

Random choices go through ``factory.random.randgen`` (seeded by ``reseed_random``) so
that the same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import functools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.random import randgen

from classroom import grades
from classroom.grades import Grade
from classroom.models import (
    Attendance,
    AttendanceStatus,
    ClassDay,
    Consent,
    ConsentPurpose,
    DropIn,
    Guardian,
    Household,
    HouseholdContact,
    Outcome,
    OutcomeResult,
    OutcomeStage,
    Site,
    Student,
    StudentReason,
    TutoringRecord,
)

factory.Faker._DEFAULT_LOCALE = "ja_JP"

DEMO_PASSWORD = "yorisoi-demo-2026"

JUNIOR_HIGH_SCHOOLS = [
    "深谷市立深谷中学校", "深谷市立南中学校", "深谷市立幡羅中学校", "深谷市立明戸中学校",
    "深谷市立上柴中学校", "深谷市立花園中学校", "深谷市立岡部中学校",
]  # fmt: skip
HIGH_SCHOOLS = [
    "埼玉県立深谷高等学校", "埼玉県立深谷第一高等学校", "埼玉県立深谷商業高等学校",
    "埼玉県立寄居城北高等学校", "埼玉県立熊谷西高等学校", "私立正智深谷高等学校",
]  # fmt: skip
TOWNS = ["上柴町西", "上柴町東", "国済寺", "宿根", "東方町", "本住町", "西島町", "稲荷町", "原郷", "萱場"]


@functools.cache
def demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def birth_date_for(grade: str, on: dt.date | None = None) -> dt.date:
    start, end = grades.birth_date_range(grade, on or timezone.localdate())
    return start + dt.timedelta(days=randgen.randrange((end - start).days + 1))


def school_for(grade: str) -> str:
    if grade in grades.JUNIOR_HIGH:
        return randgen.choice(JUNIOR_HIGH_SCHOOLS)
    if grade in {Grade.H1, Grade.H2, Grade.H3}:
        return randgen.choice(HIGH_SCHOOLS)
    return ""


def fukaya_address() -> str:
    return f"埼玉県深谷市{randgen.choice(TOWNS)}{randgen.randint(1, 9)}-{randgen.randint(1, 30)}-{randgen.randint(1, 20)}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        family = factory.Faker("last_name_pair")
        given = factory.Faker("first_name_pair")

    username = factory.Sequence(lambda n: f"user{n:04d}")
    last_name = factory.LazyAttribute(lambda o: o.family[0])
    first_name = factory.LazyAttribute(lambda o: o.given[0])
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.jp")
    # Hashing is slow by design: hash the demo password once and share the hash.
    password = factory.LazyFunction(lambda: demo_password_hash())

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the groups the data migration made.
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.add(*extracted)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: "未来応援教室ぱるスタ" if n == 0 else f"未来応援教室 第{n + 1}教室")
    address = factory.LazyFunction(fukaya_address)
    phone = factory.Faker("phone_number")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    postal_code = factory.LazyFunction(lambda: f"366-{randgen.randint(0, 9999):04d}")
    address = factory.LazyFunction(fukaya_address)


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    class Params:
        family = factory.Faker("last_name_pair")
        given = factory.Faker("first_name_female_pair")

    household = factory.SubFactory(HouseholdFactory)
    family_name = factory.LazyAttribute(lambda o: o.family[0])
    family_name_kana = factory.LazyAttribute(lambda o: o.family[1])
    given_name = factory.LazyAttribute(lambda o: o.given[0])
    given_name_kana = factory.LazyAttribute(lambda o: o.given[1])
    relationship = factory.LazyFunction(lambda: randgen.choice(["母", "母", "母", "父", "祖母", "祖父"]))
    phone = factory.Faker("phone_number")
    email = factory.Faker("free_email")
    preferred_language = factory.LazyFunction(
        lambda: randgen.choice(["日本語"] * 8 + ["ポルトガル語", "タガログ語", "中国語", "ベトナム語"])
    )


class HouseholdContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdContact

    class Params:
        person = factory.Faker("name")

    household = factory.SubFactory(HouseholdFactory)
    kind = HouseholdContact.Kind.CASEWORKER
    name = factory.LazyAttribute(lambda o: o.person)
    organisation = factory.LazyAttribute(
        lambda o: {"caseworker": "深谷市 福祉事務所 生活福祉課", "ssw": "深谷市教育委員会"}.get(o.kind, "")
    )
    phone = factory.Faker("phone_number")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student
        skip_postgeneration_save = True

    class Params:
        family = factory.Faker("last_name_pair")
        given = factory.Faker("first_name_pair")
        school_grade = factory.LazyFunction(
            lambda: randgen.choice([Grade.J1, Grade.J2, Grade.J3] * 3 + [Grade.H1, Grade.H2, Grade.H3])
        )

    family_name = factory.LazyAttribute(lambda o: o.family[0])
    family_name_kana = factory.LazyAttribute(lambda o: o.family[1])
    given_name = factory.LazyAttribute(lambda o: o.given[0])
    given_name_kana = factory.LazyAttribute(lambda o: o.given[1])
    nickname = factory.LazyAttribute(lambda o: o.given[1][:2] + randgen.choice(["ちゃん", "くん", "さん"]))
    birth_date = factory.LazyAttribute(lambda o: birth_date_for(o.school_grade))
    school = factory.LazyAttribute(lambda o: school_for(o.school_grade))
    site = factory.SubFactory(SiteFactory)
    household = factory.SubFactory(HouseholdFactory)
    enrolled_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=randgen.randint(60, 700)))
    usual_weekdays = factory.LazyFunction(lambda: randgen.choice(["1", "3", "13", "13", "13", "1", "3"]))
    learning_goals = factory.LazyFunction(
        lambda: randgen.choice([
            "高校受験に向けて数学の基礎を固める", "英語の長文読解に慣れる", "毎週休まず通う",
            "提出物を期限までに出す", "一次関数を得意にする", "漢字検定3級に合格する",
        ])
    )  # fmt: skip

    @factory.post_generation
    def reasons(self, create, extracted, **kwargs):
        if create and extracted:
            StudentReason.objects.bulk_create([StudentReason(student=self, reason=r) for r in extracted])


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    student = factory.SubFactory(StudentFactory)
    guardian = factory.LazyAttribute(
        lambda o: o.student.household.guardians.first() or GuardianFactory(household=o.student.household)
    )
    purpose = ConsentPurpose.INFO_SHARING
    partners = "深谷市 福祉事務所、在籍校"
    recipient_kinds = factory.LazyAttribute(lambda o: "caseworker,school" if o.purpose == ConsentPurpose.INFO_SHARING else "")
    given_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))


class ClassDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassDay
        django_get_or_create = ("site", "date", "start_time")

    site = factory.SubFactory(SiteFactory)
    date = factory.LazyFunction(timezone.localdate)
    start_time = dt.time(17, 0)
    end_time = dt.time(19, 0)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    class_day = factory.SubFactory(ClassDayFactory)
    student = factory.SubFactory(StudentFactory, site=factory.SelfAttribute("..class_day.site"))
    status = AttendanceStatus.PRESENT


class TutoringRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TutoringRecord

    class_day = factory.SubFactory(ClassDayFactory)
    student = factory.SubFactory(StudentFactory, site=factory.SelfAttribute("..class_day.site"))
    tutor = factory.SubFactory(UserFactory, roles=["volunteer"])
    subjects = "maths"


class DropInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DropIn

    student = factory.SubFactory(StudentFactory)
    site = factory.SelfAttribute("student.site")
    date = factory.LazyFunction(timezone.localdate)
    checked_in_at = dt.time(15, 30)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    student = factory.SubFactory(StudentFactory)
    fiscal_year = factory.LazyFunction(lambda: grades.fiscal_year_of(timezone.localdate()))
    stage = OutcomeStage.HIGH_SCHOOL_ENTRY
    result = OutcomeResult.FULL_TIME
    school = factory.LazyFunction(lambda: randgen.choice(HIGH_SCHOOLS))
