"""How a report figure reads on the page: counts with thousands separators, hours and rates with one decimal."""

from django import template

from lib import wareki
from reporting.figures import COUNT, HOURS, PERCENT

register = template.Library()


@register.filter
def figure(value, unit: str = COUNT) -> str:
    """1,234 / 12.5 (hours) / 87.5% / "—" when there is nothing to divide by."""
    if value is None:
        return "—"
    if unit == PERCENT:
        return f"{value:.1f}%"
    if unit == HOURS:
        return f"{value:,.1f}"
    return f"{value:,}"


@register.filter
def era_month(value) -> str:
    """令和7年4月 for a date (its month), through ``lib.wareki``."""
    return wareki.era_month(value.year, value.month) if value else ""
