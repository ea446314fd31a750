"""Every page a role reaches from its home fits a phone's width: nothing scrolls sideways but tables inside
their own scroll box."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
MAX_PAGES = 30
# Downloads, feeds, printables and actions are not pages to lay out; months and pages repeat a layout.
SKIP = re.compile(r"/(accounts/logout|export|feed|calendar\.ics|print|photos/\d+|i18n|admin|api)/?|[?&](month|page|sort)=")


def pages_reached(page, base: str) -> dict[str, int]:
    """Breadth-first from the home page: each page's sideways overflow in pixels."""
    seen: dict[str, int] = {}
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = page.goto(base + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        seen[path] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        for href in page.eval_on_selector_all("main a[href], nav a[href]", "els => els.map(e => e.getAttribute('href'))"):
            if not href or href.startswith(("#", "mailto:", "tel:", "http")):
                continue
            url = urlparse(urljoin(path, href))
            target = url.path + (f"?{url.query}" if url.query else "")
            if not SKIP.search(target) and target not in seen:
                queue.append(target)
    return seen


@pytest.mark.parametrize("username", ["volunteer", "coordinator", "staff"])
def test_no_page_scrolls_sideways_on_a_phone(page, live_server, sign_in, username):
    call_command("seed_demo", students=20, seed=7, verbosity=0)
    page.set_viewport_size(PHONE)
    sign_in(page, get_user_model().objects.get(username=username))
    reached = pages_reached(page, live_server.url)
    assert len(reached) >= (10 if username == "volunteer" else MAX_PAGES)
    assert {path: px for path, px in reached.items() if px > 0} == {}
