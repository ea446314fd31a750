"""The report's figures as JSON: the same tables the page shows, in the same order."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class ColumnOut(Schema):
    key: str  # "2025-04" for a month, "total", "previous", or what the column counts
    label: str
    kind: str  # month, total, previous (the period a year before), value
    unit: str  # count, hours, percent


class RowOut(Schema):
    key: str  # a grade, a kind, "total"...: stable whatever the language
    label: str
    values: list[int | float | None]  # one per column; null where a rate has nothing to divide by
    unit: str  # when not empty, every value of the row is in this unit, whatever its column
    is_total: bool
    level: int  # 1: a breakdown of the row above


class TableOut(Schema):
    key: str
    title: str
    definition: str
    row_header: str
    columns: list[ColumnOut]
    rows: list[RowOut]


class SiteRefOut(Schema):
    id: int
    name: str


class ReportOut(Schema):
    fiscal_year: int
    month: dt.date | None
    label: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    all_sites: bool
    sites: list[SiteRefOut]
    tables: list[TableOut]
    omitted: list[str]  # the titles of the tables this user's role is not shown
