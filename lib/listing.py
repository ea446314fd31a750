"""Shared pieces of the filtered lists (django-tables2 + django-filter) every app uses.

A list answers its page, or only its table for htmx, with ``lib.htmx.render_fragment``.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage
from django.http import HttpRequest

PER_PAGE = 25


def prepare_table(request: HttpRequest, table, *, per_page: int = PER_PAGE, paginate: bool = True):
    """Sort the table as the query string asks and show the asked page (the first if it is out of range)."""
    table.request = request
    order_by = request.GET.getlist(table.prefixed_order_by_field)
    if order_by:
        table.order_by = order_by
    if paginate:
        try:
            table.paginate(per_page=per_page, page=int(request.GET.get(table.prefixed_page_field, 1)))
        except (ValueError, EmptyPage):
            table.paginate(per_page=per_page, page=1)
    return table

