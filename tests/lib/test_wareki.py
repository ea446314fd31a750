"""Era dates and fiscal-year labels (和暦) as city documents write them, in both languages."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from lib import wareki


@pytest.mark.parametrize(("day", "ja", "en"), [
    (dt.date(2025, 4, 1), "令和7年4月1日", "April 1, Reiwa 7 (2025)"),
    (dt.date(2019, 5, 1), "令和元年5月1日", "May 1, Reiwa 1 (2019)"),
    (dt.date(2019, 4, 30), "平成31年4月30日", "April 30, Heisei 31 (2019)"),
    (dt.date(1989, 1, 7), "昭和64年1月7日", "January 7, Showa 64 (1989)"),
    (dt.date(1989, 1, 8), "平成元年1月8日", "January 8, Heisei 1 (1989)"),
    (dt.date(1, 1, 1), "1年1月1日", "January 1, 0001"),
])
def test_era_dates(day, ja, en):
    with translation.override("ja"):
        assert wareki.era_date(day) == ja
    with translation.override("en"):
        assert wareki.era_date(day) == en


@pytest.mark.parametrize(("fiscal_year", "ja", "en"), [
    (2025, "2025年度（令和7年度）", "FY2025 (Reiwa 7)"),
    (2020, "2020年度（令和2年度）", "FY2020 (Reiwa 2)"),
    (2019, "2019年度（平成31年度）", "FY2019 (Heisei 31)"),
    (2026, "2026年度（令和8年度）", "FY2026 (Reiwa 8)"),
])
def test_fiscal_year_labels(fiscal_year, ja, en):
    with translation.override("ja"):
        assert wareki.fiscal_year_label(fiscal_year) == ja
    with translation.override("en"):
        assert wareki.fiscal_year_label(fiscal_year) == en


def test_era_months_and_the_template_filters():
    with translation.override("ja"):
        assert wareki.era_month(2026, 3) == "令和8年3月"
        html = Template("{% load yorisoi %}{{ d|era_date }} {{ fy|fiscal_year_label }} {{ none|era_date }}").render(
            Context({"d": dt.date(2026, 3, 31), "fy": 2025, "none": None}))
    assert html == "令和8年3月31日 2025年度（令和7年度） "
    with translation.override("en"):
        assert wareki.era_month(2026, 3) == "March, Reiwa 8 (2026)"
