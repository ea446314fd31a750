"""axe-core in the browser tests: the WCAG checks JIS X 8341-3 level AA asks for, run on a page that is
already open. The script is the vendored, pinned copy in vendor/axe-core/ (no network, no Node.js).

Injection: ``page.add_script_tag(path=...)`` would put the file's text in an inline <script>, which our
Content-Security-Policy (script-src 'self') refuses, so the tests use ``page.add_init_script(path=...)``:
Playwright evaluates it through the DevTools protocol in the page's main world before the page's own
scripts, which the CSP does not govern. No context bypasses the CSP, so the crawl still catches every
inline script or style the app itself adds.
"""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# JIS X 8341-3:2016 level AA is WCAG 2.0 level AA: its A and AA success criteria (axe's tags wcag2a
# and wcag2aa). WCAG 2.1's A and AA rules are run too (they were clean), best practices are not.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ["serious", "critical"]

RUN = """async ([tags, impacts]) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.filter(v => impacts.includes(v.impact)).flatMap(v => v.nodes.map(node => ({
    rule: v.id, impact: v.impact, help: v.help, target: node.target.join(" "),
    html: node.html.slice(0, 160), summary: (node.failureSummary || "").replace(/\\s+/g, " ").slice(0, 300),
  })));
}"""

# Up to 5 s for htmx requests in flight to end and their fragments to settle, then the .2 s fade back
# (yorisoi.css: .htmx-request fades to .7) -- a half-faded fragment is not what people read. A function,
# not a string: the CSP forbids eval, which Playwright's wait_for_function would use for a string.
SETTLED = """async () => {
  const busy = () => document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added");
  if (!busy()) return;
  for (let i = 0; i < 50 && busy(); i++) await new Promise(r => setTimeout(r, 100));
  await new Promise(r => setTimeout(r, 300));
}"""


def watch_with_axe(page_or_context) -> None:
    """From the next navigation on, every page of this page (or context) carries ``window.axe``."""
    page_or_context.add_init_script(path=AXE_JS)


def axe_problems(page, where: str) -> list[str]:
    """The serious and critical WCAG A/AA violations on the page as it is now, one readable line per rule:
    rule, impact, where (the page and the viewport), how many elements, the first one's selector and
    what is wrong with it. Waits for htmx fragments to arrive and settle first (SETTLED)."""
    page.evaluate(SETTLED)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
    by_rule: dict[str, list[dict]] = {}
    for violation in page.evaluate(RUN, [TAGS, FAILING_IMPACTS]):
        by_rule.setdefault(violation["rule"], []).append(violation)
    return [f"axe {rule} ({nodes[0]['impact']}) at {where}: {len(nodes)} element(s), first {nodes[0]['target']!r}"
            f" — {nodes[0]['help']}. {nodes[0]['summary']} [{nodes[0]['html']}]"
            for rule, nodes in by_rule.items()]
