"""Data shared by the student screen tests: one student with every sensitive detail filled in."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from classroom.factories import (
    ConsentFactory,
    GuardianFactory,
    HouseholdContactFactory,
    HouseholdFactory,
    StudentFactory,
)
from classroom.models import ConsentPurpose, EnrollmentReason

GUARDIAN_PHONE = "090-4321-8765"
GUARDIAN_EMAIL = "hanako.mama@example.jp"
HEALTH_NOTE = "そばアレルギー（エピペン携帯）"
HOUSEHOLD_ADDRESS = "埼玉県深谷市仲町11-1"
CASEWORKER = "鈴木ケースワーカー"
CONSENT_PARTNERS = "深谷市福祉事務所・在籍校"
SENSITIVE_REASONS = [EnrollmentReason.PUBLIC_ASSISTANCE, EnrollmentReason.SINGLE_PARENT]


def labels(*choices) -> list[str]:
    """A choice's label in English and in Japanese, so an assertion holds whichever the page shows."""
    result = []
    for language in ("en", "ja"):
        with translation.override(language):
            result += [str(choice.label) for choice in choices]
    return result


@pytest.fixture
def household(db):
    return HouseholdFactory(address=HOUSEHOLD_ADDRESS, postal_code="366-0825")


@pytest.fixture
def guardian(household):
    return GuardianFactory(
        household=household, family_name="山田", given_name="真理子", family_name_kana="ヤマダ",
        given_name_kana="マリコ", relationship="母", phone=GUARDIAN_PHONE, email=GUARDIAN_EMAIL,
        preferred_language="ポルトガル語",
    )


@pytest.fixture
def student(site, staff, household, guardian):
    """山田 花子: sensitive details everywhere (reasons, health, household, contact, consent)."""
    student = StudentFactory(
        site=site, household=household, family_name="山田", given_name="花子", family_name_kana="ヤマダ",
        given_name_kana="ハナコ", nickname="はなちゃん", health_notes=HEALTH_NOTE, staff_in_charge=staff,
        usual_weekdays="13", reasons=SENSITIVE_REASONS,
    )
    HouseholdContactFactory(household=household, name=CASEWORKER, phone="048-571-1111")
    ConsentFactory(student=student, guardian=guardian, purpose=ConsentPurpose.INFO_SHARING, partners=CONSENT_PARTNERS,
                   given_on=timezone.localdate() - dt.timedelta(days=30))
    return student


@pytest.fixture
def sibling(site, household):
    return StudentFactory(site=site, household=household, family_name="山田", given_name="一郎",
                          family_name_kana="ヤマダ", given_name_kana="イチロウ")


def assert_no_sensitive(html: str) -> None:
    for value in [GUARDIAN_PHONE, GUARDIAN_EMAIL, HEALTH_NOTE, HOUSEHOLD_ADDRESS, CASEWORKER, CONSENT_PARTNERS,
                  *labels(*SENSITIVE_REASONS)]:
        assert value not in html, f"sensitive value {value!r} leaked"
