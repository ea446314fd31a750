"""A browser's User-Agent header in words a person recognises ("iPhone · Safari"), for the list of
where someone is signed in. Only the common devices and browsers are named; anything else keeps the
start of its header."""

import re

DEVICES = (  # the first that matches names the device
    ("iPad", "iPad"), ("iPhone", "iPhone"), ("Android", "Android"), ("CrOS", "Chromebook"),
    ("Windows", "Windows"), ("Macintosh", "Mac"), ("Linux", "Linux"),
)
BROWSERS = (  # order matters: Edge and Opera say "Chrome" too, Chrome says "Safari"
    ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)


def describe(user_agent: str) -> str:
    """"iPhone · Safari", "Windows · Edge"; the first 60 characters when neither is recognised."""
    text = user_agent or ""
    device = next((name for token, name in DEVICES if token in text), "")
    browser = next((name for token, name in BROWSERS if token in text), "")
    if "HeadlessChrome" in text:
        browser = "Chrome (headless)"
    if not device and not browser:
        return re.sub(r"\s+", " ", text).strip()[:60]
    return " · ".join(part for part in (device, browser) if part)
