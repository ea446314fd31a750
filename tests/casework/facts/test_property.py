"""The maintained early-warning facts always equal the facts rebuilt from the records, and the
warnings read from them equal the warnings computed from scratch, after any sequence of changes
made through the services (and the admin-like deletes the services do not offer).

Each example runs in a transaction rolled back at its end; after every step the stored facts are
compared with a rebuild field by field (``warning_facts_rebuild(write=False)`` finds nothing), and
at the end the warnings of several days (past, today, ahead: the facts must not depend on the day
they were written) are compared with the old from-scratch computation (``students_with_facts``
over every active child, the rates by child id).
"""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import warnings
from casework.models import Contact, FollowUpAction, HomeVisit
from casework.services.facts import warning_facts_rebuild
from casework.services.visits import contact_save, follow_up_done, follow_up_reopen, visit_save
from classroom import grades, stats
from classroom.exceptions import DomainError
from classroom.factories import ClassDayFactory, SiteFactory, StudentFactory, UserFactory
from classroom.models import ClassDay, DropIn, Outcome, Student
from classroom.services import attendance, classdays, dropins, students
from classroom.services.outcomes import outcome_save

STATUSES = ["present", "late", "left_early", "absent_notice", "absent"]
DAY_OFFSETS = [-21, -14, -7, 0, 7]  # all on today's weekday: "mark all" and "close" find the children
GRADES = [grades.Grade.H2, grades.Grade.J3, grades.Grade.H3]
CHILDREN = len(GRADES)

child = st.integers(0, CHILDREN - 1)
day = st.integers(0, len(DAY_OFFSETS) - 1)
OPS = st.one_of(
    st.tuples(st.just("set"), child, day, st.sampled_from(STATUSES)),
    st.tuples(st.just("clear"), child, day),
    st.tuples(st.just("tap"), child, day, st.sampled_from([*STATUSES, ""])),
    st.tuples(st.just("mark_all"), day, st.booleans()),
    st.tuples(st.just("close"), day),
    st.tuples(st.just("cancel"), day),
    st.tuples(st.just("restore"), day),
    st.tuples(st.just("move"), day, st.integers(-35, 14)),
    st.tuples(st.just("drop_in"), child, st.integers(-40, 0)),
    st.tuples(st.just("drop_in_delete"), child),
    st.tuples(st.just("visit"), child, st.integers(-45, 2), st.booleans(), st.one_of(st.none(), st.integers(-20, 20))),
    st.tuples(st.just("contact"), child, st.integers(-45, 2), st.one_of(st.none(), st.integers(-10, 10))),
    st.tuples(st.just("visit_delete"), child),
    st.tuples(st.just("contact_delete"), child),
    st.tuples(st.just("follow_up_done"), child),
    st.tuples(st.just("follow_up_reopen"), child),
    st.tuples(st.just("archive"), child),
    st.tuples(st.just("outcome"), child, st.integers(-1, 1)),
    st.tuples(st.just("outcome_delete"), child),
)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def apply(op, *, today, kids, days, staff):  # noqa: C901 - one branch per kind of change
    kind, *args = op
    if kind == "set":
        i, j, status = args
        attendance.attendance_set(class_day=days[j], student=kids[i], status=status, by=staff)
    elif kind == "clear":
        i, j = args
        attendance.attendance_clear(class_day=days[j], student=kids[i], by=staff)
    elif kind == "tap":
        i, j, status = args
        class_day = attendance.with_roster_counts(ClassDay.objects.filter(pk=days[j].pk)).get()
        result = attendance.attendance_tap(class_day=class_day, student_id=kids[i].pk, by=staff, status=status)
        if result.error:
            raise DomainError(result.error)
    elif kind == "mark_all":
        j, undo = args
        stamp = timezone.now()
        attendance.roster_mark_all(class_day=days[j], by=staff, at=stamp)
        if undo:
            attendance.roster_mark_all_undo(class_day=days[j], by=staff, marked_at=stamp)
    elif kind == "close":
        attendance.class_day_close(class_day=days[args[0]], by=staff)
    elif kind == "cancel":
        days[args[0]] = classdays.class_day_cancel(class_day=days[args[0]], reason="台風接近のため", by=staff)
    elif kind == "restore":
        days[args[0]] = classdays.class_day_restore(class_day=days[args[0]], by=staff)
    elif kind == "move":
        j, offset = args
        d = ClassDay.objects.get(pk=days[j].pk)
        days[j] = classdays.class_day_update(class_day=d, date=today + dt.timedelta(days=offset),
                                             start_time=d.start_time, end_time=d.end_time, note=d.note, by=staff)
    elif kind == "drop_in":
        i, offset = args
        dropins.drop_in_check_in(student=kids[i], by=staff, at=at(today + dt.timedelta(days=offset), 15))
    elif kind == "drop_in_delete":
        last = DropIn.objects.filter(student=kids[args[0]]).order_by("-pk").first()
        if last:
            last.delete()
    elif kind == "visit":
        i, offset, finish, due = args
        visit = HomeVisit(student=kids[i], visited_at=at(today + dt.timedelta(days=offset), 18), purpose="regular",
                          family_met=True, concern_level="none",
                          next_visit_due=None if due is None else today + dt.timedelta(days=due))
        follow_ups = [] if due is None else [FollowUpAction(description="学校へ連絡する", owner=staff,
                                                            due_on=today + dt.timedelta(days=due))]
        visit_save(visit=visit, staff=[staff], by=staff, finish=finish, follow_ups=follow_ups)
    elif kind == "contact":
        i, offset, due = args
        contact = Contact(student=kids[i], kind="phone", contacted_at=at(today + dt.timedelta(days=offset), 10))
        follow_ups = [] if due is None else [FollowUpAction(description="様子を聞く", owner=staff,
                                                            due_on=today + dt.timedelta(days=due))]
        contact_save(contact=contact, by=staff, follow_ups=follow_ups)
    elif kind in ("visit_delete", "contact_delete"):
        model = HomeVisit if kind == "visit_delete" else Contact
        last = model.objects.filter(student=kids[args[0]]).order_by("-pk").first()
        if last:
            last.delete()
    elif kind in ("follow_up_done", "follow_up_reopen"):
        done = kind == "follow_up_reopen"
        action = FollowUpAction.objects.filter(student=kids[args[0]], done_on__isnull=not done).order_by("pk").first()
        if action and done:
            follow_up_reopen(follow_up=action)
        elif action:
            follow_up_done(follow_up=action, on=today)
    elif kind == "outcome":  # any stage of a fiscal year ends the high-school "stopped coming" warning
        i, years = args
        outcome_save(outcome=Outcome(student=kids[i], fiscal_year=grades.fiscal_year_of(today) + years,
                                     stage="high_school", result="continuing"), by=staff)
    elif kind == "outcome_delete":
        last = Outcome.objects.filter(student=kids[args[0]]).order_by("-pk").first()
        if last:
            last.delete()
    elif kind == "archive":
        kids[args[0]] = students.student_archive(student=Student.objects.get(pk=kids[args[0]].pk), left_on=today,
                                                 outcome="moved")


def summary(report) -> list[tuple]:
    return [(w.kind, w.student.pk, w.key, w.on, w.reason, getattr(w.follow_up, "pk", None)) for w in report.warnings]


def from_scratch(site, today):
    """The warnings as computed before the facts: every active child, read from its whole history."""
    def all_children(queryset, day):
        return list(warnings.students_with_facts(queryset, day))

    def rates_by_id(sites, periods, student_ids=None):
        queryset = Student.objects.active().filter(site__in=sites)
        ids = list(queryset.values_list("pk", flat=True))
        sites = dict(queryset.values_list("pk", "site_id"))
        return {pk: (sites[pk], rates) for pk, rates in stats.attendance_rates_by_period(ids, periods).items()}

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(warnings, "with_facts", all_children)
        patch.setattr(warnings, "may_warn", lambda *args: Q(pk__isnull=False))
        patch.setattr(warnings.stats, "attendance_rates_at", rates_by_id)
        return summary(warnings.compute([site], today))


def assert_facts_equal_rebuild(site):
    differences = warning_facts_rebuild(sites=[site], write=False)
    assert not differences, "\n".join(map(str, differences))


@pytest.mark.django_db(transaction=False)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=10))
def test_maintained_facts_equal_rebuilt_facts_after_any_changes(db, ops):
    today = timezone.localdate()
    with transaction.atomic():
        site = SiteFactory()
        staff = UserFactory(roles=["staff"], sites=[site])
        weekday = str(today.weekday())
        kids = [StudentFactory(site=site, enrolled_on=today - dt.timedelta(days=400), school_grade=grade,
                               usual_weekdays=weekday if i < 2 else "")
                for i, grade in enumerate(GRADES)]  # two in high school: the "stopped coming" rule applies
        days = [ClassDayFactory(site=site, date=today + dt.timedelta(days=offset)) for offset in DAY_OFFSETS]
        for op in ops:
            try:
                with transaction.atomic():
                    apply(op, today=today, kids=kids, days=days, staff=staff)
            except DomainError:
                pass  # refused: nothing written
            assert_facts_equal_rebuild(site)
        for offset in (-30, -10, 0, 10, 45):
            day = today + dt.timedelta(days=offset)
            assert summary(warnings.compute([site], day)) == from_scratch(site, day), (ops, offset)
        transaction.set_rollback(True)
