import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, PlainSerializer

from lib import localtime
from lib.hostile import TEXT_MAX_LENGTH
from lib.names import person_name
from lib.plausible import PlausibleBirthDate, PlausibleDate
from lib.schema_types import WallTime, bounded_text

# Every datetime the API sends: ISO 8601 in Japan time with its offset (2026-11-02T00:30:00+09:00),
# through the one formatter. ``tests/test_local_times.py`` fails on a bare ``datetime`` field.
LocalDateTime = Annotated[dt.datetime, PlainSerializer(localtime.iso, return_type=str)]


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
    start_time: WallTime
    end_time: WallTime
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


# --- Writes (API v1 for other systems) -------------------------------------------------------
# Inputs carry lengths and types only; the screens' own forms and services then validate them, so an
# API write is refused exactly where the screen would refuse it.
Text100 = bounded_text(100)
LongText = bounded_text(TEXT_MAX_LENGTH)
AttendanceTarget = Literal["present", "late", "left_early", "absent_notice", "absent", "unmarked"]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Version = Annotated[int, Field(ge=0, le=2**31 - 1)]


# Examples in the schema: the docs show them, and schemathesis sends them first.
ATTENDANCE_EXAMPLE = {"rows": [{"student_id": 1, "status": "present"}, {"student_id": 2, "status": "absent_notice"}]}
TUTORING_EXAMPLE = {"subjects": ["maths"], "studied": "一次関数の文章題", "understanding": 3,
                    "handover_note": "次回は連立方程式", "version": 1}
OUTCOME_EXAMPLE = {"fiscal_year": 2026, "stage": "entry", "result": "full_time", "school": "県立深谷高校"}
STUDENT_EXAMPLE = {"family_name": "山田", "given_name": "花子", "family_name_kana": "やまだ", "given_name_kana": "はなこ",
                   "birth_date": "2012-05-01", "site_id": 1, "enrolled_on": "2026-04-01", "weekdays": [1, 3],
                   "subjects": ["maths"], "different_child": True}


class AttendanceRowIn(Schema):
    student_id: Id
    status: AttendanceTarget


class AttendanceBulkIn(Schema):
    model_config = {"json_schema_extra": {"examples": [ATTENDANCE_EXAMPLE]}}

    rows: list[AttendanceRowIn] = Field(min_length=1, max_length=300)


class AttendanceRowOut(Schema):
    student_id: int
    status: str


class AttendanceBulkOut(Schema):
    changed: int
    rows: list[AttendanceRowOut]


class RowErrorOut(Schema):
    index: int | None
    student_id: int | None
    msg: str


class RowErrorsOut(Schema):
    detail: str
    errors: list[RowErrorOut]


class FieldErrorOut(Schema):
    loc: list[str | int]
    type: str
    msg: str


class FieldErrorsOut(Schema):
    detail: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str


class ConflictOut(Schema):
    detail: str
    current_version: int


class TutoringRecordIn(Schema):
    model_config = {"json_schema_extra": {"examples": [TUTORING_EXAMPLE]}}

    tutor_id: Id | None = None
    subjects: list[Text100] = Field(default_factory=list, max_length=20)
    studied: LongText = ""
    understanding: Annotated[int, Field(ge=0, le=100)] | None = None
    homework: LongText = ""
    handover_note: LongText = ""
    version: Version = Field(description="The record's version as read; 0 when it has no record yet.")


class TutoringRecordOut(Schema):
    id: int
    class_day_id: int
    student_id: int
    tutor_id: int | None
    tutor: str | None
    subjects: list[str]
    studied: str
    understanding: int | None
    homework: str
    handover_note: str
    written_at: LocalDateTime | None
    version: int

    @staticmethod
    def resolve_tutor(obj) -> str | None:
        return person_name(obj.tutor) or None

    @staticmethod
    def resolve_subjects(obj) -> list[str]:
        return obj.subject_list


class OutcomeIn(Schema):
    model_config = {"json_schema_extra": {"examples": [OUTCOME_EXAMPLE]}}

    fiscal_year: Annotated[int, Field(ge=1990, le=2200)]
    stage: Text100
    result: Text100
    school: Text100 = ""
    decided_on: PlausibleDate | None = None
    reason: Text100 = ""
    note: LongText = ""


class OutcomeUpdateIn(OutcomeIn):
    model_config = {"json_schema_extra": {"examples": [{**OUTCOME_EXAMPLE, "version": 1}]}}

    version: Version


class OutcomeOut(Schema):
    """Coordinators get this; staff get ``OutcomeStaffOut`` with why a child left, and the note."""

    id: int
    student_id: int
    fiscal_year: int
    stage: str
    stage_label: str
    result: str
    result_label: str
    school: str
    decided_on: dt.date | None
    version: int

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_result_label(obj) -> str:
        return str(obj.get_result_display())


class OutcomeStaffOut(OutcomeOut):
    reason: str
    note: str


class StudentIn(Schema):
    """The student form's fields (without the household: that stays on the screens)."""

    model_config = {"json_schema_extra": {"examples": [STUDENT_EXAMPLE]}}

    family_name: Text100
    given_name: Text100
    family_name_kana: Text100
    given_name_kana: Text100
    nickname: Text100 = ""
    birth_date: PlausibleBirthDate
    grade_override: Text100 = ""
    school: Text100 = ""
    site_id: Id
    status: Text100 = "active"
    enrolled_on: PlausibleDate
    staff_in_charge_id: Id | None = None
    learning_goals: LongText = ""
    health_notes: LongText = ""
    reasons: list[Text100] = Field(default_factory=list, max_length=20)
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(default_factory=list, max_length=7)
    subjects: list[Text100] = Field(default_factory=list, max_length=20)
    different_child: bool = Field(False, description="Register although a child with the same name, "
                                                     "reading and birth date is already registered.")


class StudentUpdateIn(StudentIn):
    model_config = {"json_schema_extra": {"examples": [{**STUDENT_EXAMPLE, "version": 1}]}}

    left_on: PlausibleDate | None = None
    leaving_outcome: Text100 = ""
    version: Version
