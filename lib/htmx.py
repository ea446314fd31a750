"""htmx in the views: the typed request, and the one helper that answers a page or one of its fragments.

Each screen is one page template whose fragments are named partials inside it
(``{% partialdef table %}``). A view renders the page with :func:`render_fragment`, which answers
``"app/page.html#table"`` when htmx asks for that fragment and the whole page otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through ``django_htmx.middleware.HtmxMiddleware``: it has ``htmx``."""

    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest, target: str) -> bool:
    """An htmx swap into ``target`` wants the fragment; a history restore or a boosted link, the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request and request.htmx.target == target


def render_fragment(request: HtmxHttpRequest, template: str, context: dict | None = None, *,
                    partial: str | Mapping[str, str], target: str | None = None,
                    page_on_history_restore: bool = False) -> HttpResponse:
    """The page ``template``, or only its ``partial`` when htmx asks for it.

    - ``target``: only an htmx swap into the element of that id gets the partial (see
      :func:`wants_fragment`); ``partial`` may instead map element ids to partials, for a page
      whose sections page on their own.
    - Without a target, every htmx request gets the partial, except a history restore when
      ``page_on_history_restore`` (htmx lost its copy of the page and asks for all of it).

    The answer varies on the headers that choose it, so caches keep the page and the fragment apart.
    """
    if target is not None or isinstance(partial, Mapping):
        by_target = partial if isinstance(partial, Mapping) else {target: partial}
        name = next((name for element, name in by_target.items() if wants_fragment(request, element)), None)
        vary = ("HX-Request", "HX-Target")
    else:
        fragment = bool(request.htmx) and not (page_on_history_restore and request.htmx.history_restore_request)
        name = partial if fragment else None
        vary = ("HX-Request",)
    response = render(request, template + (f"#{name}" if name else ""), context)
    patch_vary_headers(response, vary)
    return response
