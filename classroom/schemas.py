import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import PlainSerializer

from lib import localtime
from lib.names import person_name

# Every datetime the API sends: ISO 8601 in Japan time with its offset (2026-11-02T00:30:00+09:00),
# through the one formatter. ``tests/test_local_times.py`` fails on a bare ``datetime`` field.
LocalDateTime = Annotated[dt.datetime, PlainSerializer(localtime.iso, return_type=str, when_used="json")]


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]


class SiteOut(Schema):
    id: int
    name: str


# --- Students ------------------------------------------------------------------------------
# Coordinators get ``StudentOut``; the staff schemas add what only staff may see.
class StudentOut(Schema):
    id: int
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    nickname: str
    grade: str
    grade_label: str
    school: str
    site: SiteOut
    status: str
    enrolled_on: dt.date
    left_on: dt.date | None
    leaving_outcome: str
    learning_goals: str
    focus_subjects: list[str]
    usual_weekdays: list[int]
    staff_in_charge: str | None

    @staticmethod
    def resolve_grade(obj) -> str:
        return str(obj.grade)

    @staticmethod
    def resolve_grade_label(obj) -> str:
        return obj.get_grade_display()

    @staticmethod
    def resolve_focus_subjects(obj) -> list[str]:
        return obj.focus_subject_list

    @staticmethod
    def resolve_usual_weekdays(obj) -> list[int]:
        return obj.weekday_numbers

    @staticmethod
    def resolve_staff_in_charge(obj) -> str | None:
        return person_name(obj.staff_in_charge) or None


class StudentStaffOut(StudentOut):
    reasons: list[str]
    health_notes: str
    household_id: int | None

    @staticmethod
    def resolve_reasons(obj) -> list[str]:
        return [r.reason for r in obj.reasons.all()]


class GuardianOut(Schema):
    id: int
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    relationship: str
    phone: str
    phone2: str
    email: str
    preferred_contact: str
    preferred_language: str


class HouseholdContactOut(Schema):
    id: int
    kind: str
    name: str
    organisation: str
    phone: str
    email: str


class HouseholdOut(Schema):
    id: int
    postal_code: str
    address: str
    note: str
    guardians: list[GuardianOut]
    contacts: list[HouseholdContactOut]

    @staticmethod
    def resolve_guardians(obj):
        return list(obj.guardians.all())

    @staticmethod
    def resolve_contacts(obj):
        return list(obj.contacts.all())


class ConsentOut(Schema):
    id: int
    purpose: str
    guardian_id: int
    partners: str
    recipient_kinds: list[str]
    given_on: dt.date
    valid_until: dt.date | None
    withdrawn_on: dt.date | None

    @staticmethod
    def resolve_recipient_kinds(obj) -> list[str]:
        """The kinds of recipient the consent covers (information sharing only with these)."""
        return obj.recipient_kind_list


class StudentStaffDetailOut(StudentStaffOut):
    household: HouseholdOut | None
    sibling_ids: list[int]
    consents: list[ConsentOut]

    @staticmethod
    def resolve_consents(obj):
        return list(obj.consents.all())


class StudentPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[StudentOut]


class StudentStaffPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[StudentStaffOut]


# --- Class days ----------------------------------------------------------------------------
class ClassDayOut(Schema):
    """A class day; ``kind`` is how it is held (group, home_tutoring, online): the report counts by it."""

    id: int
    site: SiteOut
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    status: str
    status_label: str
    kind: str
    kind_label: str
    note: str
    cancel_reason: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class ClassDayPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ClassDayOut]
