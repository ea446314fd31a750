"""What a child's visits, contacts and follow-ups say, kept per child for the early warnings.

``CaseFacts`` is derived from ``HomeVisit``, ``Contact`` and ``FollowUpAction`` rows and never
written by hand: every ORM write to those rows refreshes the facts of the children it touched,
in the same transaction (``lib.facts``), by recomputing them from the rows (``case_of``). The
classroom's half (attendance, drop-ins) is ``classroom.models.PresenceFacts``, kept the same way.

The facts do not depend on the day they were computed: they are taken over every finished visit
and contact, and ``horizon`` keeps the latest of their times. Visits and contacts are normally
finished with a time up to now, but nothing forbids a time later today or a typo a day ahead, so
a reader for a day whose end is not after ``horizon`` recomputes that child from the rows up to
that day (``casework.warnings``). ``open_follow_up_due`` (the earliest due date of an open
follow-up) does not depend on the day at all: the reader compares it with today.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import DateTimeField, F, Max, Min, OuterRef, Q, Subquery

from classroom.models.facts import StudentFacts, later_of

DONE = "done"
FIELDS = ("last_visit_at", "last_contact_at", "next_visit_due", "open_follow_up_due", "horizon")


class CaseFacts(StudentFacts):
    """One row per child (none: no visit, contact or follow-up at all, the same as an empty row)."""

    student = models.OneToOneField("classroom.Student", on_delete=models.CASCADE, primary_key=True,
                                   related_name="case_facts")
    last_visit_at = models.DateTimeField(null=True)  # the latest finished visit
    last_contact_at = models.DateTimeField(null=True)  # the latest finished contact
    next_visit_due = models.DateField(null=True)  # asked for by the latest finished visit
    open_follow_up_due = models.DateField(null=True)  # the earliest due date of an open follow-up
    horizon = models.DateTimeField(null=True)  # the latest time above: valid for a day ending after it

    class Meta:
        verbose_name = "case facts"
        verbose_name_plural = "case facts"

    FIELDS = FIELDS

    @classmethod
    def refresh_source(cls, students) -> tuple:
        source = case_of(students).annotate(owner=F("pk"))
        return source.values("owner", *FIELDS[:4]), {
            **{name: f'src."{name}"' for name in FIELDS[:4]},
            "horizon": later_of("last_visit_at", "last_contact_at"),
        }

    @classmethod
    def computed(cls, students) -> list:
        return computed(students, facts_model=cls)


def case_of(students, before: dt.datetime | None = None, *, visit_model=None, contact_model=None,
            follow_up_model=None):
    """``students`` annotated with the facts computed from their rows, in one query.

    ``before``: only visits and contacts before that time (the from-scratch reading of a day);
    ``None``: all of them (what ``CaseFacts`` stores). The models can be given (a migration's).
    """
    if visit_model is None or contact_model is None or follow_up_model is None:
        from casework.models.visits import Contact, FollowUpAction, HomeVisit

        visit_model, contact_model, follow_up_model = HomeVisit, Contact, FollowUpAction
    visit_time = Q(visited_at__lt=before) if before else Q()
    contact_time = Q(contacted_at__lt=before) if before else Q()
    visits = visit_model.objects.filter(visit_time, student=OuterRef("pk"), status=DONE)
    contacts = contact_model.objects.filter(contact_time, student=OuterRef("pk"), status=DONE)
    open_due = follow_up_model.objects.filter(student=OuterRef("pk"), done_on__isnull=True).order_by().values(
        "student").annotate(m=Min("due_on")).values("m")
    return students.annotate(
        last_visit_at=Subquery(visits.order_by().values("student").annotate(m=Max("visited_at")).values("m"),
                               output_field=DateTimeField()),
        last_contact_at=Subquery(contacts.order_by().values("student").annotate(m=Max("contacted_at")).values("m"),
                                 output_field=DateTimeField()),
        next_visit_due=Subquery(visits.order_by("-visited_at", "-pk").values("next_visit_due")[:1]),
        open_follow_up_due=Subquery(open_due),
    )


def computed(students, *, facts_model=CaseFacts, **models_):
    """Unsaved ``facts_model`` rows for ``students``, from their rows (one query)."""
    rows = []
    for s in case_of(students.order_by().only("pk"), **models_):
        reached = [t for t in (s.last_visit_at, s.last_contact_at) if t is not None]
        rows.append(facts_model(student_id=s.pk, last_visit_at=s.last_visit_at, last_contact_at=s.last_contact_at,
                                next_visit_due=s.next_visit_due, open_follow_up_due=s.open_follow_up_due,
                                horizon=max(reached) if reached else None))
    return rows


def write(facts_model, rows) -> None:
    """Insert or overwrite ``rows`` (one upsert per thousand)."""
    facts_model.objects.bulk_create(rows, update_conflicts=True, unique_fields=["student"],
                                    update_fields=list(FIELDS), batch_size=1000)
