"""What a child's attendance and drop-ins say, kept per child so that reading it costs one row.

``PresenceFacts`` is derived from ``Attendance``, ``ClassDay`` and ``DropIn`` rows and never
written by hand: every ORM write to those rows refreshes the facts of the children it touched,
in the same transaction (``lib.facts``: ``save``, ``delete``, ``update``, ``bulk_create`` of
the querysets). A refresh recomputes the touched children from their rows (``presence_of``),
so it is right whatever the write was; ``rebuild_warning_facts`` recomputes every child and
``--check`` shows any difference.

The facts do not depend on the day they were computed. Everything they summarise is taken
over all of a child's rows, with no "up to today" cut, and ``horizon`` keeps the latest date
those rows reach. A read for a day ``today >= horizon`` (the usual case: before a class day
only an absence *with* notice can be recorded, and such rows are left out of the facts and
of the horizon) can use the facts as they are; a child whose rows reach past ``today`` (a
class day moved to a later date after attendance was taken, a drop-in dated ahead by the
admin, a read for a past day) is recomputed from the rows up to ``today`` by the reader
(``casework.warnings``), so the answer is the same as from scratch on any day.
"""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.db.models import Count, DateField, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from lib.facts import lock_owners, upsert_from

ATTENDED_STATUSES = ("present", "late", "left_early")
ABSENT = "absent"
CANCELLED = "cancelled"
_EPOCH = dt.date(1900, 1, 1)

FIELDS = ("last_came", "absences_since", "last_absence", "last_dropin", "horizon")


def later_of(a: str, b: str) -> str:
    """SQL for the later of two columns of the refresh's source ``src``, either of which may be missing."""
    a, b = f'src."{a}"', f'src."{b}"'
    return f"CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL OR {a} > {b} THEN {a} ELSE {b} END"


class StudentFacts(models.Model):
    """Per-child facts derived from other rows (see ``lib.facts``): ``PresenceFacts`` here and
    ``casework.models.CaseFacts``. A subclass names its ``FIELDS`` and two class methods:
    ``computed(students)``, unsaved rows of its facts computed from the records in one query, and
    ``refresh_source(students)``, ``(a values() queryset of the facts' inputs whose first column is
    the owner, {facts column: SQL over src})`` for the one-statement refresh."""

    FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} of {self.student_id}"

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.FIELDS)

    @classmethod
    def refresh(cls, student_ids) -> None:
        """Recompute the facts of ``student_ids`` from their rows: one statement, however many children
        (and on PostgreSQL one more that first locks the children's rows: ``lib.facts.lock_owners``)."""
        from classroom.models.students import Student

        ids = sorted(set(student_ids))
        if not ids:
            return
        with transaction.atomic(savepoint=False):
            lock_owners(Student, ids)
            source, columns = cls.refresh_source(Student.objects.filter(pk__in=ids).order_by())
            upsert_from(cls, source, columns)

    @classmethod
    def rebuilt(cls, students) -> dict[int, tuple]:
        """The facts recomputed from scratch for ``students`` (a queryset), nothing written: one query."""
        return {row.student_id: row.values() for row in cls.computed(students)}


class PresenceFacts(StudentFacts):
    """One row per child (none: no attendance or drop-in at all, the same as an empty row)."""

    student = models.OneToOneField("classroom.Student", on_delete=models.CASCADE, primary_key=True,
                                   related_name="presence_facts")
    last_came = models.DateField(null=True)  # present, late or left early on a class day not cancelled
    absences_since = models.PositiveIntegerField(default=0)  # absences without notice after last_came
    last_absence = models.DateField(null=True)  # the newest of those absences
    last_dropin = models.DateField(null=True)
    horizon = models.DateField(null=True)  # the latest date of any row above: valid for any day on or after it

    class Meta:
        verbose_name = "presence facts"
        verbose_name_plural = "presence facts"

    FIELDS = FIELDS

    @classmethod
    def refresh_source(cls, students) -> tuple:
        source = presence_of(students).annotate(owner=F("pk"))
        return source.values("owner", "last_came", "absences_since", "last_absence", "last_dropin", "last_marked"), {
            "last_came": 'src."last_came"',
            "absences_since": 'src."absences_since"',
            "last_absence": 'src."last_absence"',
            "last_dropin": 'src."last_dropin"',
            "horizon": later_of("last_marked", "last_dropin"),
        }

    @classmethod
    def computed(cls, students) -> list:
        return computed(students, facts_model=cls)


def presence_of(students, today: dt.date | None = None, *, attendance_model=None, dropin_model=None):
    """``students`` annotated with the facts computed from their rows, in one query.

    ``today``: only rows up to that day (the from-scratch reading of one day); ``None``: all rows
    (what ``PresenceFacts`` stores). The models can be given (a migration's historical models).
    """
    if attendance_model is None:
        from classroom.models.attendance import Attendance as attendance_model
    if dropin_model is None:
        from classroom.models.dropins import DropIn as dropin_model
    held = ~Q(class_day__status=CANCELLED)
    dropped = Q()
    if today is not None:
        held &= Q(class_day__date__lte=today)
        dropped = Q(date__lte=today)
    rows = attendance_model.objects.filter(held, student=OuterRef("pk")).order_by().values("student")
    last_came = rows.filter(status__in=ATTENDED_STATUSES).annotate(m=Max("class_day__date")).values("m")
    absences = rows.filter(status=ABSENT).filter(
        class_day__date__gt=Coalesce(OuterRef("last_came"), Value(_EPOCH), output_field=DateField()))
    marked = rows.filter(status__in=(*ATTENDED_STATUSES, ABSENT)).annotate(m=Max("class_day__date")).values("m")
    dropins = dropin_model.objects.filter(dropped, student=OuterRef("pk")).order_by().values("student")
    return students.annotate(last_came=Subquery(last_came, output_field=DateField())).annotate(
        absences_since=Coalesce(Subquery(absences.annotate(c=Count("pk")).values("c")), 0),
        last_absence=Subquery(absences.annotate(m=Max("class_day__date")).values("m")),
        last_dropin=Subquery(dropins.annotate(m=Max("date")).values("m")),
        last_marked=Subquery(marked, output_field=DateField()),
    )


def computed(students, *, facts_model=PresenceFacts, **models_):
    """Unsaved ``facts_model`` rows for ``students``, from their rows (one query)."""
    rows = []
    for s in presence_of(students.order_by().only("pk"), **models_):
        reached = [d for d in (s.last_marked, s.last_dropin) if d is not None]
        rows.append(facts_model(student_id=s.pk, last_came=s.last_came, absences_since=s.absences_since,
                                last_absence=s.last_absence, last_dropin=s.last_dropin,
                                horizon=max(reached) if reached else None))
    return rows


def write(facts_model, rows) -> None:
    """Insert or overwrite ``rows`` (one upsert per thousand)."""
    facts_model.objects.bulk_create(rows, update_conflicts=True, unique_fields=["student"],
                                    update_fields=list(FIELDS), batch_size=1000)
