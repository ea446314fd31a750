"""Screenshots of Yorisoi's screens for the README, in the system Chromium.

Usage: python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots] NAME=ROLE:PATH[@SIZE] ...
SIZE is phone (390x844), tablet (820x1180) or desktop (1280x900). ROLE is a demo username.
--text 200 sets the browser's default text size to 200% (as a reader would in the browser's settings).
"""

import argparse
import pathlib

from playwright.sync_api import sync_playwright

SIZES = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1280, 900)}
PASSWORD = "yorisoi-demo-2026"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--text", type=int, default=100, help="the browser's text size in percent (200: large text)")
    parser.add_argument("shots", nargs="+")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for shot in args.shots:
            name, spec = shot.split("=", 1)
            role, rest = spec.split(":", 1)
            path, _, size = rest.partition("@")
            width, height = SIZES[size or "desktop"]
            context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP",
                                          device_scale_factor=1)
            page = context.new_page()
            if args.text != 100:  # Chromium's default font size, which the page's rem and em follow
                size_px = round(16 * args.text / 100)
                context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": size_px, "fixed": round(size_px * 13 / 16)}})
            if role != "anonymous":
                page.goto(f"{args.base}/accounts/login/")
                page.fill("#id_username", role)
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
            page.goto(f"{args.base}{path}")
            page.screenshot(path=str(out / f"{name}.png"), full_page=args.full_page)
            context.close()
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
