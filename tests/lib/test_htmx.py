"""lib.htmx.render_fragment: the page, or one of its partials when htmx asks for it."""

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from lib.htmx import render_fragment

PAGE = "<html>{% partialdef table inline %}<table/>{% endpartialdef %}{% partialdef more inline %}<p/>{% endpartialdef %}</html>"


@pytest.fixture(autouse=True)
def _page_template(settings, tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]


def _request(**headers):
    request = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda r: None)(request)
    return request


HTMX = {"HX-Request": "true"}
RESTORE = {**HTMX, "HX-History-Restore-Request": "true"}


@pytest.mark.parametrize(("headers", "body"), [
    ({}, "<html><table/><p/></html>"),
    (HTMX, "<table/>"),
    ({**HTMX, "HX-Boosted": "true"}, "<table/>"),
    (RESTORE, "<table/>"),
])
def test_without_a_target_every_htmx_request_gets_the_partial(headers, body):
    response = render_fragment(_request(**headers), "page.html", {}, partial="table")
    assert response.content.decode() == body
    assert response["Vary"] == "HX-Request"


def test_a_history_restore_can_ask_for_the_whole_page():
    restored = render_fragment(_request(**RESTORE), "page.html", {}, partial="table", page_on_history_restore=True)
    assert restored.content.decode() == "<html><table/><p/></html>"
    swapped = render_fragment(_request(**HTMX), "page.html", {}, partial="table", page_on_history_restore=True)
    assert swapped.content.decode() == "<table/>"


@pytest.mark.parametrize(("headers", "body"), [
    ({}, "<html><table/><p/></html>"),
    (HTMX, "<html><table/><p/></html>"),  # a boosted link has no target
    ({**HTMX, "HX-Target": "elsewhere"}, "<html><table/><p/></html>"),
    ({**RESTORE, "HX-Target": "the-table"}, "<html><table/><p/></html>"),
    ({**HTMX, "HX-Target": "the-table"}, "<table/>"),
])
def test_with_a_target_only_a_swap_into_it_gets_the_partial(headers, body):
    response = render_fragment(_request(**headers), "page.html", {}, partial="table", target="the-table")
    assert response.content.decode() == body
    assert response["Vary"] == "HX-Request, HX-Target"


@pytest.mark.parametrize(("target", "body"), [
    (None, "<html><table/><p/></html>"), ("the-table", "<table/>"), ("more", "<p/>"), ("other", "<html><table/><p/></html>"),
])
def test_sections_that_page_on_their_own_each_get_their_partial(target, body):
    headers = {**HTMX, "HX-Target": target} if target else {}
    response = render_fragment(_request(**headers), "page.html", {}, partial={"the-table": "table", "more": "more"})
    assert response.content.decode() == body
    assert response["Vary"] == "HX-Request, HX-Target"
