"""Japanese era (和暦) dates and fiscal-year labels, as city documents write them.

``fiscal_year_label(2025)`` is 「2025年度（令和7年度）」 in Japanese and "FY2025 (Reiwa 7)" in
English; ``era_date(date(2025, 4, 1))`` is 「令和7年4月1日」 / "April 1, Reiwa 7 (2025)". The first
year of an era is 元年 (令和元年5月1日). Dates before Meiji 6 (the solar calendar) have no era here:
they are written in the Western calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.utils.formats import date_format
from django.utils.translation import get_language


class Era(NamedTuple):
    name_ja: str
    name_en: str
    start: dt.date


# Newest first: a date belongs to the first era that started on or before it.
ERAS = (
    Era("令和", "Reiwa", dt.date(2019, 5, 1)),
    Era("平成", "Heisei", dt.date(1989, 1, 8)),
    Era("昭和", "Showa", dt.date(1926, 12, 25)),
    Era("大正", "Taisho", dt.date(1912, 7, 30)),
    Era("明治", "Meiji", dt.date(1873, 1, 1)),
)


def era_of(day: dt.date) -> tuple[Era, int] | None:
    """The era of ``day`` and the year within it (1 for its first year), or None before 1873."""
    for era in ERAS:
        if day >= era.start:
            return era, day.year - era.start.year + 1
    return None


def _japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


def _year_ja(year: int) -> str:
    return "元" if year == 1 else str(year)


def era_date(day: dt.date | None) -> str:
    """令和7年4月1日 / April 1, Reiwa 7 (2025)."""
    if not day:
        return ""
    found = era_of(day)
    if found is None:
        return f"{day.year}年{day.month}月{day.day}日" if _japanese() else date_format(day, "F j, Y")
    era, year = found
    if _japanese():
        return f"{era.name_ja}{_year_ja(year)}年{day.month}月{day.day}日"
    return f"{date_format(day, 'F j')}, {era.name_en} {year} ({day.year})"


def era_month(year: int, month: int) -> str:
    """令和7年4月 / April, Reiwa 7 (2025): a month, named by its first day's era."""
    day = dt.date(year, month, 1)
    found = era_of(day)
    if found is None:
        return f"{year}年{month}月" if _japanese() else date_format(day, "F Y")
    era, era_year = found
    if _japanese():
        return f"{era.name_ja}{_year_ja(era_year)}年{month}月"
    return f"{date_format(day, 'F')}, {era.name_en} {era_year} ({year})"


def fiscal_year_label(fiscal_year: int) -> str:
    """2025年度（令和7年度） / FY2025 (Reiwa 7): the era of the fiscal year's April 1.

    The fiscal year that began in April 2019, under Heisei, is 2019年度（平成31年度）as the
    government named it, though the era changed in May."""
    found = era_of(dt.date(fiscal_year, 4, 1))
    if found is None:
        return f"{fiscal_year}年度" if _japanese() else f"FY{fiscal_year}"
    era, year = found
    if _japanese():
        return f"{fiscal_year}年度（{era.name_ja}{_year_ja(year)}年度）"
    return f"FY{fiscal_year} ({era.name_en} {year})"
