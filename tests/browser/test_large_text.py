"""Large text and reflow (JIS X 8341-3 / WCAG 1.4.4, 1.4.10; issue 15): every daily screen of the staff,
the coordinator and the volunteer (test_phone_layout.LISTS) survives the browser's default text size set
to 200% on a tablet and a 320 CSS px window (what 400% zoom leaves of a 1280 px screen): the page never
scrolls sideways, no button or cell is squeezed to a character or two per line, no link or control sticks
out of its card; and at the normal text size no visible text is under 12 px.

"200% text" is Chromium's own default font size (DevTools Protocol Page.setFontSizes, what a reader sets in
the browser's settings), so media queries in em and container queries in rem see it as a reader's browser
would; a style on <html> would not move the em breakpoints. One page per role, shared by its screens."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.browser.test_phone_layout import TABLET, list_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 320, "height": 800}
NORMAL_PX, LARGE_PX = 16, 32
SMALLEST_PX = 12
# A box narrower than this many of its own characters whose text needs more than two lines is squeezed.
SQUEEZED_EM = 4

PROBLEMS = """([squeezedEm]) => {
  const problems = [];
  const hidden = el => el.closest(".visually-hidden, [hidden], template, dialog:not([open]), details:not([open]) > :not(summary)");
  const visible = el => el.getClientRects().length > 0 && el.getBoundingClientRect().width > 1 && !hidden(el);
  const name = el => (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 30);
  for (const el of document.querySelectorAll("main button, main .button, main td, main tbody th, main a, main .badge, main label")) {
    if (!visible(el) || el.closest(".cal-grid, .teaching-grid__table, .table--grid")) continue;
    const text = el.innerText.trim();
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize), line = parseFloat(style.lineHeight) || size * 1.6;
    const rect = el.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(el);
    if (text.length > 2 && rect.width < squeezedEm * size && range.getBoundingClientRect().height > 2.5 * line) {
      problems.push(`squeezed (${Math.round(rect.width)} px wide): ${name(el)}`);
    }
  }
  for (const el of document.querySelectorAll("main a, main button, main input, main select, main textarea, main .badge")) {
    if (!visible(el)) continue;
    const card = el.parentElement.closest(".card, .tap-row, .table > tbody > tr, .list__item, .me-child, .plan-row");
    if (!card || getComputedStyle(card).display === "table-row") continue;
    const outer = card.getBoundingClientRect(), inner = el.getBoundingClientRect();
    if (inner.right > outer.right + 1 || inner.left < outer.left - 1) {
      problems.push(`sticks out of its card by ${Math.round(Math.max(inner.right - outer.right, outer.left - inner.left))} px: ${name(el)}`);
    }
  }
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  if (overflow > 0) problems.push(`the page scrolls sideways by ${overflow} px`);
  return problems;
}"""

SMALL_TEXT = """([smallest]) => {
  const small = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest(".visually-hidden, script, style, noscript, template")) continue;
    if (el.getClientRects().length === 0 || el.getBoundingClientRect().width < 2) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest - 0.01) small.add(`${size} px: ${el.tagName.toLowerCase()}.${el.className} ${node.textContent.trim().slice(0, 20)}`);
  }
  return [...small];
}"""


def roster_path(username: str) -> list[str]:
    """The roster is the screen 200% text used to break (issue 15); the staff's and the coordinator's
    (read-only) roster of the latest class day that has attendance."""
    from classroom.models import Attendance

    if username == "volunteer":
        return []
    day = Attendance.objects.order_by("-class_day__date").values_list("class_day", flat=True).first()
    return [f"/class-days/{day}/roster/"]


def set_text_size(cdp, px: int):
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": px, "fixed": round(px * 13 / 16)}})


@pytest.mark.parametrize("username", ["staff", "coordinator", "volunteer"])
def test_daily_screens_survive_200_percent_text_and_320_px(page, live_server, sign_in, username):
    call_command("seed_demo", students=12, seed=7, verbosity=0)
    sign_in(page, get_user_model().objects.get(username=username))
    cdp = page.context.new_cdp_session(page)
    paths = list_paths(username) + roster_path(username)
    found = []

    set_text_size(cdp, LARGE_PX)
    page.set_viewport_size(TABLET)
    for path in paths:
        page.goto(live_server.url + path)
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == LARGE_PX
        found += [f"{path} (200% text, 820 px): {p}" for p in page.evaluate(PROBLEMS, [SQUEEZED_EM])]

    set_text_size(cdp, NORMAL_PX)
    page.set_viewport_size(NARROW)
    for path in paths:
        page.goto(live_server.url + path)
        found += [f"{path} (320 px): {p}" for p in page.evaluate(PROBLEMS, [SQUEEZED_EM])]
        found += [f"{path}: text under {SMALLEST_PX} px: {p}" for p in page.evaluate(SMALL_TEXT, [SMALLEST_PX])]
    assert found == [], "\n".join(found)
