"""The coordinator's pairing plan of a class day: reads for the screens, and the writes they make.

The proposal itself comes from ``volunteers.services.pairing.pairing_plan`` (the solver in
``volunteers.pairing``); this module turns it into rows a person reads and changes, checks a
person's changes against the same hard rules, confirms sign-ups and saves the plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from classroom.exceptions import DomainError
from classroom.grades import Grade
from classroom.models import ClassDay, Student, TutoringRecord
from classroom.services.edit_guards import version_touch
from lib import localtime
from lib.names import person_name
from volunteers import pairing
from volunteers.models import SignUp, SignUpAnswer, Volunteer
from volunteers.services.pairing import PairingPlan

PLAN_WEEKS = 4


# --- The index ----------------------------------------------------------------------------------
def _count(queryset: QuerySet) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``queryset`` (filtered on ``OuterRef("pk")``) as an annotation."""
    counted = queryset.order_by().values("class_day").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def planning_days(*, user, today: dt.date | None = None, until: dt.date | None = None) -> list[ClassDay]:
    """The class days of the next four weeks (or from today to ``until``) at the user's sites, with the planning counts.

    Each day carries ``expected`` (children expected), ``can_come``, ``confirmed`` and
    ``pairs`` (tutoring records with a tutor). One query whatever the number of days.
    """
    today = today or timezone.localdate()
    # The children pairing plans for: expected, less those who told they'd be absent (as ``expected_students``).
    expected = (Student.objects.expected(site=OuterRef("site"), weekday=OuterRef("weekday_digit"))
                .without_notice_of_absence(OuterRef(OuterRef("pk"))))
    days = list(
        ClassDay.objects.visible_to(user)
        .filter(date__gte=today, date__lt=today + dt.timedelta(weeks=PLAN_WEEKS))
        .filter(date__lte=until or dt.date.max)
        .select_related("site")
        .with_weekday()
        .annotate(
            expected_count=Coalesce(Subquery(expected.order_by().values("site").annotate(n=Count("pk")).values("n"),
                                             output_field=IntegerField()), 0),
            can_come=_count(SignUp.objects.filter(class_day=OuterRef("pk"), answer=SignUpAnswer.CAN_COME)),
            confirmed=_count(SignUp.objects.filter(class_day=OuterRef("pk"), answer=SignUpAnswer.CAN_COME,
                                                   confirmed_at__isnull=False)),
            pairs=_count(TutoringRecord.objects.filter(class_day=OuterRef("pk"), tutor__isnull=False)),
        )
        .order_by("date", "start_time", "site__name")
    )
    for day in days:
        day.expected = 0 if day.is_cancelled else day.expected_count
    return days


# --- Eligibility and sign-ups -------------------------------------------------------------------
def ineligibility_reason(volunteer: Volunteer, day: dt.date) -> str:
    """Why ``volunteer`` may not tutor on ``day`` (never proposed), or "" when they may."""
    if volunteer.is_eligible_on(day):
        return ""
    if not volunteer.is_active:
        return _("Not active.")
    if not volunteer.pledge_signed_on or volunteer.pledge_signed_on > day:
        return _("No signed confidentiality pledge.")
    if not volunteer.insurance_expires_on:
        return _("No volunteer insurance.")
    return _("Volunteer insurance expired on %(date)s.") % {"date": localtime.long_date(volunteer.insurance_expires_on)}


def check_plannable(class_day: ClassDay) -> None:
    """Refuse changes to the plan of a cancelled or past class day."""
    if class_day.is_cancelled:
        raise DomainError(_("This class day was cancelled: its plan cannot be changed."))
    if class_day.date < timezone.localdate():
        raise DomainError(_("This class day is over: its plan can no longer be changed."))


def is_plannable(class_day: ClassDay) -> bool:
    try:
        check_plannable(class_day)
    except DomainError:
        return False
    return True


@transaction.atomic
def sign_up_confirm(*, sign_up: SignUp, by) -> SignUp:
    """Confirm a volunteer who said they can come. Idempotent: confirming twice changes nothing.

    Raises ``DomainError`` for an answer "can't come", for a volunteer without a valid pledge
    or insurance on the day, and on a cancelled or past class day.
    """
    class_day = sign_up.class_day
    check_plannable(class_day)
    if sign_up.answer != SignUpAnswer.CAN_COME:
        raise DomainError(_("Only a volunteer who said they can come can be confirmed."))
    reason = ineligibility_reason(sign_up.volunteer, class_day.date)
    if reason:
        raise DomainError(_("%(name)s cannot be confirmed: %(reason)s")
                          % {"name": person_name(sign_up.volunteer.user), "reason": reason})
    if sign_up.confirmed_at is None:
        sign_up.confirmed_at = timezone.now()
        sign_up.confirmed_by = by
        sign_up.save(update_fields=["confirmed_at", "confirmed_by"])
    return sign_up


@transaction.atomic
def sign_up_unconfirm(*, sign_up: SignUp, by) -> int:
    """Take back a confirmation. The volunteer's planned (not written) pairs of that day are removed,
    so they no longer see those children; returns how many. Idempotent.
    """
    check_plannable(sign_up.class_day)
    if sign_up.confirmed_at is not None:
        sign_up.confirmed_at = None
        sign_up.confirmed_by = None
        sign_up.save(update_fields=["confirmed_at", "confirmed_by"])
    removed, _by_model = TutoringRecord.objects.filter(
        class_day=sign_up.class_day, tutor_id=sign_up.volunteer.user_id, written_at__isnull=True,
    ).delete()
    return removed


# --- Rows of the plan ---------------------------------------------------------------------------
@dataclass
class PlanRow:
    """One child of the plan: who, the tutor chosen, and why (or why not)."""

    student: Student
    grade: str
    subjects: str
    choice: int | None
    tutor_name: str = ""  # the chosen volunteer's name, when they are confirmed for the day
    tutor_kana: str = ""  # its reading (``Volunteer.name_kana``)
    saved: int | None = None  # the volunteer of the saved planned pair
    written_by: str = ""  # the tutor's name when the record is written: the row is read-only
    written_by_kana: str = ""  # its reading, when the tutor is one of the day's volunteers
    reasons: str = ""
    unpaired_reason: str = ""
    errors: list[str] = field(default_factory=list)  # the rules refuse saving this choice
    notes: list[str] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"plan-row-{self.student.pk}"

    @property
    def field_name(self) -> str:
        return field_name(self.student.pk)

    @property
    def is_saved(self) -> bool:
        return self.choice is not None and self.choice == self.saved

    @property
    def is_written(self) -> bool:
        return bool(self.written_by)


def field_name(student_id: int) -> str:
    return f"pair-{student_id}"


def _forbidden_reason(child: pairing.Child, tutor: pairing.Tutor) -> str:
    if tutor.id in child.avoid:
        return _("Staff marked this pair not to be matched.")
    if child.needs:
        return _("This volunteer does not teach %(subjects)s at %(level)s level.") % {
            "subjects": pairing.subjects_label(child.needs), "level": pairing.level_label(child.level)}
    return _("This volunteer does not teach at %(level)s level.") % {"level": pairing.level_label(child.level)}


def plan_rows(plan: PairingPlan, choices: Mapping[int, int | None] | None = None) -> list[PlanRow]:
    """One row per expected child: the proposal, or ``choices`` (student id -> volunteer id or None)
    where a person changed it. No queries: everything comes from ``plan``.
    """
    choices = choices or {}
    children = {c.id: c for c in plan.children}
    tutors = {t.id: t for t in plan.tutors}
    volunteers = {v.id: v for v in plan.volunteers}
    volunteer_of_user = plan.volunteer_of_user()
    proposed = {p.child_id: p for p in plan.proposal.pairs}
    unpaired = {u.child_id: u.reason for u in plan.proposal.unpaired}
    day = plan.class_day.date

    chosen: dict[int, int | None] = {}
    for student in plan.students:
        record = plan.records.get(student.pk)
        if record is not None and record.is_written:
            chosen[student.pk] = volunteer_of_user.get(record.tutor_id)
        elif student.pk in choices:
            chosen[student.pk] = choices[student.pk]
        else:
            pair = proposed.get(student.pk)
            chosen[student.pk] = pair.tutor_id if pair else None
    load = Counter(v for v in chosen.values() if v is not None)

    rows = []
    for student in plan.students:
        child = children[student.pk]
        record = plan.records.get(student.pk)
        choice = chosen[student.pk]
        saved = volunteer_of_user.get(record.tutor_id) if record is not None and record.tutor_id else None
        row = PlanRow(
            student=student, grade=str(Grade(student.grade_on(day)).label) if student.grade_on(day) else "",
            subjects=pairing.subjects_label(child.needs), choice=choice, saved=saved,
            tutor_name=person_name(volunteers[choice].user) if choice in volunteers else "",
            tutor_kana=volunteers[choice].name_kana if choice in volunteers else "",
        )
        if record is not None and record.is_written:
            row.written_by = person_name(record.tutor) or _("unknown")
            writer = volunteers.get(volunteer_of_user.get(record.tutor_id))
            row.written_by_kana = writer.name_kana if writer is not None and record.tutor else ""
            rows.append(row)
            continue
        if record is not None and record.tutor_id and saved is None:
            row.notes.append(_("Saved with %(name)s, who is not confirmed for this day now.")
                             % {"name": person_name(record.tutor)})
        if choice is None:
            row.unpaired_reason = unpaired.get(student.pk, "") if student.pk not in choices else (
                unpaired.get(student.pk) or _("No tutor chosen."))
        elif choice not in tutors:
            row.errors.append(_("This volunteer is not confirmed for this class day."))
        else:
            tutor = tutors[choice]
            pair = proposed.get(student.pk)
            if pair is not None and pair.tutor_id == choice:
                row.reasons = pair.explanation
            elif pairing.is_allowed(child, tutor):
                row.reasons = pairing.explain(child, tutor)  # on demand: only for the pair a person chose
            else:
                row.errors.append(_forbidden_reason(child, tutor))
            if load[choice] > tutor.capacity:
                row.errors.append(
                    _("%(name)s would have %(count)d children: they take at most %(max)d.")
                    % {"name": person_name(volunteers[choice].user), "count": load[choice], "max": tutor.capacity})
        rows.append(row)
    return rows


def parse_choices(data: Mapping[str, str], plan: PairingPlan) -> dict[int, int | None]:
    """The choices posted for the plan's children: ``pair-<student id>`` = volunteer id or ""."""
    choices: dict[int, int | None] = {}
    for student in plan.students:
        value = data.get(field_name(student.pk))
        if value is None:
            continue
        choices[student.pk] = int(value) if value.isascii() and value.isdigit() else None
    return choices


# --- Saving ------------------------------------------------------------------------------------
@dataclass
class PlanSaved:
    paired: int
    changed: int
    removed: int


@transaction.atomic
def plan_save(*, plan: PairingPlan, choices: Mapping[int, int | None], by) -> PlanSaved:
    """Make ``choices`` (student id -> volunteer id, or None for "no tutor") the planned tutoring
    records of the plan's class day.

    Every choice is checked again here: the volunteer is confirmed and eligible that day, the
    pair is one the rules allow (level, "do not pair"), and nobody gets more children than
    they take. If any choice breaks a rule, nothing is saved (``DomainError``). Children not
    in ``choices`` keep what they have; written records are never changed. Idempotent.
    """
    class_day = plan.class_day
    check_plannable(class_day)
    expected = {s.pk for s in plan.students}
    if set(choices) - expected:
        raise DomainError(_("Nothing was saved: a child in the plan is not expected on this class day."))
    # Children not posted keep their saved pair; it counts towards the volunteer's maximum.
    volunteer_of_user = plan.volunteer_of_user()
    full = {sid: volunteer_of_user.get(r.tutor_id) for sid, r in plan.records.items()
            if sid in expected and r.tutor_id and sid not in choices}
    full.update(choices)
    rows = [row for row in plan_rows(plan, full) if not row.is_written]
    broken = [row for row in rows if row.errors and row.student.pk in choices]
    if broken:
        raise DomainError(ngettext(
            "Nothing was saved: %(count)d pair breaks the rules. See the warning below.",
            "Nothing was saved: %(count)d pairs break the rules. See the warnings below.",
            len(broken)) % {"count": len(broken)})
    user_of_volunteer = {v.id: v.user_id for v in plan.volunteers}
    existing = {r.student_id: r for r in TutoringRecord.objects.select_for_update().filter(
        class_day=class_day, student_id__in=list(choices))}
    result = PlanSaved(0, 0, 0)
    for row in rows:
        sid = row.student.pk
        if sid not in choices:
            continue
        record = existing.get(sid)
        if record is not None and record.is_written:
            continue
        volunteer_id = choices[sid]
        if volunteer_id is None:
            if record is not None and record.tutor_id is not None:
                record.delete()
                result.removed += 1
            continue
        tutor_id = user_of_volunteer[volunteer_id]
        result.paired += 1
        if record is None:
            TutoringRecord.objects.create(class_day=class_day, student_id=sid, tutor_id=tutor_id)
            result.changed += 1
        elif record.tutor_id != tutor_id:
            record.tutor_id = tutor_id
            version_touch(record)  # a record form opened before this sees the new tutor, never saves the old back
            record.save(update_fields=["tutor", "updated_at", "version"])
            result.changed += 1
    return result
