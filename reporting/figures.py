"""The figures of the report to the city (事業実績): one module for the page, the exports and the API.

``report(user, period=..., sites=...)`` computes every figure of a fiscal year (April 1 to March
31) or of one month, for the sites given (those the user may see), beside the same figures of
the period a year before. Each figure is an aggregate query (COUNT or SUM grouped by month,
grade, kind...) over both periods at once, so the number of queries does not grow with children,
class days or records; the rows are read through each model's ``visible_to(user)``.

What is counted is written down once, as data, next to the code that counts it: ``FIGURES``
holds each table's title and definition, which the page prints above the table and the exports
under it. The results are plain dataclasses (``Report``, ``Table``, ``Column``, ``Row``).

Grades are the child's grade in the fiscal year (the school-year rule on April 1, or the grade
staff set): a child in 中3 on March 31 is in 高1 on April 1, so each fiscal year is counted with
its own grades. Two more rows come from the outcomes (進路): 中卒未進学 (high-school age and not in
school, or a 中3 whose entry outcome was not a high school) and 高校中退 (left high school).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity, ActivityStatus, Answer, Participant, ParticipantRole
from casework.models import Contact, ContactKind, HomeVisit, InformationShare, RecordStatus, ShareBasis
from classroom import rules
from classroom.grades import (
    SCHOOL_YEAR_GRADES,
    Grade,
    fiscal_year_bounds,
    fiscal_year_of,
    grade_for,
    month_bounds,
)
from classroom.models import (
    Attendance,
    ClassDay,
    ClassDayKind,
    ClassDayStatus,
    DropIn,
    DropInVisitorCount,
    EnrollmentReason,
    Outcome,
    OutcomeResult,
    OutcomeStage,
    RecipientKind,
    Site,
    Student,
    StudentReason,
    Subject,
    TutoringRecord,
)
from classroom.models.attendance import ATTENDED
from classroom.models.outcomes import ENTERED_HIGH_SCHOOL, RESULTS_BY_STAGE
from classroom.models.students import LeavingOutcome
from lib import durations, plausible, wareki
from volunteers.hours import FISCAL_MONTHS, minutes_expression
from volunteers.models import VolunteerAttendance, VolunteerKind

# How a value reads: a count, hours (decimal, summable in a spreadsheet) or a percentage.
COUNT = "count"
HOURS = "hours"
PERCENT = "percent"

# The grade rows of the report: 小3-高3 by the school-year rule, then the two rows the outcomes decide.
NOT_ENTERED = "not_entered"  # 中卒未進学
DROPPED_OUT = "dropped_out"  # 高校中退
OTHER_GRADES = "other_grades"
REPORT_GRADES = [*SCHOOL_YEAR_GRADES[2:], NOT_ENTERED, DROPPED_OUT, OTHER_GRADES]
HIGH_SCHOOL_GRADES = (Grade.H1, Grade.H2, Grade.H3)

# Household types, each child counted once under the first that applies (生活保護 first).
HOUSEHOLD_TYPES = [
    (EnrollmentReason.PUBLIC_ASSISTANCE, gettext_lazy("Public assistance (生活保護)")),
    (EnrollmentReason.SCHOOL_AID, gettext_lazy("School expenses aid (就学援助)")),
    (EnrollmentReason.SINGLE_PARENT, gettext_lazy("Single parent (ひとり親)")),
    ("", gettext_lazy("Other low income")),
]


@dataclass(frozen=True)
class Figure:
    """One table of the report: its title and what exactly it counts (printed with it everywhere)."""

    key: str
    title: Promise
    definition: Promise
    staff_only: bool = False  # case work and enrolment reasons: never shown to coordinators
    yearly_only: bool = False  # counted per fiscal year only (the outcomes)


FIGURES: dict[str, Figure] = {f.key: f for f in (
    Figure("children_by_grade", gettext_lazy("Registered children by grade"), gettext_lazy(
        "Children registered at any time in the period: enrolled on or before its last day and not left before its "
        "first day (paused children included), each counted once. Grade: the grade in the fiscal year (by the date "
        "of birth on April 1, or the grade staff set). 中卒未進学: of high-school age and not in school, or whose "
        "junior-high-3 entry outcome of an earlier year was not a high school. 高校中退: a high-school outcome "
        "'left school' in this fiscal year or before. Other: elementary 1-2 and unknown.")),
    Figure("children_by_household", gettext_lazy("Registered children by household type"), gettext_lazy(
        "The registered children of the table above, each counted once under the first type among their enrolment "
        "reasons: public assistance, then school expenses aid, then single parent; every other child under other "
        "low income."), staff_only=True),
    Figure("children_by_site", gettext_lazy("Registered children by site"), gettext_lazy(
        "The registered children of the first table, by the site they belong to.")),
    Figure("movement", gettext_lazy("New registrations and children who left"), gettext_lazy(
        "New: the enrolment date falls in the month. Left: the leaving date falls in the month, by the leaving "
        "outcome recorded when the child was archived.")),
    Figure("class_days_by_kind", gettext_lazy("Class days held, by kind"), gettext_lazy(
        "Class days up to today that were not cancelled, by how they were held (a cancelled day is not held and "
        "is counted apart; days still to come are not counted).")),
    Figure("class_days_by_site", gettext_lazy("Class days held, by site"), gettext_lazy(
        "The held class days of the table above, by site.")),
    Figure("attendance_by_month", gettext_lazy("Attendance and attendance rate"), gettext_lazy(
        "An attendance is one child on one held class day, marked present, late or left early. Children served: "
        "different children with at least one attendance (a child who came in several months is one child of "
        "the year). Marked: children with any mark on held class days, absences included. Rate: attendances ÷ "
        "marked. Marks on cancelled days are not counted.")),
    Figure("attendance_by_grade", gettext_lazy("Attendance by grade"), gettext_lazy(
        "The attendances and rate of the table above, by the child's grade in the fiscal year (as in the first "
        "table).")),
    Figure("tutoring", gettext_lazy("One-to-one tutoring sessions and hours"), gettext_lazy(
        "A session: a tutoring record written for a child on a held class day (a planned pair without a record "
        "is not counted). Hours: the class day's hours (start to end) for each session. A session with two "
        "subjects counts under each subject, once in the total.")),
    Figure("drop_ins", gettext_lazy("Place to be: visits"), gettext_lazy(
        "Registered children: each check-in at the place to be. Unregistered visitors: the count kept on the "
        "drop-in board for each day.")),
    Figure("home_visits", gettext_lazy("Home visits, guardian consultations and contacts"), gettext_lazy(
        "Home visits: finished visit records (drafts not counted), by the day of the visit in Japan time. "
        "Households: different households visited (a child without a household counts as one); in the total "
        "column each household counts once in the period, so it is not the sum of the months. Guardian "
        "consultations: visits with a parenting consultation written. Contacts: finished calls, messages and "
        "meetings, by kind."), staff_only=True),
    Figure("shares_by_recipient", gettext_lazy("Referrals and information sharing, by recipient"), gettext_lazy(
        "Each recorded provision of a child's information to a third party, by the kind of recipient and the day "
        "it was shared."), staff_only=True),
    Figure("shares_by_basis", gettext_lazy("Information sharing, by legal basis"), gettext_lazy(
        "The shares of the table above, by what each rested on: the guardian's consent, or an exception of the "
        "personal-information law with its reason."), staff_only=True),
    Figure("activities", gettext_lazy("Experience activities and participants"), gettext_lazy(
        "Activities up to today that were not cancelled (program-wide activities count only for all sites). "
        "Participants: those marked as attending, or, where no attendance was taken, those who answered they "
        "were going (the activity report's rule), by role.")),
    Figure("volunteers", gettext_lazy("Volunteers active and their hours"), gettext_lazy(
        "Active: came at least once (volunteer attendance recorded by staff) on a class day of the sites; each "
        "volunteer counts once a column, so the total is not the sum of the months. Hours: arrival to leaving as "
        "recorded, in decimal hours.")),
    Figure("entry_outcomes", gettext_lazy("Junior high 3: high-school entry"), gettext_lazy(
        "Participants: registered children in junior high 3 in the fiscal year. Results: the high-school entry "
        "outcome recorded for the fiscal year. Entry rate: those who entered any high school (full-time, "
        "part-time, correspondence, college of technology, special-needs school) ÷ participants."),
        yearly_only=True),
    Figure("high_school_outcomes", gettext_lazy("High-school students: staying in school"), gettext_lazy(
        "Participants: registered children in high school 1-3 in the fiscal year (by the school-year rule or the "
        "grade staff set), and their 'staying in high school' outcome recorded for the fiscal year."),
        yearly_only=True),
    Figure("next_steps", gettext_lazy("High school 3: next steps"), gettext_lazy(
        "Participants: registered children in high school 3 in the fiscal year, and their next-step outcome "
        "recorded for the fiscal year."), yearly_only=True),
)}  # fmt: skip


# --- Periods ------------------------------------------------------------------------------------
def month_dates(fiscal_year: int) -> list[dt.date]:
    """The first day of each month of the fiscal year, April to March."""
    return [dt.date(fiscal_year if m >= 4 else fiscal_year + 1, m, 1) for m in FISCAL_MONTHS]


@dataclass(frozen=True)
class Period:
    """A fiscal year, or one month of it (``month``: its first day)."""

    fiscal_year: int
    month: dt.date | None = None

    @property
    def start(self) -> dt.date:
        return self.month or fiscal_year_bounds(self.fiscal_year)[0]

    @property
    def end(self) -> dt.date:
        return month_bounds(self.month)[1] if self.month else fiscal_year_bounds(self.fiscal_year)[1]

    @property
    def months(self) -> list[dt.date]:
        return [self.month] if self.month else month_dates(self.fiscal_year)

    @property
    def april_first(self) -> dt.date:
        """The day a child's grade in this period is read on."""
        return fiscal_year_bounds(self.fiscal_year)[0]

    def previous(self) -> Period:
        """The same period a year before: the previous fiscal year, or the same month of it."""
        if self.month:
            return Period(self.fiscal_year - 1, self.month.replace(year=self.month.year - 1))
        return Period(self.fiscal_year - 1)

    @property
    def label(self) -> str:
        """2025年度（令和7年度）, or 令和7年4月 for a month."""
        if self.month:
            return wareki.era_month(self.month.year, self.month.month)
        return wareki.fiscal_year_label(self.fiscal_year)

    @classmethod
    def of_month(cls, month: dt.date) -> Period:
        first = month.replace(day=1)
        return cls(fiscal_year_of(first), first)


# The first fiscal year a report can be asked for: that of the first plausible date (``lib.plausible``).
FIRST_FISCAL_YEAR = plausible.EARLIEST_EVENT.year


def period_asked(fy: int, month: dt.date | None, today: dt.date) -> Period | None:
    """The period a page, an export or the API asks for, or None when there is none to report: a fiscal
    year from FY1990 to the current one, a month of that year up to the current month."""
    if not FIRST_FISCAL_YEAR <= fy <= fiscal_year_of(today):
        return None
    if month is None:
        return Period(fy)
    if fiscal_year_of(month) != fy or month > today:
        return None
    return Period(fy, month.replace(day=1))


def site_asked(sites: list[Site], value: str | int | None) -> tuple[bool, Site | None]:
    """(understood, the site) for a ``site`` parameter among the user's ``sites``: no value is all of
    them ``(True, None)``; anything but one of their ids is not understood ``(False, None)``."""
    if value in (None, ""):
        return True, None
    text = str(value)
    chosen = next((s for s in sites if text.isascii() and text.isdigit() and str(s.pk) == text), None)
    return chosen is not None, chosen


# --- Tables -------------------------------------------------------------------------------------
@dataclass
class Column:
    key: str  # stable for machines: "2025-04" for a month, "total", "previous", or what the column counts
    label: str
    kind: str = "value"  # month, total, previous (the period a year before), value
    unit: str = COUNT


@dataclass
class Row:
    key: str  # stable for machines (a grade, a kind, "total"...); ``label`` is in the user's language
    label: str
    values: list[int | float | None]
    unit: str = ""  # when set, every value of the row reads so, whatever its column
    is_total: bool = False
    level: int = 0  # 1: a breakdown of the row above it

    def units(self, columns: list[Column]) -> list[str]:
        return [self.unit or column.unit for column in columns]

    def cells(self, columns: list[Column]) -> list[tuple[int | float | None, str, str]]:
        """(value, unit, column kind) for each column: what a template needs to format a cell."""
        return [(value, unit, column.kind) for value, unit, column in zip(self.values, self.units(columns), columns,
                                                                          strict=True)]


@dataclass
class Table:
    key: str
    title: str
    definition: str
    row_header: str
    columns: list[Column]
    rows: list[Row]

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def value(self, row: str, column: str) -> int | float | None:
        """The value of row ``row`` in column ``column`` (keys): ``table.value("j3", "total")``."""
        index = next(i for i, c in enumerate(self.columns) if c.key == column)
        return self.row(row).values[index]

    @property
    def lines(self) -> list[tuple[Row, list]]:
        """Each row with its cells (value, unit, column kind), for a template."""
        return [(row, row.cells(self.columns)) for row in self.rows]


@dataclass
class Report:
    period: Period
    sites: list[Site]
    all_sites: bool
    tables: list[Table]
    today: dt.date
    omitted: list[str] = field(default_factory=list)  # titles of the tables this user is not shown

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    @property
    def previous(self) -> Period:
        return self.period.previous()


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


class _Months:
    """Values per month (first days) over both periods, turned into a row's cells."""

    def __init__(self, period: Period):
        self.period = period
        self.previous = period.previous()
        self.yearly = period.month is None

    def columns(self, unit: str = COUNT) -> list[Column]:
        if self.yearly:
            months = [Column(f"{m.year:04d}-{m.month:02d}", date_format(m, "M"), "month", unit) for m in self.period.months]
            return [*months, Column("total", _("Total"), "total", unit),
                    Column("previous", _("Previous FY"), "previous", unit)]
        return [Column("total", self.period.label, "total", unit),
                Column("previous", _("Same month, previous FY"), "previous", unit)]

    def values(self, by_month: dict[dt.date, int | float], *, totals: tuple | None = None) -> list:
        """The months (on the fiscal-year page), the period's total and the previous period's.

        ``totals``: the two totals when they are not the sums of the months (counts of different people)."""
        current = [by_month.get(m, 0) for m in self.period.months]
        if totals is None:
            totals = (sum(current), sum(by_month.get(m, 0) for m in self.previous.months))
        return [*(current if self.yearly else []), *totals]

    def rates(self, part: dict, whole: dict) -> list:
        """Percentages month by month, then of the totals."""
        months = [_percent(part.get(m, 0), whole.get(m, 0)) for m in self.period.months]

        def total(period: Period) -> float | None:
            return _percent(sum(part.get(m, 0) for m in period.months), sum(whole.get(m, 0) for m in period.months))

        return [*(months if self.yearly else []), total(self.period), total(self.previous)]

    def row(self, key: str, label: str, by_month: dict, *, unit: str = "", level: int = 0, is_total: bool = False,
            totals: tuple | None = None) -> Row:
        return Row(key, str(label), self.values(by_month, totals=totals), unit=unit, level=level, is_total=is_total)


def _pair_columns(period: Period, label: str, unit: str = COUNT) -> list[Column]:
    """A figure per category: the period's and the period a year before."""
    previous = _("Previous FY") if period.month is None else _("Same month, previous FY")
    return [Column("total", label, "total", unit), Column("previous", previous, "previous", unit)]


def _month_of(value) -> dt.date:
    """A month from ``TruncMonth``: a date, or a datetime already in Japan time."""
    return dt.date(value.year, value.month, 1)


def _local_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as Japan-time datetimes: from its first midnight to the midnight after its last day."""
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(period.start, dt.time.min, tzinfo=zone),
            dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone))


class _Scope:
    """The sites, periods and user every query of one report shares."""

    def __init__(self, user, period: Period, sites: list[Site], all_sites: bool, today: dt.date):
        self.user = user
        self.period = period
        self.previous = period.previous()
        self.site_ids = [s.pk for s in sites]
        self.all_sites = all_sites
        self.today = today

    def in_periods(self, path: str) -> Q:
        """Rows whose date (``path``) falls in the period or the one a year before."""
        return Q(**{f"{path}__range": (self.period.start, self.period.end)}) | Q(
            **{f"{path}__range": (self.previous.start, self.previous.end)})

    def at_times_in_periods(self, path: str) -> Q:
        """The same for a datetime, by its Japan day."""
        now, before = self.period_filters(path, times=True)
        return now | before

    def period_filters(self, path: str, *, times: bool = False) -> tuple[Q, Q]:
        """"``path`` falls in the period", and in the period a year before (a datetime by its Japan day)."""
        return _within(path, self.period, times), _within(path, self.previous, times)

    def month_filters(self, path: str, *, times: bool = False) -> list[tuple[dt.date, Q]]:
        """Each month of both periods, with the condition "``path`` falls in it": for the counts of
        different people or households, which are counted per month and per period in one query."""
        return [(month, _within(path, Period.of_month(month), times))
                for month in [*self.previous.months, *self.period.months]]


def _within(path: str, period: Period, times: bool) -> Q:
    if times:
        start, end = _local_bounds(period)
        return Q(**{f"{path}__gte": start, f"{path}__lt": end})
    return Q(**{f"{path}__range": (period.start, period.end)})


# --- Grades ---------------------------------------------------------------------------------------
def _grade_keys(student: str) -> dict:
    """What decides a child's report grade in any fiscal year, as annotations (grouped on in SQL):
    the grade staff set, the school-year cohort of the birth date, the first fiscal year the child
    left high school, and the latest high-school entry outcome's year and result.

    ``student``: the path from the rows to the child's id (``pk`` on students, ``student_id`` elsewhere).
    """
    prefix = "" if student == "pk" else student.removesuffix("_id") + "__"
    birth = f"{prefix}birth_date"
    # The school-year rule: children born January 1 to April 1 belong with the year before.
    early = Q(**{f"{birth}__month__lt": 4}) | Q(**{f"{birth}__month": 4, f"{birth}__day": 1})
    outcomes = Outcome.objects.filter(student=OuterRef(student))
    entries = outcomes.filter(stage=OutcomeStage.HIGH_SCHOOL_ENTRY).order_by("-fiscal_year")
    return {
        "g_override": F(f"{prefix}grade_override"),
        "g_cohort": Case(When(early, then=ExtractYear(birth) - 1), default=ExtractYear(birth),
                         output_field=IntegerField()),
        "g_left": Subquery(outcomes.filter(stage=OutcomeStage.HIGH_SCHOOL, result=OutcomeResult.LEFT_SCHOOL)
                           .order_by("fiscal_year").values("fiscal_year")[:1]),
        "g_entry_year": Subquery(entries.values("fiscal_year")[:1]),
        "g_entry": Subquery(entries.values("result")[:1]),
    }


GRADE_KEYS = ("g_override", "g_cohort", "g_left", "g_entry_year", "g_entry")


def school_grade(row: dict, fiscal_year: int) -> str:
    """The grade in ``fiscal_year``: the one staff set, or the school-year rule on April 1."""
    if row["g_override"]:
        return row["g_override"]
    if row["g_cohort"] is None:
        return Grade.OTHER
    # A child of cohort c is born April 2 of c to April 1 of c + 1: ``grade_for`` of any such day.
    return grade_for(dt.date(row["g_cohort"], 4, 2), dt.date(fiscal_year, 4, 1))


def report_grade(row: dict, fiscal_year: int) -> str:
    """The grade row a child is counted on in ``fiscal_year`` (one of ``REPORT_GRADES``)."""
    grade = school_grade(row, fiscal_year)
    in_high_school_years = grade in (*HIGH_SCHOOL_GRADES, Grade.HS_AGE)
    if in_high_school_years and row["g_left"] is not None and row["g_left"] <= fiscal_year:
        return DROPPED_OUT
    if grade == Grade.HS_AGE:
        return NOT_ENTERED
    if (grade in HIGH_SCHOOL_GRADES and row["g_entry_year"] is not None and row["g_entry_year"] < fiscal_year
            and row["g_entry"] not in ENTERED_HIGH_SCHOOL):
        return NOT_ENTERED
    return grade if grade in REPORT_GRADES else OTHER_GRADES


def grade_label(key: str) -> str:
    labels = {NOT_ENTERED: _("Finished junior high, not in high school (中卒未進学)"),
              DROPPED_OUT: _("Left high school (高校中退)"),
              OTHER_GRADES: _("Other (elementary 1-2, unknown)")}
    return labels.get(key) or str(Grade(key).label)


def _household_type():
    """The household type of a child (``HOUSEHOLD_TYPES``), decided in SQL from the enrolment reasons."""
    reasons = StudentReason.objects.filter(student=OuterRef("pk"))
    return Case(*[When(Exists(reasons.filter(reason=code)), then=Value(code)) for code, _label in HOUSEHOLD_TYPES
                  if code], default=Value(""), output_field=CharField())


def _hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


# --- The figures ----------------------------------------------------------------------------------
def _children(scope: _Scope, *, staff_view: bool) -> dict:
    """Registered children per site, report grade, school grade and household type, in both periods (one query)."""

    def registered(period: Period) -> Q:
        return Q(enrolled_on__lte=period.end) & (Q(left_on__isnull=True) | Q(left_on__gte=period.start))

    students = Student.objects.visible_to(scope.user).filter(site__in=scope.site_ids)
    household = _household_type() if staff_view else Value("", output_field=CharField())
    rows = (students.filter(registered(scope.period) | registered(scope.previous))
            .annotate(**_grade_keys("pk"), household_type=household)
            .values("site_id", *GRADE_KEYS, "household_type")
            .annotate(now=Count("pk", filter=registered(scope.period)),
                      before=Count("pk", filter=registered(scope.previous)))
            .order_by())
    counts = {key: defaultdict(lambda: [0, 0]) for key in ("grade", "school_grade", "household", "site")}
    for row in rows:
        for index, (period, n) in enumerate(((scope.period, row["now"]), (scope.previous, row["before"]))):
            counts["grade"][report_grade(row, period.fiscal_year)][index] += n
            counts["school_grade"][school_grade(row, period.fiscal_year)][index] += n
            counts["household"][row["household_type"]][index] += n
            counts["site"][row["site_id"]][index] += n
    return counts


def _pairs_table(key: str, scope: _Scope, row_header: str, column: str,
                 lines: Iterable[tuple[str, list[int]]]) -> Table:
    lines = list(lines)
    rows = [Row(str(key), str(label), list(values)) for key, label, values in lines]
    total = [sum(values[i] for _key, _label, values in lines) for i in (0, 1)]
    rows.append(Row("total", _("Total"), total, is_total=True))
    return _table(key, row_header, _pair_columns(scope.period, column), rows)


def _table(key: str, row_header: str, columns: list[Column], rows: list[Row]) -> Table:
    figure = FIGURES[key]
    return Table(key, str(figure.title), str(figure.definition), str(row_header), columns, rows)


def _children_tables(scope: _Scope, counts: dict, sites: list[Site], staff_view: bool) -> list[Table]:
    children = _("Children")
    tables = [_pairs_table("children_by_grade", scope, _("Grade"), children,
                           ((g, grade_label(g), counts["grade"][g]) for g in REPORT_GRADES))]
    if staff_view:
        tables.append(_pairs_table("children_by_household", scope, _("Household type"), children,
                                   ((code or "other", label, counts["household"][code]) for code, label in HOUSEHOLD_TYPES)))
    tables.append(_pairs_table("children_by_site", scope, _("Site"), children,
                               ((site.pk, site.name, counts["site"][site.pk]) for site in sites)))
    return tables


def _movement(scope: _Scope, months: _Months) -> Table:
    """New registrations and leavers per month, leavers by leaving outcome (one query)."""
    rows = (Student.objects.visible_to(scope.user).filter(site__in=scope.site_ids)
            .filter(scope.in_periods("enrolled_on") | scope.in_periods("left_on"))
            .annotate(enrolled=TruncMonth("enrolled_on"), left=TruncMonth("left_on"))
            .values("enrolled", "left", "leaving_outcome").annotate(n=Count("pk")).order_by())
    new: dict[dt.date, int] = defaultdict(int)
    left: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        new[_month_of(row["enrolled"])] += row["n"]
        if row["left"] is not None:
            left[row["leaving_outcome"]][_month_of(row["left"])] += row["n"]
    all_left: dict[dt.date, int] = defaultdict(int)
    for by_month in left.values():
        for month, n in by_month.items():
            all_left[month] += n
    lines = [months.row("new", _("New registrations"), new), months.row("left", _("Children who left"), all_left)]
    lines += [months.row(f"left_{code or 'unknown'}", label, left[code], level=1)
              for code, label in [*LeavingOutcome.choices, ("", _("Not recorded"))] if code in left]
    return _table("movement", _("Item"), months.columns(), lines)


def _class_days(scope: _Scope, months: _Months, sites: list[Site]) -> list[Table]:
    """Held and cancelled class days per month, kind and site (one query)."""
    rows = (ClassDay.objects.visible_to(scope.user).filter(site__in=scope.site_ids, date__lte=scope.today)
            .filter(scope.in_periods("date")).annotate(month=TruncMonth("date"))
            .values("month", "site_id", "kind", "status").annotate(n=Count("pk")).order_by())
    held, by_kind, by_site, cancelled = defaultdict(int), defaultdict(dict), defaultdict(dict), defaultdict(int)
    for row in rows:
        month = _month_of(row["month"])
        if row["status"] == ClassDayStatus.CANCELLED:
            cancelled[month] += row["n"]
            continue
        held[month] += row["n"]
        by_kind[row["kind"]][month] = by_kind[row["kind"]].get(month, 0) + row["n"]
        by_site[row["site_id"]][month] = by_site[row["site_id"]].get(month, 0) + row["n"]
    kinds = [months.row(code, label, by_kind[code], level=1) for code, label in ClassDayKind.choices]
    return [
        _table("class_days_by_kind", _("Kind"), months.columns(), [
            months.row("held", _("Class days held"), held, is_total=True), *kinds,
            months.row("cancelled", _("Cancelled (not counted above)"), cancelled)]),
        _table("class_days_by_site", _("Site"), months.columns(), [
            *[months.row(str(site.pk), site.name, by_site[site.pk]) for site in sites],
            months.row("total", _("Total"), held, is_total=True)]),
    ]


def _attendance(scope: _Scope, months: _Months) -> list[Table]:
    """Attendances and children marked on held class days, per month and grade (one query)."""
    rows = (Attendance.objects.visible_to(scope.user)
            .filter(class_day__site__in=scope.site_ids, class_day__date__lte=scope.today)
            .exclude(class_day__status=ClassDayStatus.CANCELLED).filter(scope.in_periods("class_day__date"))
            .annotate(month=TruncMonth("class_day__date"), **_grade_keys("student_id"))
            .values("month", *GRADE_KEYS)
            .annotate(marked=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED))).order_by())
    attended, marked = defaultdict(int), defaultdict(int)
    by_grade = defaultdict(lambda: [0, 0, 0, 0])  # attended, marked: this period, then the previous one
    for row in rows:
        month = _month_of(row["month"])
        attended[month] += row["attended"]
        marked[month] += row["marked"]
        previous = month < scope.period.start
        grade = report_grade(row, fiscal_year_of(month))
        by_grade[grade][2 * previous] += row["attended"]
        by_grade[grade][2 * previous + 1] += row["marked"]
    served, served_totals = _children_served(scope)
    by_month = _table("attendance_by_month", _("Item"), months.columns(), [
        months.row("attended", _("Attendances"), attended, is_total=True),
        months.row("served", _("Children served"), served, totals=served_totals),
        months.row("marked", _("Children marked"), marked),
        Row("rate", _("Attendance rate (%)"), months.rates(attended, marked), unit=PERCENT)])
    previous_label = _("Previous FY") if scope.period.month is None else _("Same month, previous FY")
    columns = [Column("attended", _("Attendances"), "total"), Column("rate", _("Attendance rate (%)"), "total", PERCENT),
               Column("previous_attended", f"{previous_label}: " + _("Attendances"), "previous"),
               Column("previous_rate", f"{previous_label}: " + _("Attendance rate (%)"), "previous", PERCENT)]

    def line(key: str, label: str, counts: list[int], **kwargs) -> Row:
        return Row(key, label, [counts[0], _percent(counts[0], counts[1]), counts[2], _percent(counts[2], counts[3])],
                   **kwargs)

    total = [sum(counts[i] for counts in by_grade.values()) for i in range(4)]
    by_grade_table = _table("attendance_by_grade", _("Grade"), columns, [
        *[line(g, grade_label(g), by_grade[g]) for g in REPORT_GRADES], line("total", _("Total"), total, is_total=True)])
    return [by_month, by_grade_table]


def _children_served(scope: _Scope) -> tuple[dict[dt.date, int], tuple[int, int]]:
    """Different children who came (present, late or left early) on held class days, per month and per
    period: a child who came in April and in May is one child of the year (one query)."""
    came = (Attendance.objects.visible_to(scope.user)
            .filter(class_day__site__in=scope.site_ids, class_day__date__lte=scope.today, status__in=ATTENDED)
            .exclude(class_day__status=ClassDayStatus.CANCELLED).filter(scope.in_periods("class_day__date")))
    by_month = scope.month_filters("class_day__date")
    now, before = scope.period_filters("class_day__date")
    result = came.aggregate(**{f"served_{i}": Count("student", distinct=True, filter=within)
                               for i, (_month, within) in enumerate(by_month)},
                            now=Count("student", distinct=True, filter=now),
                            before=Count("student", distinct=True, filter=before))
    return ({month: result[f"served_{i}"] for i, (month, _within) in enumerate(by_month)},
            (result["now"], result["before"]))


def _tutoring(scope: _Scope, months: _Months) -> Table:
    """Written tutoring records on held class days per month and subjects, with the class hours (one query)."""
    rows = (TutoringRecord.objects.visible_to(scope.user).written()
            .filter(class_day__site__in=scope.site_ids, class_day__date__lte=scope.today)
            .exclude(class_day__status=ClassDayStatus.CANCELLED).filter(scope.in_periods("class_day__date"))
            .annotate(month=TruncMonth("class_day__date"))
            .values("month", "subjects")
            .annotate(n=Count("pk"), minutes=Sum(durations.minutes_expression("class_day__start_time", "class_day__end_time"),
                                                 output_field=IntegerField()))
            .order_by())
    sessions, minutes = defaultdict(int), defaultdict(int)
    by_subject: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        month = _month_of(row["month"])
        sessions[month] += row["n"]
        minutes[month] += row["minutes"] or 0
        for subject in {s for s in row["subjects"].split(",") if s} or {""}:
            by_subject[subject][month] += row["n"]
    subjects = [*Subject.choices, ("", _("Subject not recorded"))]
    return _table("tutoring", _("Item"), months.columns(), [
        months.row("sessions", _("Sessions"), sessions, is_total=True),
        *[months.row(code or "unknown", label, by_subject[code], level=1) for code, label in subjects
          if code in by_subject],
        Row("hours", _("Tutoring hours"), [_hours(v) for v in months.values(minutes)], unit=HOURS)])


def _drop_ins(scope: _Scope, months: _Months) -> Table:
    """Check-ins of registered children and unregistered visitors per month: one query (a union)."""
    visits = (DropIn.objects.visible_to(scope.user).filter(site__in=scope.site_ids).filter(scope.in_periods("date"))
              .annotate(month=TruncMonth("date")).values("month")
              .annotate(visits=Count("pk"), visitors=Value(0, output_field=IntegerField())).order_by())
    # The unregistered visitors' counts belong to a site the user sees (the site ids come from Site.visible_to).
    visitors = (DropInVisitorCount.objects.filter(site__in=scope.site_ids).filter(scope.in_periods("date"))
                .annotate(month=TruncMonth("date")).values("month")
                .annotate(visits=Value(0, output_field=IntegerField()), visitors=Sum("count")).order_by())
    registered, unregistered = defaultdict(int), defaultdict(int)
    for row in visits.union(visitors, all=True):
        month = _month_of(row["month"])
        registered[month] += row["visits"] or 0
        unregistered[month] += row["visitors"] or 0
    both = {m: registered.get(m, 0) + unregistered.get(m, 0) for m in {*registered, *unregistered}}
    return _table("drop_ins", _("Item"), months.columns(), [
        months.row("registered", _("Visits by registered children"), registered),
        months.row("unregistered", _("Unregistered visitors"), unregistered),
        months.row("total", _("Total"), both, is_total=True)])


def _home_visits(scope: _Scope, months: _Months) -> Table:
    """Finished visits, households and guardian consultations per month, and households per period (one
    query: households are counted once per column, so their total is not a sum); contacts per month
    and kind (one query)."""
    household = Coalesce(F("student__household_id"), F("student_id") * -1)
    visits = (HomeVisit.objects.visible_to(scope.user)
              .filter(student__site__in=scope.site_ids, status=RecordStatus.DONE)
              .filter(scope.at_times_in_periods("visited_at")).annotate(household=household))
    by_month = scope.month_filters("visited_at", times=True)
    consulted = ~Q(parenting_consultation="")
    aggregates = {}
    for i, (_month, within) in enumerate(by_month):
        aggregates |= {f"visits_{i}": Count("pk", filter=within),
                       f"households_{i}": Count("household", distinct=True, filter=within),
                       f"consultations_{i}": Count("pk", filter=within & consulted)}
    now, before = scope.period_filters("visited_at", times=True)
    result = visits.aggregate(**aggregates, now=Count("household", distinct=True, filter=now),
                              before=Count("household", distinct=True, filter=before))

    def per_month(name: str) -> dict:
        return {month: result[f"{name}_{i}"] for i, (month, _within) in enumerate(by_month)}

    contacts = (Contact.objects.visible_to(scope.user)
                .filter(student__site__in=scope.site_ids, status=RecordStatus.DONE)
                .filter(scope.at_times_in_periods("contacted_at")).annotate(month=TruncMonth("contacted_at"))
                .values("month", "kind").annotate(n=Count("pk")).order_by())
    by_kind: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    all_contacts = defaultdict(int)
    for row in contacts:
        by_kind[row["kind"]][_month_of(row["month"])] += row["n"]
        all_contacts[_month_of(row["month"])] += row["n"]
    return _table("home_visits", _("Item"), months.columns(), [
        months.row("visits", _("Home visits"), per_month("visits"), is_total=True),
        months.row("households", _("Households visited"), per_month("households"), level=1,
                   totals=(result["now"], result["before"])),
        months.row("consultations", _("Guardian consultations"), per_month("consultations")),
        months.row("contacts", _("Contacts"), all_contacts, is_total=True),
        *[months.row(f"contact_{code}", label, by_kind[code], level=1) for code, label in ContactKind.choices]])


def _shares(scope: _Scope, months: _Months) -> list[Table]:
    """Information shares per month, recipient kind and basis (one query)."""
    rows = (InformationShare.objects.visible_to(scope.user).filter(student__site__in=scope.site_ids)
            .filter(scope.at_times_in_periods("shared_at")).annotate(month=TruncMonth("shared_at"))
            .values("month", "recipient_kind", "basis").annotate(n=Count("pk")).order_by())
    by_kind: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    by_basis: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    total = defaultdict(int)
    for row in rows:
        month = _month_of(row["month"])
        by_kind[row["recipient_kind"]][month] += row["n"]
        by_basis[row["basis"]][month] += row["n"]
        total[month] += row["n"]
    # The order of the national survey: child guidance first, then welfare, schools, self-reliance support, other agencies.
    kinds = [RecipientKind.CHILD_GUIDANCE, RecipientKind.CASEWORKER, RecipientKind.SCHOOL,
             RecipientKind.SCHOOL_SOCIAL_WORKER, RecipientKind.SELF_RELIANCE, RecipientKind.AGENCY]
    recipients = [(k, RecipientKind(k).label) for k in kinds] + [("", _("Other recipient (not in the list)"))]
    return [
        _table("shares_by_recipient", _("Recipient"), months.columns(), [
            *[months.row(code or "other", label, by_kind[code]) for code, label in recipients],
            months.row("total", _("Total"), total, is_total=True)]),
        _table("shares_by_basis", _("Basis"), months.columns(), [
            *[months.row(code, label, by_basis[code]) for code, label in ShareBasis.choices],
            months.row("total", _("Total"), total, is_total=True)]),
    ]


ACTIVITY = "__activity"  # the union's tag for a row that counts activities rather than participants


def _activities(scope: _Scope, months: _Months) -> Table:
    """Activities held and their participants per month and role: one query (a union)."""
    activities = Activity.objects.filter(pk__in=Activity.objects.visible_to(scope.user).values("pk"))
    if not scope.all_sites:
        activities = activities.filter(site__in=scope.site_ids)
    held = (activities.exclude(status=ActivityStatus.CANCELLED).filter(date__lte=scope.today)
            .filter(scope.in_periods("date")))
    # Both halves of the union select the same columns in the same order: month, who, n.
    counted = (held.annotate(month=TruncMonth("date"), who=Value(ACTIVITY, output_field=CharField()))
               .values("month", "who").annotate(n=Count("pk")).order_by())
    attendance_taken = Exists(Participant.objects.filter(activity=OuterRef("activity")).exclude(attendance=""))
    participants = (Participant.objects.filter(activity__in=held.values("pk")).annotate(taken=attendance_taken)
                    .filter(Q(taken=True, attendance__in=ATTENDED) | Q(taken=False, answer=Answer.GOING))
                    .annotate(month=TruncMonth("activity__date"), who=F("role")).values("month", "who")
                    .annotate(n=Count("pk")).order_by())
    by_role: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    everyone = defaultdict(int)
    for row in counted.union(participants, all=True):
        month = _month_of(row["month"])
        by_role[row["who"]][month] += row["n"]
        if row["who"] != ACTIVITY:
            everyone[month] += row["n"]
    return _table("activities", _("Item"), months.columns(), [
        months.row("activities", _("Activities held"), by_role[ACTIVITY], is_total=True),
        months.row("participants", _("Participants"), everyone, is_total=True),
        *[months.row(code, label, by_role[code], level=1) for code, label in ParticipantRole.choices]])


def _volunteers(scope: _Scope, months: _Months) -> Table:
    """Volunteers who came and their minutes per kind, per month and per period (one query: people are
    counted once per column, so their total is not a sum)."""
    days = ClassDay.objects.visible_to(scope.user).filter(site__in=scope.site_ids)
    attendance = VolunteerAttendance.objects.filter(class_day__in=days).filter(scope.in_periods("class_day__date"))
    by_month = scope.month_filters("class_day__date")
    aggregates = {}
    for i, (_month, within) in enumerate(by_month):
        aggregates |= {f"people_{i}": Count("volunteer", distinct=True, filter=within),
                       f"minutes_{i}": Sum(minutes_expression(), filter=within, output_field=IntegerField())}
    now, before = scope.period_filters("class_day__date")
    rows = attendance.values("volunteer__kind").annotate(
        **aggregates, now=Count("volunteer", distinct=True, filter=now),
        before=Count("volunteer", distinct=True, filter=before)).order_by()
    people: dict[str, dict] = defaultdict(dict)
    minutes: dict[str, dict] = defaultdict(dict)
    unique: dict[str, tuple[int, int]] = {}
    for row in rows:
        kind = row["volunteer__kind"]
        unique[kind] = (row["now"], row["before"])
        for i, (month, _within) in enumerate(by_month):
            people[kind][month] = row[f"people_{i}"]
            minutes[kind][month] = row[f"minutes_{i}"] or 0
    kinds = VolunteerKind.choices

    def summed(by_kind: dict) -> dict:
        result = defaultdict(int)
        for by_month in by_kind.values():
            for month, n in by_month.items():
                result[month] += n
        return result

    def hour_values(by_month: dict) -> list:
        # The totals are summed in minutes, then turned into hours once.
        return [_hours(v) for v in months.values(by_month)]

    all_unique = tuple(sum(unique.get(code, (0, 0))[i] for code, _label in kinds) for i in (0, 1))
    return _table("volunteers", _("Item"), months.columns(), [
        months.row("active", _("Volunteers active"), summed(people), is_total=True, totals=all_unique),
        *[months.row(code, label, people[code], level=1, totals=unique.get(code, (0, 0))) for code, label in kinds],
        Row("hours", _("Hours"), hour_values(summed(minutes)), unit=HOURS, is_total=True),
        *[Row(f"hours_{code}", str(label), hour_values(minutes[code]), unit=HOURS, level=1) for code, label in kinds]])


def _outcomes(scope: _Scope, children: dict) -> list[Table]:
    """The outcomes of the fiscal year and the one before, by stage, result and grade (one query)."""
    years = (scope.period.fiscal_year, scope.previous.fiscal_year)
    keys = _grade_keys("student_id")
    rows = (Outcome.objects.visible_to(scope.user)
            .filter(student__site__in=scope.site_ids, fiscal_year__in=years)
            .annotate(g_override=keys["g_override"], g_cohort=keys["g_cohort"])
            .values("fiscal_year", "stage", "result", "g_override", "g_cohort").annotate(n=Count("pk")).order_by())
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        index = years.index(row["fiscal_year"])
        grade = school_grade(row, row["fiscal_year"])
        counts[(row["stage"], row["result"], grade)][index] += row["n"]
        counts[(row["stage"], row["result"])][index] += row["n"]
        counts[(row["stage"],)][index] += row["n"]
    participants = children["school_grade"]
    column = _("Children")

    def stage_rows(stage: str, grade: str) -> list[Row]:
        who = participants[grade]
        recorded = counts[(stage,)]
        return [Row("participants", _("Participants in the grade"), list(who), is_total=True),
                Row("recorded", _("Outcome recorded"), list(recorded)),
                *[Row(r, str(OutcomeResult(r).label), list(counts[(stage, r)]), level=1) for r in RESULTS_BY_STAGE[stage]],
                Row("not_recorded", _("Not recorded yet"), [max(who[i] - recorded[i], 0) for i in (0, 1)])]

    entry = OutcomeStage.HIGH_SCHOOL_ENTRY
    entered = [sum(counts[(entry, r)][i] for r in ENTERED_HIGH_SCHOOL) for i in (0, 1)]
    j3 = participants[Grade.J3]
    entry_rows = [*stage_rows(entry, Grade.J3), Row("entered", _("Entered a high school"), entered, is_total=True),
                  Row("rate", _("High-school entry rate (%)"), [_percent(entered[i], j3[i]) for i in (0, 1)],
                      unit=PERCENT)]
    stay = OutcomeStage.HIGH_SCHOOL
    results = RESULTS_BY_STAGE[stay]
    previous = _("Previous FY")
    stay_columns = [Column("participants", _("Participants in the grade"), "total"),
                    *[Column(r, str(OutcomeResult(r).label), "total") for r in results],
                    Column("previous_left_school", f"{previous}: " + str(OutcomeResult.LEFT_SCHOOL.label), "previous")]

    def stay_line(key: str, label: str, grades: Iterable[str], **kwargs) -> Row:
        grades = list(grades)
        return Row(key, label, [sum(participants[g][0] for g in grades),
                           *[sum(counts[(stay, r, g)][0] for g in grades) for r in results],
                           sum(counts[(stay, OutcomeResult.LEFT_SCHOOL, g)][1] for g in grades)], **kwargs)

    return [
        _table("entry_outcomes", _("Item"), _pair_columns(scope.period, column), entry_rows),
        _table("high_school_outcomes", _("Grade"), stay_columns, [
            *[stay_line(g, str(Grade(g).label), [g]) for g in HIGH_SCHOOL_GRADES],
            stay_line("total", _("Total"), HIGH_SCHOOL_GRADES, is_total=True)]),
        _table("next_steps", _("Item"), _pair_columns(scope.period, column), stage_rows(OutcomeStage.NEXT_STEP, Grade.H3)),
    ]


def shows_figure(user, figure: Figure) -> bool:
    """Case work and enrolment reasons are staff's (``classroom.rules``): coordinators get the other tables."""
    return not figure.staff_only or rules.is_superuser(user) or rules.can_see_sensitive(user)


def report(user, *, period: Period, sites: list[Site], all_sites: bool, today: dt.date | None = None) -> Report:
    """Every figure of ``period`` for ``sites`` (which the caller took from ``Site.objects.visible_to(user)``),
    each beside the same figure a year before."""
    today = today or timezone.localdate()
    scope = _Scope(user, period, sites, all_sites, today)
    months = _Months(period)
    staff_view = shows_figure(user, FIGURES["children_by_household"])
    children = _children(scope, staff_view=staff_view)
    tables = [*_children_tables(scope, children, sites, staff_view), _movement(scope, months),
              *_class_days(scope, months, sites), *_attendance(scope, months), _tutoring(scope, months),
              _drop_ins(scope, months)]
    if staff_view:
        tables += [_home_visits(scope, months), *_shares(scope, months)]
    tables += [_activities(scope, months), _volunteers(scope, months)]
    if period.month is None:
        tables += _outcomes(scope, children)
    order = list(FIGURES)
    tables.sort(key=lambda t: order.index(t.key))
    omitted = [str(f.title) for f in FIGURES.values()
               if not shows_figure(user, f) and not (f.yearly_only and period.month)]
    return Report(period=period, sites=list(sites), all_sites=all_sites, tables=tables, today=today, omitted=omitted)


def sheet_rows(table: Table, report: Report) -> list[list]:
    """One table as spreadsheet rows: title, period and sites, the header, the rows, the definition.

    Rows under another (a breakdown) are indented with two spaces; hours and rates stay numbers.
    """
    sites = _("All sites") if report.all_sites else "、".join(site.name for site in report.sites)
    header = [table.row_header, *[c.label for c in table.columns]]
    lines = [[table.title], [report.period.label, sites], header]
    for row in table.rows:
        lines.append([("  " * row.level) + row.label, *row.values])
    lines += [[], [_("Definition"), table.definition]]
    return lines


# --- This month so far (the staff home's card) ---------------------------------------------------
@dataclass
class MonthSoFar:
    """This month's headline figures up to today, counted as the monthly report counts them."""

    month: Period
    children: int  # different children with an attendance
    attendances: int
    marked: int
    sessions: int
    drop_ins: int  # check-ins of registered children and unregistered visitors
    home_visits: int | None  # None: not the user's to see (case work)

    @property
    def rate(self) -> float | None:
        return _percent(self.attendances, self.marked)


def month_so_far(user, *, today: dt.date | None = None) -> MonthSoFar:
    """This month's children served, attendances and rate, tutoring sessions, drop-ins and home visits at
    the user's sites, up to today: five aggregate queries (four for a user who may not see case work),
    whatever the number of children or class days. Each is the same count as the monthly report's total
    (``report(period=Period.of_month(today))``)."""
    today = today or timezone.localdate()
    month = Period.of_month(today)
    sites = Site.objects.visible_to(user).values("pk")
    in_month = Q(class_day__date__range=(month.start, today))
    held = Q(class_day__site__in=sites) & in_month & ~Q(class_day__status=ClassDayStatus.CANCELLED)
    attendance = Attendance.objects.visible_to(user).filter(held).aggregate(
        children=Count("student", distinct=True, filter=Q(status__in=ATTENDED)),
        attended=Count("pk", filter=Q(status__in=ATTENDED)), marked=Count("pk"))
    sessions = TutoringRecord.objects.visible_to(user).written().filter(held).count()
    days = Q(site__in=sites, date__range=(month.start, today))
    visits = DropIn.objects.visible_to(user).filter(days).count()
    visitors = DropInVisitorCount.objects.filter(days).aggregate(n=Sum("count"))["n"] or 0
    home_visits = None
    if shows_figure(user, FIGURES["home_visits"]):
        start, _end = _local_bounds(month)
        end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())
        home_visits = (HomeVisit.objects.visible_to(user)
                       .filter(student__site__in=sites, status=RecordStatus.DONE, visited_at__gte=start,
                               visited_at__lt=end).count())
    return MonthSoFar(month=month, children=attendance["children"], attendances=attendance["attended"],
                      marked=attendance["marked"], sessions=sessions, drop_ins=visits + visitors,
                      home_visits=home_visits)
