"""A small classroom built by hand over fiscal years 2024-2026, with every figure of the report known.

FY2025 (April 2025 - March 2026) is the year under test; FY2024 is its year before, and FY2026 has
just begun on ``TODAY``. The children:

- ``leaver`` (中2 in FY2025): enrolled June 2024, left in February 2026 (moved);
- ``sibling`` (中1), the leaver's brother: new in September 2025, same household;
- ``changer``: 中3 in FY2025 and 高1 from April 1, 2026, marked present on March 31 and April 1;
- ``hs_age``: high-school age, not in school (grade set by staff), new in April 2025;
- ``dropout``: 高2 in FY2025, left high school in October 2025 (outcome);
- ``former``: only in FY2024 (left March 2025);
- ``stranger``: at another site, with records that must never be counted here.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from activities.factories import ActivityFactory
from activities.models import ActivityStatus, Answer, Participant, ParticipantRole
from casework.models import Contact, HomeVisit, InformationShare
from classroom.factories import (
    ClassDayFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
    birth_date_for,
)
from classroom.grades import Grade
from classroom.models import Attendance, ClassDayKind, DropIn, DropInVisitorCount, Outcome
from volunteers.factories import VolunteerFactory
from volunteers.models import VolunteerAttendance

TODAY = dt.date(2026, 5, 1)
TOKYO = ZoneInfo("Asia/Tokyo")
APRIL_2025 = dt.date(2025, 4, 1)


def jst(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


def _child(site, grade, *, enrolled, household=None, **extra):
    return StudentFactory(site=site, birth_date=birth_date_for(grade, APRIL_2025), enrolled_on=enrolled,
                          household=household or HouseholdFactory(), **extra)


@pytest.fixture
def classroom(site, other_site, staff):
    home = HouseholdFactory()
    guardian = GuardianFactory(household=home)
    kids = {
        "leaver": _child(site, Grade.J2, enrolled=dt.date(2024, 6, 10), household=home, status="left",
                         left_on=dt.date(2026, 2, 15), leaving_outcome="moved",
                         reasons=["public_assistance", "single_parent"]),
        "sibling": _child(site, Grade.J1, enrolled=dt.date(2025, 9, 1), household=home),
        "changer": _child(site, Grade.J3, enrolled=dt.date(2023, 4, 1), reasons=["single_parent"]),
        "hs_age": _child(site, Grade.H2, enrolled=dt.date(2025, 4, 20), grade_override=Grade.HS_AGE,
                         reasons=["school_aid"]),
        "dropout": _child(site, Grade.H2, enrolled=dt.date(2024, 4, 15)),
        "former": StudentFactory(site=site, birth_date=birth_date_for(Grade.J1, dt.date(2024, 4, 1)),
                                 enrolled_on=dt.date(2024, 5, 1), status="left", left_on=dt.date(2025, 3, 20),
                                 leaving_outcome="stopped"),
        "stranger": _child(other_site, Grade.J3, enrolled=dt.date(2024, 4, 1), reasons=["public_assistance"]),
    }
    days = {
        "fy2024": ClassDayFactory(site=site, date=dt.date(2025, 3, 31), status="held"),
        "april": ClassDayFactory(site=site, date=dt.date(2025, 4, 10), status="held"),
        "online": ClassDayFactory(site=site, date=dt.date(2025, 5, 12), status="held", kind=ClassDayKind.ONLINE),
        "home": ClassDayFactory(site=site, date=dt.date(2025, 6, 5), status="held", kind=ClassDayKind.HOME_TUTORING),
        "cancelled": ClassDayFactory(site=site, date=dt.date(2025, 7, 1), status="cancelled", cancel_reason="台風"),
        "march_31": ClassDayFactory(site=site, date=dt.date(2026, 3, 31), status="held"),
        "april_1": ClassDayFactory(site=site, date=dt.date(2026, 4, 1), status="held"),
        "elsewhere": ClassDayFactory(site=other_site, date=dt.date(2025, 4, 10), status="held"),
    }
    k, d = kids, days
    for day, child, status in [
        (d["fy2024"], k["former"], "present"), (d["april"], k["leaver"], "present"),
        (d["online"], k["leaver"], "absent"), (d["online"], k["hs_age"], "late"),
        (d["home"], k["sibling"], "absent_notice"), (d["cancelled"], k["hs_age"], "absent"),
        (d["march_31"], k["changer"], "present"), (d["april_1"], k["changer"], "present"),
        (d["elsewhere"], k["stranger"], "present"),
    ]:
        Attendance.objects.create(class_day=day, student=child, status=status)
    tutor = UserFactory(roles=["volunteer"])
    written = jst(2025, 4, 10, 19, 30)
    TutoringRecordFactory(class_day=d["april"], student=k["leaver"], tutor=tutor, subjects="maths,english",
                          written_at=written)
    TutoringRecordFactory(class_day=d["online"], student=k["hs_age"], tutor=tutor, subjects="maths")  # planned only
    TutoringRecordFactory(class_day=d["cancelled"], student=k["hs_age"], tutor=tutor, subjects="science",
                          written_at=written)
    TutoringRecordFactory(class_day=d["march_31"], student=k["changer"], tutor=tutor, subjects="maths",
                          written_at=written)
    TutoringRecordFactory(class_day=d["elsewhere"], student=k["stranger"], tutor=tutor, written_at=written)

    DropIn.objects.create(site=site, student=k["leaver"], date=dt.date(2025, 5, 12), checked_in_at=dt.time(15))
    DropIn.objects.create(site=other_site, student=k["stranger"], date=dt.date(2025, 5, 12), checked_in_at=dt.time(15))
    DropInVisitorCount.objects.create(site=site, date=dt.date(2025, 5, 12), count=3)
    DropInVisitorCount.objects.create(site=site, date=dt.date(2024, 5, 13), count=2)
    DropInVisitorCount.objects.create(site=other_site, date=dt.date(2025, 5, 12), count=7)

    HomeVisit.objects.create(student=k["leaver"], visited_at=jst(2025, 6, 1, 16), status="done",
                             parenting_consultation="進路の相談")
    HomeVisit.objects.create(student=k["sibling"], visited_at=jst(2025, 6, 20, 16), status="done")
    HomeVisit.objects.create(student=k["changer"], visited_at=jst(2025, 6, 10, 16), status="draft")
    HomeVisit.objects.create(student=k["changer"], visited_at=jst(2025, 4, 1, 0, 30), status="done")  # 3/31 in UTC
    HomeVisit.objects.create(student=k["stranger"], visited_at=jst(2025, 6, 1, 16), status="done")
    Contact.objects.create(student=k["changer"], kind="phone", contacted_at=jst(2026, 3, 31, 23, 45), staff=staff)
    Contact.objects.create(student=k["changer"], kind="phone", contacted_at=jst(2026, 4, 1, 0, 30), staff=staff)
    InformationShare.objects.create(student=k["leaver"], recipient_kind="child_guidance", recipient_name="児童相談所",
                                    what="生活状況", shared_at=jst(2025, 6, 3, 10), shared_by=staff,
                                    basis="child_welfare", exception_reason="安全確認のため")

    summer = ActivityFactory(site=site, date=dt.date(2025, 8, 1), status=ActivityStatus.DONE)
    Participant.objects.bulk_create([
        Participant(activity=summer, role=ParticipantRole.STUDENT, student=k["leaver"], answer=Answer.GOING,
                    attendance="present"),
        Participant(activity=summer, role=ParticipantRole.GUARDIAN, guardian=guardian, answer=Answer.GOING,
                    attendance="present"),
        Participant(activity=summer, role=ParticipantRole.OTHER_YOUTH, name="森 翔太", answer=Answer.GOING,
                    attendance="present"),
        Participant(activity=summer, role=ParticipantRole.STUDENT, student=k["changer"], answer=Answer.GOING,
                    attendance="absent"),
    ])
    rained = ActivityFactory(site=site, date=dt.date(2025, 9, 1), status=ActivityStatus.CANCELLED)
    Participant.objects.create(activity=rained, role=ParticipantRole.STUDENT, student=k["sibling"], answer="going")
    autumn = ActivityFactory(site=site, date=dt.date(2025, 10, 1), status=ActivityStatus.DONE)  # no attendance taken
    Participant.objects.create(activity=autumn, role=ParticipantRole.STUDENT, student=k["hs_age"], answer="going")
    Participant.objects.create(activity=autumn, role=ParticipantRole.STUDENT, student=k["dropout"], answer="declined")
    away = ActivityFactory(site=other_site, date=dt.date(2025, 8, 1), status=ActivityStatus.DONE)
    Participant.objects.create(activity=away, role=ParticipantRole.STUDENT, student=k["stranger"], answer="going",
                               attendance="present")

    student_tutor = VolunteerFactory(kind="university_student", sites=[site])
    teacher = VolunteerFactory(kind="retired_teacher", sites=[site])
    for volunteer, day, arrived, left in [(student_tutor, d["april"], (17, 0), (19, 30)),
                                          (student_tutor, d["march_31"], (17, 0), (18, 0)),
                                          (teacher, d["online"], (16, 45), (19, 15)),
                                          (teacher, d["elsewhere"], (17, 0), (19, 0))]:
        VolunteerAttendance.objects.create(volunteer=volunteer, class_day=day, arrived_at=dt.time(*arrived),
                                           left_at=dt.time(*left))

    Outcome.objects.create(student=k["changer"], fiscal_year=2025, stage="entry", result="full_time",
                           decided_on=dt.date(2026, 3, 10))
    Outcome.objects.create(student=k["dropout"], fiscal_year=2025, stage="high_school", result="left_school",
                           decided_on=dt.date(2025, 10, 1), reason="financial")
    Outcome.objects.create(student=k["stranger"], fiscal_year=2025, stage="entry", result="employment")
    return {"kids": kids, "days": days}
