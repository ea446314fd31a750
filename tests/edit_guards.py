"""Test helpers for edit guards: read a rendered form as a browser would send it."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client


class _FormReader(HTMLParser):
    """The fields of the ``index``-th ``<form method="post">`` of the page's content (not the sign-out
    or language forms): what a browser sends when it is submitted."""

    def __init__(self, index: int):
        super().__init__(convert_charrefs=True)
        self.index, self.seen, self.inside = index, -1, False
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_multiple = False
        self._option: str | None = None
        self._select_default: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            if any(part in (a.get("action") or "") for part in ("logout", "i18n", "setlang")):
                return  # the page's own forms (sign out, language), not the one under test
            self.seen += 1
            self.inside = self.seen == self.index
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
                return
            self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_multiple = name, "multiple" in a
            self._select_default, self._select_chosen = None, False
        elif tag == "option" and self._select:
            value = a.get("value")
            self._option = value
            if "selected" in a:
                self._add(self._select, value or "")
                self._select_chosen = True
            elif self._select_default is None and not self._select_multiple:
                self._select_default = value or ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and not self._select_multiple and self._select_default is not None:
                self._add(self._select, self._select_default)
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_values(html: str, index: int = 0) -> dict:
    """The values the ``index``-th post form of ``html`` would send, ready for ``Client.post``."""
    reader = _FormReader(index)
    reader.feed(html)
    return {name: values if len(values) > 1 else values[0] for name, values in reader.values.items()}


def open_form(client: Client, url: str, index: int = 0) -> dict:
    """GET ``url`` and return its post form's values, as a person opening the page would have them."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = form_values(response.content.decode(), index)
    data.pop("csrfmiddlewaretoken", None)
    return data
