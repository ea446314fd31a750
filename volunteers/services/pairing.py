"""Pairing a class day: the children to plan for, the confirmed volunteers, their histories and
preferences, and the proposal of ``volunteers.pairing``. The plan is saved by ``plan_save``, with the planning screens."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from classroom.grades import HIGH_SCHOOL as HIGH_SCHOOL_GRADES
from classroom.grades import JUNIOR_HIGH as JUNIOR_HIGH_GRADES
from classroom.grades import SCHOOL_YEAR_GRADES
from classroom.models import ClassDay, Student, TutoringRecord
from volunteers import pairing
from volunteers.models import PairingPreference, SignUpAnswer, Volunteer

# How far back a child's tutoring history counts for pairing (its last sessions, subjects, tutors).
HISTORY_DAYS = 180


def level_for_grade(grade: str) -> str | None:
    if grade in HIGH_SCHOOL_GRADES:
        return pairing.HIGH_SCHOOL
    if grade in JUNIOR_HIGH_GRADES or grade in SCHOOL_YEAR_GRADES[:6]:
        return pairing.JUNIOR_HIGH
    return None


def expected_students(class_day: ClassDay):
    """The children to plan tutors for: those expected on the class day, less those who told they'd be absent."""
    return Student.objects.expected_on(class_day).without_notice_of_absence(class_day).in_kana_order()


def confirmed_volunteers(class_day: ClassDay):
    return (
        Volunteer.objects.eligible_on(class_day.date)
        .filter(sign_ups__class_day=class_day, sign_ups__answer=SignUpAnswer.CAN_COME,
                sign_ups__confirmed_at__isnull=False)
        .select_related("user")
        .prefetch_related("teaching")
    )


def recent_tutoring(student_ids: list[int], *, before: dt.date) -> dict[int, list[TutoringRecord]]:
    """Each child's latest tutoring records before ``before`` (within ``HISTORY_DAYS``), newest first.

    One query that returns at most ``pairing.RECENT_SESSIONS`` rows per child, whatever the
    length of the history: the rows are numbered per child by a window function and the
    database keeps the first three (Django filters on the window in an outer query).
    """
    since = before - dt.timedelta(days=HISTORY_DAYS)
    newest_first = (F("class_day__date").desc(), F("pk").desc())
    history: dict[int, list[TutoringRecord]] = defaultdict(list)
    for record in (TutoringRecord.objects
                   .filter(student_id__in=student_ids, class_day__date__lt=before, class_day__date__gte=since)
                   .annotate(recency=Window(RowNumber(), partition_by=F("student_id"), order_by=newest_first))
                   .filter(recency__lte=pairing.RECENT_SESSIONS)
                   .order_by("student_id", *newest_first).only("student_id", "tutor_id", "subjects")):
        history[record.student_id].append(record)
    return history


def pairing_inputs(class_day: ClassDay) -> tuple[list[Student], list[Volunteer], list[pairing.Child], list[pairing.Tutor]]:
    """Load everything the solver needs in a fixed number of queries."""
    students = list(expected_students(class_day))
    volunteers = list(confirmed_volunteers(class_day))
    volunteer_of_user = {v.user_id: v.id for v in volunteers}
    ids = [s.pk for s in students]

    history = recent_tutoring(ids, before=class_day.date)
    preferred: dict[int, set[int]] = defaultdict(set)
    avoid: dict[int, set[int]] = defaultdict(set)
    for pref in PairingPreference.objects.filter(student_id__in=ids).only("student_id", "volunteer_id", "kind"):
        (preferred if pref.kind == PairingPreference.Kind.PREFERRED else avoid)[pref.student_id].add(pref.volunteer_id)

    children = []
    for s in students:
        recent = history[s.pk]
        needs = tuple(s.focus_subject_list) or (tuple(recent[0].subject_list) if recent else ())
        children.append(pairing.Child(
            id=s.pk, level=level_for_grade(s.grade_on(class_day.date)), needs=needs,
            recent_tutors=tuple(volunteer_of_user.get(r.tutor_id, -1) for r in recent),
            preferred=frozenset(preferred[s.pk]), avoid=frozenset(avoid[s.pk]),
        ))
    tutors = [pairing.Tutor(id=v.id, teaches=frozenset((t.subject, t.level) for t in v.teaching.all()),
                            capacity=v.max_children) for v in volunteers]
    return students, volunteers, children, tutors


@dataclass
class PairingPlan:
    """Everything a planning screen shows for one class day, loaded in a fixed number of queries."""

    class_day: ClassDay
    students: list[Student]
    volunteers: list[Volunteer]
    children: list[pairing.Child]
    tutors: list[pairing.Tutor]
    records: dict[int, TutoringRecord]  # the day's tutoring records by student id
    proposal: pairing.Proposal

    def volunteer_of_user(self) -> dict[int, int]:
        return {v.user_id: v.id for v in self.volunteers}


def pairing_plan(*, class_day: ClassDay, keep_confirmed: bool = True) -> PairingPlan:
    """Load the class day's inputs and propose pairs.

    Pairs already saved (planned tutoring records whose tutor is still confirmed) are kept
    unless ``keep_confirmed`` is false; a written record is always kept, as re-planning never
    changes what a tutor wrote.
    """
    students, volunteers, children, tutors = pairing_inputs(class_day)
    records = {r.student_id: r for r in TutoringRecord.objects.filter(class_day=class_day).select_related("tutor")
               .only("student_id", "tutor_id", "written_at", "tutor__username", "tutor__last_name",
                     "tutor__first_name")}
    volunteer_of_user = {v.user_id: v.id for v in volunteers}
    keep = {}
    for record in records.values():
        if record.tutor_id in volunteer_of_user and (keep_confirmed or record.is_written):
            keep[record.student_id] = volunteer_of_user[record.tutor_id]
    child_ids = {c.id for c in children}
    keep = {child: tutor for child, tutor in keep.items() if child in child_ids}
    # A written record whose tutor is no longer confirmed is not the solver's to change.
    fixed = {r.student_id for r in records.values() if r.is_written and r.student_id not in keep}
    proposal = pairing.propose([c for c in children if c.id not in fixed], tutors, keep=keep)
    return PairingPlan(class_day, students, volunteers, children, tutors, records, proposal)


def pairing_propose(*, class_day: ClassDay, keep_confirmed: bool = True) -> pairing.Proposal:
    """The proposed pairs for a class day; pairs already saved are kept unless asked otherwise."""
    return pairing_plan(class_day=class_day, keep_confirmed=keep_confirmed).proposal



