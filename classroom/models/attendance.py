from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom import rules
from classroom.models.edit_guards import VersionedModel
from lib.facts import FactsModel, FactsQuerySet


class ClassDayStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ClassDayKind(models.TextChoices):
    """How the class day is held: the fiscal-year report counts class days by kind."""

    GROUP = "group", _("Group classroom")
    HOME_TUTORING = "home_tutoring", _("Home-visit tutoring")
    ONLINE = "online", _("Online")


def _refresh_presence(student_ids) -> None:
    from classroom.models.facts import PresenceFacts

    PresenceFacts.refresh(student_ids)


class ClassDayQuerySet(FactsQuerySet, rules.SiteScopedQuerySet):
    """Staff and coordinators see the class days of their sites."""

    site_path = "site"

    def upcoming(self, today: dt.date | None = None):
        return self.filter(date__gte=today or timezone.localdate()).order_by("date", "start_time")

    def not_cancelled(self):
        return self.exclude(status=ClassDayStatus.CANCELLED)

    def with_weekday(self):
        """Annotate ``weekday_digit``: the date's weekday as ``Student.usual_weekdays`` stores it (0 = Monday),
        for ``Student.objects.expected(site=OuterRef("site"), weekday=OuterRef("weekday_digit"))``."""
        return self.annotate(weekday_digit=models.Case(
            *[models.When(date__iso_week_day=day + 1, then=models.Value(str(day))) for day in range(7)],
            output_field=models.CharField(),
        ))


def usual_start_time() -> dt.time:
    """A class day's usual hours, 17:00 to 19:00. Functions, not fixed values: Django's check of a fixed time
    default (fields.W161) warns whenever the clock is within 10 seconds of it, so `check --deploy
    --fail-level WARNING` failed every day at 17:00:00 UTC."""
    return dt.time(17, 0)


def usual_end_time() -> dt.time:
    return dt.time(19, 0)


class ClassDay(FactsModel, VersionedModel):
    """A class day's date and status feed its children's ``PresenceFacts`` (``lib.facts``)."""

    FACT_FIELDS = frozenset({"date", "status"})

    site = models.ForeignKey("classroom.Site", on_delete=models.PROTECT, related_name="class_days", verbose_name=_("site"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), default=usual_start_time)
    end_time = models.TimeField(_("end time"), default=usual_end_time)
    status = models.CharField(_("status"), max_length=10, choices=ClassDayStatus.choices, default=ClassDayStatus.SCHEDULED)
    kind = models.CharField(_("kind"), max_length=20, choices=ClassDayKind.choices, default=ClassDayKind.GROUP)
    note = models.TextField(_("note"), blank=True)
    cancel_reason = models.CharField(_("reason for cancellation"), max_length=200, blank=True)

    objects = ClassDayQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["site", "date", "start_time"], name="unique_class_day_slot"),
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")), name="class_day_ends_after_start"),
        ]
        # (site, date) is the slot constraint's prefix; the date alone serves the reads across
        # sites of a window of days (the early warnings' rates).
        indexes = [models.Index(fields=["date"])]
        verbose_name = _("class day")
        verbose_name_plural = _("class days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.site}"

    @classmethod
    def refresh_facts(cls, owner_ids) -> None:
        _refresh_presence(owner_ids)

    @classmethod
    def fact_owners(cls, queryset) -> set[int]:
        """The children marked on these class days."""
        return set(Attendance.objects.filter(class_day__in=queryset.values("pk")).values_list("student_id", flat=True))

    @classmethod
    def fact_owners_of(cls, objs) -> set[int]:
        saved = [o.pk for o in objs if o.pk]
        if not saved:
            return set()
        return set(Attendance.objects.filter(class_day__in=saved).values_list("student_id", flat=True))

    @classmethod
    def fact_owners_after_update(cls, values: dict) -> set[int]:
        return set()

    @property
    def is_cancelled(self) -> bool:
        return self.status == ClassDayStatus.CANCELLED

    @property
    def start_datetime(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=timezone.get_current_timezone())

    @property
    def end_datetime(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time, tzinfo=timezone.get_current_timezone())

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end time must be after the start time.")})


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    ABSENT_NOTICE = "absent_notice", _("Absent with notice")
    ABSENT = "absent", _("Absent without notice")


# Attendance that counts: the child came, on time or not, for all or part of the day. The one
# definition for rates, warnings, statistics, the timeline, the roster's and home page's counts and
# activities' participants (``AttendanceQuerySet.attended``, ``Attendance.attended``).
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)


# The status of a child with no attendance row on a class day, as rosters and their forms carry it.
UNMARKED = ""


class AttendanceQuerySet(FactsQuerySet, rules.SiteScopedQuerySet):
    """Staff and coordinators see the attendance of their sites' class days."""

    site_path = "class_day__site"

    def attended(self):
        return self.filter(status__in=ATTENDED)


class Attendance(FactsModel):
    """One row per student per class day; the database refuses a second. Feeds ``PresenceFacts``."""

    FACT_FIELDS = frozenset({"status", "class_day", "class_day_id", "student", "student_id"})

    class_day = models.ForeignKey(ClassDay, on_delete=models.CASCADE, related_name="attendances")
    student = models.ForeignKey("classroom.Student", on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("status"), max_length=15, choices=AttendanceStatus.choices)
    arrived_at = models.TimeField(_("arrival time"), null=True, blank=True)
    left_at = models.TimeField(_("time left"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["class_day", "student"], name="unique_attendance_per_day")]
        indexes = [models.Index(fields=["student", "class_day"])]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.student} {self.class_day.date}: {self.get_status_display()}"

    @classmethod
    def refresh_facts(cls, owner_ids) -> None:
        _refresh_presence(owner_ids)

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED
