"""Early warning (早期発見): which children staff should look at today, and why.

Computed for one or several sites on a day with a fixed number of queries, however many
children there are: one query for the thresholds, one for the per-child facts (annotated
subqueries, and whether an outcome of the year is recorded), one for the attendance rates and
one for the overdue follow-up actions.

The rules, boundaries included (the settings are per site, see ``WarningSettings``):

- ``absences``: N or more (``>= N``) consecutive absences without notice. The run is
  counted on the child's attendance records on class days that were not cancelled, up to
  today, from the newest back to the last day the child came (present, late or left
  early). An absence *with* notice neither counts nor breaks the run; class days on which
  the child was not marked are ignored. A day on which the child both came and was absent
  (two sessions) counts as a day the child came.
- ``rate_drop``: the rate over the last 4 weeks (the 28 days ending today) is strictly
  below X% (``< X``) after being at least Y% (``>= Y``) over the 4 weeks before. A window
  without any record on a class day that was not cancelled has no rate, and so no warning.
- ``no_contact``: more than D days (``> D``) since the last contact: a finished home
  visit, a finished contact, an attendance marked present, late or left early, or a
  drop-in. A child with no contact at all counts from the day they enrolled, so a child
  enrolled D days ago or less is not listed.
- ``follow_up``: each open follow-up action whose due date is before today.
- ``visit_overdue``: the latest finished visit asks for a next visit before today, and no
  visit has been finished since.
- ``hs_stopped``: a high-school student (on today: 高1 to 高3, or of high-school age and not
  in school; the staff's grade override first) who has come before (present, late or left
  early on a class day that was not cancelled) and last came more than S days ago (``> S``),
  with no outcome (進路, ``classroom.Outcome``) of any stage recorded for today's fiscal year.
  A child who never came is left to ``no_contact``. Recording an outcome of the year, or
  the child coming again, ends it.

Only active children are considered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.models import FollowUpAction, VisitPurpose, WarningSettings
from casework.models.facts import case_of
from classroom import grades, rules, stats
from classroom.models import Outcome, Site, Student
from classroom.models.facts import presence_of
from lib import localtime
from lib.names import person_name
from lib.wareki import fiscal_year_label

ABSENCES = "absences"
RATE_DROP = "rate_drop"
NO_CONTACT = "no_contact"
FOLLOW_UP = "follow_up"
VISIT_OVERDUE = "visit_overdue"
HS_STOPPED = "hs_stopped"
KINDS = (ABSENCES, RATE_DROP, NO_CONTACT, FOLLOW_UP, VISIT_OVERDUE, HS_STOPPED)
KIND_LABELS = {
    ABSENCES: gettext_lazy("Consecutive absences"),
    RATE_DROP: gettext_lazy("Attendance falling"),
    NO_CONTACT: gettext_lazy("No contact"),
    FOLLOW_UP: gettext_lazy("Overdue follow-ups"),
    VISIT_OVERDUE: gettext_lazy("Visit overdue"),
    HS_STOPPED: gettext_lazy("High-school student stopped coming"),
}
# The purpose a visit planned from a warning starts with: the reason it is planned for.
VISIT_PURPOSE_BY_KIND = {
    ABSENCES: VisitPurpose.ABSENCES,
    RATE_DROP: VisitPurpose.ABSENCES,  # a falling rate is absences too
    NO_CONTACT: VisitPurpose.REGULAR,  # seeing how the child is, not chasing absences
    FOLLOW_UP: VisitPurpose.OTHER,  # carrying out what a follow-up asked for
    VISIT_OVERDUE: VisitPurpose.REGULAR,
    HS_STOPPED: VisitPurpose.ABSENCES,
}
WINDOW_DAYS = 28


@dataclass(frozen=True)
class Thresholds:
    consecutive_absences: int = 2
    rate_below: int = 50
    rate_before: int = 75
    no_contact_days: int = 30
    stopped_coming_days: int = 30

    @classmethod
    def of(cls, settings: WarningSettings | None) -> Thresholds:
        if settings is None:
            return cls()
        return cls(settings.consecutive_absences, settings.rate_below, settings.rate_before, settings.no_contact_days,
                   settings.stopped_coming_days)


@dataclass
class WarningEntry:
    """One reason to look at one child. ``key`` says what makes it new (for the daily email)."""

    kind: str
    student: Student
    reason: str
    key: str
    on: dt.date | None = None  # the date the reason refers to (last absence, due date...)
    follow_up: FollowUpAction | None = None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def staff_name(self) -> str:
        return person_name(self.student.staff_in_charge)

    @property
    def owner_name(self) -> str:
        return person_name(self.follow_up.owner) if self.follow_up else ""

    @property
    def plan_visit_url(self) -> str:
        return plan_visit_url(self.student, purpose=VISIT_PURPOSE_BY_KIND[self.kind])


@dataclass
class WarningReport:
    """The warnings of some sites on a day, in a stable order (kind, then kana)."""

    today: dt.date
    warnings: list[WarningEntry] = field(default_factory=list)
    thresholds: dict[int, Thresholds] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[WarningEntry]:
        return [w for w in self.warnings if w.kind == kind]

    def counts(self) -> dict[str, int]:
        return {kind: len(self.of_kind(kind)) for kind in KINDS}

    @property
    def children(self) -> list[Student]:
        """Each warned child once, in the order of their first warning."""
        seen: dict[int, Student] = {}
        for w in self.warnings:
            seen.setdefault(w.student.pk, w.student)
        return list(seen.values())

    def __len__(self) -> int:
        return len(self.warnings)


def plan_visit_url(student: Student, *, purpose: str) -> str:
    """A new draft visit for the child with its purpose prefilled."""
    return f"{reverse('casework:visit_create')}?{urlencode({'student': student.pk, 'purpose': str(purpose)})}"


def thresholds_for(sites: Iterable[Site]) -> dict[int, Thresholds]:
    """Each site's thresholds (the defaults where none were saved yet): one query, no write."""
    ids = [s.pk for s in sites]
    saved = {ws.site_id: Thresholds.of(ws) for ws in WarningSettings.objects.filter(site_id__in=ids)}
    return {pk: saved.get(pk, Thresholds()) for pk in ids}



def _local_date(value) -> dt.date | None:
    return localtime.local_date(value)


def students_with_facts(queryset, today: dt.date):
    """The students annotated with what the rules need, from scratch over their rows up to ``today``.

    ``last_came``, ``absences_since``, ``last_absence``, ``last_visit_at``, ``last_contact_at``,
    ``last_dropin``, ``next_visit_due``: one query of correlated subqueries over each child's whole
    history. The pages read the maintained facts instead (``with_facts``); this is what they must
    equal, and what a child whose rows reach past ``today`` is read with.
    """
    return case_of(presence_of(queryset, today), before=localtime.day_start(today + dt.timedelta(days=1)))


FACT_NAMES = ("last_came", "absences_since", "last_absence", "last_dropin", "last_visit_at", "last_contact_at",
              "next_visit_due")


def _row(child: Student, name: str):
    try:
        return getattr(child, name)
    except ObjectDoesNotExist:  # no row yet: nothing recorded, the same as an empty row
        return None


def with_facts(queryset, today: dt.date) -> list[Student]:
    """The students of ``queryset``, each with the attributes of ``students_with_facts`` for ``today``,
    read from the maintained facts (``PresenceFacts``, ``CaseFacts``): one query, two when a child's
    rows reach past ``today`` (see ``classroom.models.facts``), who is then read from scratch.
    """
    children = list(queryset.select_related("presence_facts", "case_facts"))
    tomorrow = localtime.day_start(today + dt.timedelta(days=1))
    ahead = []
    for child in children:
        presence, case = _row(child, "presence_facts"), _row(child, "case_facts")
        child.last_came = presence.last_came if presence else None
        child.absences_since = presence.absences_since if presence else 0
        child.last_absence = presence.last_absence if presence else None
        child.last_dropin = presence.last_dropin if presence else None
        child.last_visit_at = case.last_visit_at if case else None
        child.last_contact_at = case.last_contact_at if case else None
        child.next_visit_due = case.next_visit_due if case else None
        if (presence and presence.horizon and presence.horizon > today) or (case and case.horizon
                                                                             and case.horizon >= tomorrow):
            ahead.append(child)
    if ahead:
        scratch = {s.pk: s for s in students_with_facts(Student.objects.filter(pk__in=[c.pk for c in ahead]), today)}
        for child in ahead:
            for name in FACT_NAMES:
                setattr(child, name, getattr(scratch[child.pk], name))
    return children


def _none_or_before(path: str, bound) -> Q:
    return Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__lt": bound})


def in_high_school(today: dt.date) -> Q:
    """Students in high school on ``today`` (``grades.HIGH_SCHOOL``), in SQL, as ``Student.grade_on`` says."""
    oldest, _end = grades.birth_date_range(grades.Grade.H3, today)
    _start, youngest = grades.birth_date_range(grades.Grade.H1, today)
    return Q(grade_override__in=grades.HIGH_SCHOOL) | Q(grade_override="", birth_date__range=(oldest, youngest))


def outcome_of_the_year(today: dt.date) -> Exists:
    """The student has an outcome of any stage recorded for the fiscal year of ``today``."""
    return Exists(Outcome.objects.filter(student=OuterRef("pk"), fiscal_year=grades.fiscal_year_of(today)))


def may_warn(sites: list[Site], limits_by_site: dict[int, Thresholds], today: dt.date) -> Q:
    """The children whose facts may give a warning on ``today``, in SQL: a superset of those that do.

    Per site: an absence run of N or more, or enrolled and last seen more than D days ago (or never),
    or in high school, last come more than S days ago and without an outcome of the year;
    anywhere: a next visit or an open follow-up due before today, or facts that reach past today.
    The rate drop is decided from the window's rows apart (``compute``).
    """
    tomorrow = localtime.day_start(today + dt.timedelta(days=1))
    found = (Q(presence_facts__horizon__gt=today) | Q(case_facts__horizon__gte=tomorrow)
             | Q(case_facts__next_visit_due__lt=today) | Q(case_facts__open_follow_up_due__lt=today))
    for site in sites:
        limits = limits_by_site[site.pk]
        cut = today - dt.timedelta(days=limits.no_contact_days)
        silent = (Q(enrolled_on__lt=cut) & _none_or_before("presence_facts__last_came", cut)
                  & _none_or_before("presence_facts__last_dropin", cut)
                  & _none_or_before("case_facts__last_visit_at", localtime.day_start(cut))
                  & _none_or_before("case_facts__last_contact_at", localtime.day_start(cut)))
        stopped = (in_high_school(today) & ~Q(outcome_of_the_year(today))
                   & Q(presence_facts__last_came__lt=today - dt.timedelta(days=limits.stopped_coming_days)))
        found |= Q(site=site.pk) & (Q(presence_facts__absences_since__gte=limits.consecutive_absences) | silent
                                    | stopped)
    return found


def last_contact_on(student: Student) -> dt.date | None:
    """The latest day of a visit, contact, attended class or drop-in, from the annotations."""
    days = [_local_date(v) for v in (student.last_visit_at, student.last_contact_at, student.last_came,
                                     student.last_dropin)]
    days = [d for d in days if d is not None]
    return max(days) if days else None


def rate_windows(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    recent_start = today - dt.timedelta(days=WINDOW_DAYS - 1)
    before_end = recent_start - dt.timedelta(days=1)
    return {"recent": (recent_start, today), "before": (before_end - dt.timedelta(days=WINDOW_DAYS - 1), before_end)}


def is_rate_drop(recent: stats.AttendanceRate, before: stats.AttendanceRate, limits: Thresholds) -> bool:
    """``recent < X%`` and ``before >= Y%``, in exact integer arithmetic; no rate, no warning."""
    if not recent.recorded or not before.recorded:
        return False
    return (recent.attended * 100 < limits.rate_below * recent.recorded
            and before.attended * 100 >= limits.rate_before * before.recorded)


def _md(day: dt.date) -> str:
    return f"{day.month}/{day.day}"


def compute(sites: Iterable[Site], today: dt.date | None = None, *, student_ids: Iterable[int] | None = None
            ) -> WarningReport:
    """Every warning for the active children of ``sites`` on ``today``: four queries in all (five when a
    child's rows reach past ``today``), each reading rows bounded by the children who may warn and
    by the rate's 56-day window, not by the history.

    1. the thresholds; 2. the attendance rates over the two 28-day windows (``stats.attendance_rates_at``:
    an indexed read of the window's class days and their attendance; a rate moves with today, so it
    is read, not maintained, and what it reads is bounded by the window); 3. the children whose
    maintained facts (``PresenceFacts``, ``CaseFacts``) may warn or whose rate dropped, with those
    facts; 4. their overdue follow-ups.
    """
    today = today or timezone.localdate()
    sites = list(sites)
    report = WarningReport(today=today)
    if not sites:
        return report
    limits_by_site = report.thresholds = thresholds_for(sites)
    queryset = Student.objects.active().filter(site__in=sites)
    if student_ids is not None:
        student_ids = list(student_ids)
        queryset = queryset.filter(pk__in=student_ids)
    rates = stats.attendance_rates_at(sites, rate_windows(today), student_ids=student_ids)
    dropping = [pk for pk, (site_id, rate) in rates.items()
                if is_rate_drop(rate["recent"], rate["before"], limits_by_site[site_id])]
    selected = (queryset.filter(may_warn(sites, limits_by_site, today) | Q(pk__in=dropping))
                .annotate(outcome_of_the_year=outcome_of_the_year(today)))
    children = with_facts(selected.select_related("site", "staff_in_charge").in_kana_order(), today)
    by_id = {s.pk: s for s in children}
    empty = {"recent": stats.AttendanceRate(), "before": stats.AttendanceRate()}
    found: dict[str, list[WarningEntry]] = {kind: [] for kind in KINDS}
    for child in children:
        limits = limits_by_site[child.site_id]
        if child.absences_since >= limits.consecutive_absences:
            found[ABSENCES].append(WarningEntry(
                ABSENCES, child, key=child.last_absence.isoformat(), on=child.last_absence,
                reason=_("%(count)s absences in a row without notice (last %(date)s)")
                % {"count": child.absences_since, "date": _md(child.last_absence)},
            ))
        _site, rate = rates.get(child.pk, (child.site_id, empty))
        recent, before = rate["recent"], rate["before"]
        if is_rate_drop(recent, before, limits):
            found[RATE_DROP].append(WarningEntry(
                RATE_DROP, child, key=today.isoformat()[:7], on=today,  # at most once a month while it lasts
                reason=_("Attendance %(recent)s over the last 4 weeks, down from %(before)s")
                % {"recent": recent, "before": before},
            ))
        last = last_contact_on(child)
        since = max(last, child.enrolled_on) if last else child.enrolled_on
        days = (today - since).days
        if days > limits.no_contact_days:
            found[NO_CONTACT].append(WarningEntry(
                NO_CONTACT, child, key=since.isoformat(), on=last,
                reason=(_("No contact for %(days)s days (last %(date)s)") % {"days": days, "date": _md(last)})
                if last else _("No contact since enrolment %(days)s days ago") % {"days": days},
            ))
        if (child.last_came and (today - child.last_came).days > limits.stopped_coming_days
                and child.grade_on(today) in grades.HIGH_SCHOOL and not child.outcome_of_the_year):
            found[HS_STOPPED].append(WarningEntry(
                HS_STOPPED, child, key=child.last_came.isoformat(), on=child.last_came,
                reason=_("In high school, has not come for %(days)s days (last %(date)s), no outcome recorded for %(year)s")
                % {"days": (today - child.last_came).days, "date": _md(child.last_came),
                   "year": fiscal_year_label(grades.fiscal_year_of(today))},
            ))
        if child.next_visit_due and child.next_visit_due < today:
            found[VISIT_OVERDUE].append(WarningEntry(
                VISIT_OVERDUE, child, key=child.next_visit_due.isoformat(), on=child.next_visit_due,
                reason=_("The next visit was due on %(date)s") % {"date": _md(child.next_visit_due)},
            ))
    follow_ups = (
        FollowUpAction.objects.overdue(today).filter(student_id__in=by_id.keys())
        .select_related("owner").order_by("due_on", "pk")
    )
    for action in follow_ups:
        child = by_id[action.student_id]
        action.student = child
        found[FOLLOW_UP].append(WarningEntry(
            FOLLOW_UP, child, key=f"{action.pk}:{action.due_on.isoformat()}", on=action.due_on, follow_up=action,
            reason=_("“%(action)s” was due on %(date)s") % {"action": action.description, "date": _md(action.due_on)},
        ))
    report.warnings = [w for kind in KINDS for w in found[kind]]
    return report


CARD_CHILDREN = 5


def card_for(user, today: dt.date | None = None) -> dict | None:
    """The staff home's early-warning card, or None for anyone but staff: five queries, fixed.

    ``{"counts": [(kind, label, count)], "total": int, "entries": first warnings (one per
    child), "more": children not shown}``.
    """
    if not rules.is_staff(user):
        return None
    report = compute(Site.objects.visible_to(user), today)
    first: dict[int, WarningEntry] = {}
    for w in report.warnings:
        first.setdefault(w.student.pk, w)
    entries = list(first.values())
    return {
        "counts": [(kind, KIND_LABELS[kind], n) for kind, n in report.counts().items()],
        "total": len(report),
        "children": len(entries),
        "entries": entries[:CARD_CHILDREN],
        "more": max(0, len(entries) - CARD_CHILDREN),
    }
