"""Every page a role reaches from its home fits a phone's width: nothing scrolls sideways, every list
table is a column of cards with labelled cells (no cell squeezed so that words wrap a character or two
per line), on a tablet too; and the phone's menu reaches every item the role has. Every page the crawl
visits also passes axe-core's WCAG A/AA checks (JIS X 8341-3 level AA, issue 15) at phone and tablet
width: no serious or critical violation (tests/browser/axe.py)."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.browser.axe import axe_problems, watch_with_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
MAX_PAGES = 30
# Downloads, feeds, printables and actions are not pages to lay out; months and pages repeat a layout.
SKIP = re.compile(r"/(accounts/logout|export|feed|calendar\.ics|print|photos/\d+|i18n|admin|api)/?|[?&](month|page|sort)=")


TABLET = {"width": 820, "height": 1180}
# Every list of each role, walked first so that none is left out by MAX_PAGES ("{student}" and
# "{activity}" are filled in from the demo data).
LISTS = {
    "staff": ["/students/", "/students/{student}/", "/students/{student}/shares/", "/volunteers/", "/visits/",
              "/contacts/", "/visits/follow-ups/", "/warnings/", "/activities/", "/partners/",
              "/activities/{activity}/participants/", "/activities/{activity}/report/", "/class-days/",
              "/volunteers/hours/", "/volunteers/plan/", "/drop-in/", "/staff/", "/reports/", "/imports/", "/imports/new/"],
    "coordinator": ["/coordinator/", "/students/", "/volunteers/", "/volunteers/hours/", "/volunteers/plan/",
                    "/class-days/", "/activities/", "/partners/", "/activities/{activity}/participants/", "/reports/"],
    "volunteer": ["/volunteer/", "/volunteer/hours/", "/volunteer/activities/"],
    "staffadmin": ["/oversight/", "/oversight/users/", "/oversight/users/new/", "/oversight/access-log/",
                   "/students/", "/staff/"],
}
# A cell narrower than this whose text needs more than one line is squeezed (the home-visit list used
# to wrap one character per line at 390 px).
READABLE_PX = 72
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const visible = el => el.offsetParent !== null && el.getBoundingClientRect().width > 0;
  for (const cell of document.querySelectorAll("main td, main tbody th")) {
    if (!visible(cell) || cell.closest(".cal-grid, .teaching-grid__table")) continue;
    const text = cell.innerText.trim();
    const rect = cell.getBoundingClientRect();
    const range = document.createRange();  // the content's own height, not the row's
    range.selectNodeContents(cell);
    const lineHeight = parseFloat(getComputedStyle(cell).lineHeight) || 24;
    if (text.length > 1 && rect.width < READABLE_PX && range.getBoundingClientRect().height > 1.8 * lineHeight) {
      problems.push(`squeezed cell (${Math.round(rect.width)} px): ${text.slice(0, 30)}`);
    }
  }
  if (window.innerWidth < 700) {
    // No strip hiding items sideways; a report grid, a calendar and a chart's picture (lib/charts.py, its data
    // table beside it) keep a legible size and scroll in their own focusable box instead.
    for (const el of document.querySelectorAll("body *")) {
      const overflow = getComputedStyle(el).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1
          && !el.querySelector(".table--grid, .cal-grid, .chart-svg, textarea, pre")) {
        problems.push(`scrolls sideways inside: ${el.className || el.tagName} (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    for (const table of document.querySelectorAll("main table.table:not(.table--grid)")) {
      for (const row of table.querySelectorAll(":scope > tbody > tr")) {
        if (getComputedStyle(row).display !== "block") { problems.push("a list table is not cards"); break; }
        for (const cell of row.querySelectorAll(":scope > td, :scope > th")) {
          if (cell === row.firstElementChild || cell.classList.contains("empty") || cell.hasAttribute("data-label")) continue;
          const rest = cell.cloneNode(true);
          rest.querySelectorAll(".button, button, .visually-hidden").forEach(e => e.remove());
          if (rest.textContent.trim()) problems.push(`unlabelled cell: ${cell.innerText.trim().slice(0, 30)}`);
        }
      }
    }
  }
  return problems;
}""".replace("READABLE_PX", str(READABLE_PX))


def layout_problems(page) -> list[str]:
    """Sideways scrolling, squeezed cells, list tables that are not labelled cards on a phone."""
    problems = page.evaluate(LAYOUT_PROBLEMS)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return problems + ([f"scrolls sideways by {overflow} px"] if overflow > 0 else [])


def list_paths(username: str) -> list[str]:
    from activities.models import Activity
    from classroom.models import Student

    ids = {"student": Student.objects.order_by("pk").values_list("pk", flat=True).first(),
           "activity": Activity.objects.order_by("pk").values_list("pk", flat=True).first()}
    return [path.format(**ids) for path in LISTS[username]]


def pages_reached(page, base: str, first: list[str] = ()) -> dict[str, list[str]]:
    """Breadth-first from the lists and the home page: each page's layout problems, every console error
    and Content-Security-Policy violation the page caused (an inline style or script the CSP refused
    shows as both), and axe's serious and critical WCAG violations at phone and at tablet width (the
    page is resized in place, not loaded twice)."""
    seen: dict[str, list[str]] = {}
    queue = [*first, "/"]
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
    page.add_init_script("""document.addEventListener("securitypolicyviolation", e =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));""")
    watch_with_axe(page)
    while queue and len(seen) < MAX_PAGES + len(first):
        path = queue.pop(0)
        if path in seen:
            continue
        errors.clear()
        response = page.goto(base + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        page.wait_for_load_state("load")
        seen[path] = layout_problems(page) + axe_problems(page, f"{path} (390 px)")
        page.set_viewport_size(TABLET)
        seen[path] += axe_problems(page, f"{path} (820 px)")
        page.set_viewport_size(PHONE)
        seen[path] += errors
        for href in page.eval_on_selector_all("main a[href], nav a[href]", "els => els.map(e => e.getAttribute('href'))"):
            if not href or href.startswith(("#", "mailto:", "tel:", "http")):
                continue
            url = urlparse(urljoin(path, href))
            target = url.path + (f"?{url.query}" if url.query else "")
            if not SKIP.search(target) and target not in seen:
                queue.append(target)
    return seen


@pytest.mark.parametrize("username", ["volunteer", "coordinator", "staff", "staffadmin"])
def test_no_page_scrolls_sideways_or_squeezes_a_list_or_breaks_the_csp_on_a_phone(page, live_server, sign_in, username):
    call_command("seed_demo", students=20, seed=7, verbosity=0)
    page.set_viewport_size(PHONE)
    sign_in(page, get_user_model().objects.get(username=username))
    lists = list_paths(username)
    reached = pages_reached(page, live_server.url, first=lists)
    assert len(reached) >= (10 if username == "volunteer" else MAX_PAGES)
    assert set(lists) <= set(reached)
    found = [f"{path}: {problem}" for path, problems in reached.items() for problem in problems]
    assert found == [], "\n".join(found)
    page.set_viewport_size(TABLET)  # the same lists stay tables on a tablet, none squeezed
    on_tablet = {}
    for path in lists:
        page.goto(live_server.url + path)
        on_tablet[path] = layout_problems(page)
    assert {path: problems for path, problems in on_tablet.items() if problems} == {}


def nav_items(page, selector: str) -> list[tuple[str, str]]:
    links = page.locator(selector)
    return [(links.nth(i).get_attribute("href"), links.nth(i).inner_text().strip()) for i in range(links.count())]


@pytest.mark.parametrize("persona", ["staff", "coordinator", "volunteer", "multi_role"])
def test_the_phone_menu_reaches_every_item_without_javascript(request, browser, live_server, password, persona):
    """The tablet's bar and the phone's menu hold the same items; on a phone one "Menu" button opens all
    of them, with the keyboard and with JavaScript turned off, each full-width and tappable."""
    from classroom import rules
    from classroom.factories import UserFactory

    user = (UserFactory(username="multi", roles=[rules.STAFF, rules.COORDINATOR, rules.VOLUNTEER],
                        sites=[request.getfixturevalue("site")])
            if persona == "multi_role" else request.getfixturevalue(persona))
    if persona in ("volunteer", "multi_role"):
        from volunteers.factories import VolunteerFactory

        VolunteerFactory(user=user, sites=[request.getfixturevalue("site")])
    context = browser.new_context(java_script_enabled=False, viewport=TABLET, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/accounts/password/")
    assert not page.locator(".main-nav__toggle").is_visible()
    bar = nav_items(page, ".main-nav__bar a")
    assert len(bar) >= {"staff": 9, "coordinator": 6, "volunteer": 4, "multi_role": 14}[persona]
    assert all(page.locator(".main-nav__bar a").nth(i).is_visible() for i in range(len(bar)))

    page.set_viewport_size(PHONE)
    toggle = page.locator(".main-nav__toggle")
    assert toggle.is_visible() and not page.locator(".main-nav__bar").is_visible()
    assert not page.locator(".main-nav__list a").first.is_visible()  # closed until asked
    toggle.focus()
    page.keyboard.press("Enter")
    assert nav_items(page, ".main-nav__list a") == bar
    links = page.locator(".main-nav__list a")
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert links.nth(i).is_visible() and box["height"] >= 44 and box["width"] >= 300, bar[i]
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], bar[i]
    page.keyboard.press("Enter")  # closes again
    assert not links.first.is_visible()
    context.close()
