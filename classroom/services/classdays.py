"""Class days: create one or a series, edit, cancel and restore."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from classroom.exceptions import DomainError
from classroom.models import ClassDay, ClassDayKind, ClassDayStatus, Site
from classroom.models.attendance import ATTENDED
from classroom.services.edit_guards import version_claim

MAX_SERIES_DAYS = 366


@dataclass
class SeriesPlan:
    """What a series would do: the dates to create, those skipped as holidays, those that exist."""

    to_create: list[dt.date] = field(default_factory=list)
    skipped: list[dt.date] = field(default_factory=list)
    existing: list[dt.date] = field(default_factory=list)


def _check_times(start_time: dt.time, end_time: dt.time) -> None:
    if end_time <= start_time:
        raise DomainError(_("The end time must be after the start time."))


def _check_kind(kind: str) -> None:
    if kind not in ClassDayKind.values:
        raise DomainError(_("Choose how the class day is held."))


def _check_span(start_date: dt.date, end_date: dt.date) -> None:
    if end_date < start_date:
        raise DomainError(_("The last date must not be before the first date."))
    if (end_date - start_date).days >= MAX_SERIES_DAYS:
        raise DomainError(_("A series can span at most one year."))


def class_day_series_dates(
    *,
    site: Site,
    weekdays: Iterable[int],
    start_date: dt.date,
    end_date: dt.date,
    start_time: dt.time,
    skip_dates: Iterable[dt.date] = (),
) -> SeriesPlan:
    """The preview of a series: reads only, creates nothing.

    ``weekdays`` are Python weekday numbers (Monday 0 to Sunday 6). A date on a listed weekday
    is skipped when it is in ``skip_dates`` and left alone when the site already has a class
    day starting at the same time on it.
    """
    _check_span(start_date, end_date)
    wanted = set(weekdays)
    if not wanted:
        raise DomainError(_("Choose at least one weekday."))
    skip = set(skip_dates)
    dates = [
        start_date + dt.timedelta(days=offset)
        for offset in range((end_date - start_date).days + 1)
        if (start_date + dt.timedelta(days=offset)).weekday() in wanted
    ]
    existing = set(
        ClassDay.objects.filter(site=site, start_time=start_time, date__range=(start_date, end_date))
        .values_list("date", flat=True)
    )
    plan = SeriesPlan()
    for day in dates:
        if day in skip:
            plan.skipped.append(day)
        elif day in existing:
            plan.existing.append(day)
        else:
            plan.to_create.append(day)
    return plan


@transaction.atomic
def class_day_series_create(
    *,
    site: Site,
    weekdays: Iterable[int],
    start_date: dt.date,
    end_date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    skip_dates: Iterable[dt.date] = (),
    kind: str | None = None,
    by,
) -> list[ClassDay]:
    """Create the class days of a series in one transaction, all of one ``kind`` (None: a group class);
    returns the ones created.

    Idempotent: a slot (site, date, start time) that exists already is skipped, so running
    the same series twice creates nothing the second time.
    """
    _check_times(start_time, end_time)
    kind = kind or ClassDayKind.GROUP
    _check_kind(kind)
    plan = class_day_series_dates(
        site=site, weekdays=weekdays, start_date=start_date, end_date=end_date,
        start_time=start_time, skip_dates=skip_dates,
    )
    if not plan.to_create:
        return []
    # ignore_conflicts: a slot created by someone else since the plan was read is left as it is.
    ClassDay.objects.bulk_create(
        [ClassDay(site=site, date=day, start_time=start_time, end_time=end_time, kind=kind) for day in plan.to_create],
        ignore_conflicts=True,
    )
    return list(
        ClassDay.objects.filter(site=site, start_time=start_time, end_time=end_time, date__in=plan.to_create)
        .select_related("site")
        .order_by("date")
    )


def _slot_taken(*, site: Site, date: dt.date, start_time: dt.time, exclude_pk: int | None = None) -> bool:
    taken = ClassDay.objects.filter(site=site, date=date, start_time=start_time)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    return taken.exists()


def _slot_taken_error() -> DomainError:
    return DomainError(_("There is already a class day at this site on this date starting at this time."))


@transaction.atomic
def class_day_create(
    *, site: Site, date: dt.date, start_time: dt.time, end_time: dt.time, note: str = "",
    kind: str | None = None, by,
) -> ClassDay:
    """One scheduled class day (``kind`` None: a group class); refuses a second class day in the same slot."""
    _check_times(start_time, end_time)
    kind = kind or ClassDayKind.GROUP
    _check_kind(kind)
    if _slot_taken(site=site, date=date, start_time=start_time):
        raise _slot_taken_error()
    try:
        with transaction.atomic():
            return ClassDay.objects.create(site=site, date=date, start_time=start_time, end_time=end_time, note=note,
                                           kind=kind)
    except IntegrityError as error:  # created by someone else a moment ago
        raise _slot_taken_error() from error


@transaction.atomic
def class_day_update(
    *, class_day: ClassDay, date: dt.date, start_time: dt.time, end_time: dt.time, note: str = "",
    kind: str | None = None, by, version: int | None = None,
) -> ClassDay:
    """Move a class day or change its times, kind and note (its site stays; ``kind`` None keeps it).

    Saved only from the version the form was opened at, else ``EditConflict`` and nothing changes.
    """
    _check_times(start_time, end_time)
    kind = class_day.kind if kind is None else kind
    _check_kind(kind)
    version_claim(class_day, expected=version)
    if _slot_taken(site=class_day.site, date=date, start_time=start_time, exclude_pk=class_day.pk):
        raise _slot_taken_error()
    class_day.date, class_day.start_time, class_day.end_time, class_day.note = date, start_time, end_time, note
    class_day.kind = kind
    try:
        with transaction.atomic():
            class_day.save(update_fields=["date", "start_time", "end_time", "kind", "note", "version"])
    except IntegrityError as error:
        raise _slot_taken_error() from error
    return class_day


@transaction.atomic
def class_day_cancel(*, class_day: ClassDay, reason: str, by) -> ClassDay:
    """Cancel with a reason. The class day stays listed, as cancelled.

    A class day that children attended cannot be cancelled: its attendance is a record of
    what happened.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Enter the reason for the cancellation."))
    class_day = ClassDay.objects.select_for_update().get(pk=class_day.pk)
    if class_day.is_cancelled:
        raise DomainError(_("This class day is already cancelled."))
    attendances = class_day.attendances.all()
    if attendances.filter(status__in=ATTENDED).exists() or (
        class_day.status == ClassDayStatus.HELD and attendances.exists()
    ):
        raise DomainError(_("This class day was held and has attendance recorded, so it cannot be cancelled."))
    class_day.status = ClassDayStatus.CANCELLED
    class_day.cancel_reason = reason[:200]
    class_day.save(update_fields=["status", "cancel_reason"])
    return class_day


@transaction.atomic
def class_day_restore(*, class_day: ClassDay, by) -> ClassDay:
    """Undo a cancellation: the class day is scheduled again and the reason is cleared."""
    class_day = ClassDay.objects.select_for_update().get(pk=class_day.pk)
    if not class_day.is_cancelled:
        raise DomainError(_("This class day is not cancelled."))
    class_day.status = ClassDayStatus.SCHEDULED
    class_day.cancel_reason = ""
    class_day.save(update_fields=["status", "cancel_reason"])
    return class_day
