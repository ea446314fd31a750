"""The base layout: served by the app itself, accessible, htmx with the CSRF header."""

import pathlib
import re

from django.conf import settings


def test_base_layout_has_htmx_csrf_header_landmarks_and_language_switcher(staff_client):
    content = staff_client.get("/staff/").content.decode()
    assert re.search(r'<script src="/static/django_htmx/htmx-2(\.min)?\.js"', content)
    assert '<body hx-headers=\'{"X-CSRFToken": "' in content
    assert '<main id="main"' in content and "<header" in content and "<nav" in content and "<footer" in content
    assert 'class="skip-link" href="#main"' in content
    assert 'name="language"' in content and 'action="/i18n/setlang/"' in content
    assert 'name="viewport"' in content


def test_nothing_is_loaded_from_another_host():
    """Closed municipal networks: every script, style, font and image is served by the app."""
    pattern = re.compile(r"""(src|href)=["']\s*(https?:)?//""", re.IGNORECASE)
    css_url = re.compile(r"url\(\s*['\"]?(https?:)?//", re.IGNORECASE)
    offenders = []
    for path in pathlib.Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    for path in pathlib.Path(settings.BASE_DIR, "static").rglob("*.css"):
        if css_url.search(path.read_text(encoding="utf-8")) or "@import" in path.read_text(encoding="utf-8"):
            offenders.append(str(path))
    assert not offenders


def test_no_template_comment_spans_lines():
    """Django's {# … #} ends at the line's end: one spread over two lines is printed on the page as text
    (a roster showed its developer note to staff and to screen readers). Longer notes: {% comment %}."""
    offenders = []
    for path in pathlib.Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "{#" in line and "#}" not in line[line.index("{#"):]:
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []

def test_the_page_switches_to_english(client, staff):
    client.force_login(staff)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"}, follow=True)
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Staff home" in content
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/staff/"}, follow=True)
    assert "学習支援員ホーム" in response.content.decode()


def test_unknown_pages_answer_a_friendly_404(staff_client):
    response = staff_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_every_hand_written_list_table_labels_its_cells_for_the_phone_cards():
    """On a phone a list table shows one card per row, each cell headed by its data-label (yorisoi.css).
    django-tables2 tables get the labels from templates/django_tables2/yorisoi.html; a hand-written
    ``<table class="table">`` writes them itself, or says ``table--grid`` to stay a grid."""
    table = re.compile(r'<table class="table(?![^"]*table--grid)[^"]*".*?</table>', re.S)
    row = re.compile(r"<tr\b.*?</tr>", re.S)
    offenders = []
    for path in pathlib.Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for match in table.finditer(path.read_text(encoding="utf-8")):
            body = match.group(0).split("<tbody", 1)[-1]
            for tr in row.findall(body):
                cells = re.findall(r"(<t[dh]\b[^>]*>)(.*?)</t[dh]>", tr, re.S)
                for tag, content in cells[1:]:  # the first cell is the card's title
                    if "data-label" in tag or 'class="empty"' in tag:
                        continue
                    # A cell holding only a button may go without a label: its text says what it does.
                    if re.search(r'class="button', content):
                        continue
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {tag}{content[:60]}")
    assert not offenders, "\n".join(offenders)


def test_the_menu_is_a_bar_on_a_tablet_and_one_button_on_a_phone(staff_client):
    content = staff_client.get("/staff/").content.decode()
    bar = re.search(r'<ul class="main-nav__bar">(.*?)</ul>', content, re.S).group(1)
    menu = re.search(r'<details class="main-nav__menu">\s*<summary class="main-nav__toggle">.*?メニュー</summary>'
                     r'\s*<ul class="main-nav__list">(.*?)</ul>', content, re.S).group(1)
    items = re.findall(r'<a href="([^"]+)"', bar)
    assert len(items) >= 9 and re.findall(r'<a href="([^"]+)"', menu) == items
