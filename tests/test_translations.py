"""The Japanese catalog is complete, and the committed .mo holds exactly the .po's translations."""

import gettext
import pathlib
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

LOCALE = pathlib.Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"


def _key(entry: polib.POEntry) -> str:
    # gettext's catalog keys: "context\x04msgid", plural forms keyed by msgid alone.
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def test_japanese_catalog_has_no_untranslated_or_fuzzy_entry():
    catalog = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"
    assert len(catalog.translated_entries()) > 50


def test_compiled_catalog_holds_exactly_the_po_translations():
    """Compare contents, not file times: a fresh clone's file times mean nothing."""
    catalog = polib.pofile(str(PO))
    expected = {}
    for entry in catalog.translated_entries():
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(_key(entry), int(index))] = text
        else:
            expected[_key(entry)] = entry.msgstr
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    actual = {k: v for k, v in compiled._catalog.items() if k != ""}
    assert actual == expected, "locale/ja/LC_MESSAGES/django.mo is stale: run `make messages`"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext's xgettext is not installed")
def test_every_string_in_the_code_is_in_the_catalog(tmp_path):
    """makemessages on a copy of the project adds nothing: no string ships untranslated.

    It runs on a copy because makemessages writes into every locale folder under the
    working directory, which would change the real catalog.
    """
    root = pathlib.Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "docs",
                                                             "__pycache__", "*.png", "tests"))
    before = {_key(e) for e in polib.pofile(str(PO))}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "ja", "--no-location", "--no-obsolete",
         "--ignore", "scripts/*"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1"},
    )
    after = {_key(e) for e in polib.pofile(str(copy / "locale" / "ja" / "LC_MESSAGES" / "django.po"))}
    missing = sorted(after - before)
    assert not missing, f"strings missing from the Japanese catalog (run `make messages`): {missing[:20]}"
