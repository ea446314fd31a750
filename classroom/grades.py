"""Japanese school grades and the fiscal year.

A child's grade follows the school-year rule: children born from April 2 of one year to
April 1 of the next enter 小1 together, in the April after they turn six. So the grade
advances by itself each April 1.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    E1 = "e1", _("Elementary 1")
    E2 = "e2", _("Elementary 2")
    E3 = "e3", _("Elementary 3")
    E4 = "e4", _("Elementary 4")
    E5 = "e5", _("Elementary 5")
    E6 = "e6", _("Elementary 6")
    J1 = "j1", _("Junior high 1")
    J2 = "j2", _("Junior high 2")
    J3 = "j3", _("Junior high 3")
    H1 = "h1", _("High school 1")
    H2 = "h2", _("High school 2")
    H3 = "h3", _("High school 3")
    HS_AGE = "hs_age", _("High-school age, not in school")
    OTHER = "other", _("Other")


# Grades reached by counting school years from 小1 (index 1) to 高3 (index 12).
SCHOOL_YEAR_GRADES = [
    Grade.E1, Grade.E2, Grade.E3, Grade.E4, Grade.E5, Grade.E6,
    Grade.J1, Grade.J2, Grade.J3, Grade.H1, Grade.H2, Grade.H3,
]  # fmt: skip
JUNIOR_HIGH = {Grade.J1, Grade.J2, Grade.J3}
HIGH_SCHOOL = {Grade.H1, Grade.H2, Grade.H3, Grade.HS_AGE}


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (年度) a date falls in: April 1 to March 31, named by its April."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 3, 31)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month ``day`` lies in."""
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def school_cohort(birth_date: dt.date) -> int:
    """The calendar year whose April 2 starts the child's cohort (born Apr 2 .. next Apr 1)."""
    if (birth_date.month, birth_date.day) <= (4, 1):
        return birth_date.year - 1
    return birth_date.year


def grade_for(birth_date: dt.date | None, on: dt.date) -> str:
    """The grade a child born on ``birth_date`` is in on the day ``on``."""
    if birth_date is None:
        return Grade.OTHER
    school_year = fiscal_year_of(on) - school_cohort(birth_date) - 6
    if 1 <= school_year <= len(SCHOOL_YEAR_GRADES):
        return SCHOOL_YEAR_GRADES[school_year - 1]
    return Grade.OTHER


def birth_date_range(grade: str, on: dt.date) -> tuple[dt.date, dt.date] | None:
    """The birth dates of the children who are in ``grade`` on ``on`` by the school-year rule."""
    try:
        school_year = SCHOOL_YEAR_GRADES.index(grade) + 1
    except ValueError:
        return None
    cohort = fiscal_year_of(on) - 6 - school_year
    return dt.date(cohort, 4, 2), dt.date(cohort + 1, 4, 1)
