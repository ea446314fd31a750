"""Shared pieces of the filtered lists (django-tables2 + django-filter + htmx) every app uses."""

from __future__ import annotations

from django.core.paginator import EmptyPage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

PER_PAGE = 25


def wants_fragment(request: HttpRequest, target: str) -> bool:
    """An htmx swap into ``target`` wants the fragment; a history restore or a boosted link, the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request and request.htmx.target == target


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


def render_list(request: HttpRequest, template: str, context: dict, *, target: str,
                partial: str = "table") -> HttpResponse:
    """The whole page, or only its ``partial`` when htmx swaps ``target``; caches keep the two apart."""
    name = template + (f"#{partial}" if wants_fragment(request, target) else "")
    response = render(request, name, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
