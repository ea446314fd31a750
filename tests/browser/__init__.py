"""Browser tests: Playwright with the system Chromium."""


def htmx_settled(page) -> None:
    """Wait until htmx has settled every swap: htmx binds the triggers of new content (a row's
    buttons, a select's change) only when it settles, about 20 ms after the content appears, so
    a test that acts the moment new content is visible can act before htmx listens. A person cannot."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-added, .htmx-settling, .htmx-swapping, .htmx-request')")
