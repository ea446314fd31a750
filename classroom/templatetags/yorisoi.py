"""Date display that reads naturally in each language (the format strings are translated)."""

from django import template
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def long_date(value):
    """2026年11月27日(金) / Fri, Nov 27, 2026"""
    if not value:
        return ""
    return date_format(value, _("D, M j, Y"))


@register.filter
def short_date(value):
    """11/27(金) / Fri 11/27"""
    if not value:
        return ""
    return date_format(value, _("D n/j"))


@register.filter
def hm(value):
    if not value:
        return ""
    return value.strftime("%H:%M")
