"""Compile locale/*/LC_MESSAGES/django.po to .mo with polib, so GNU msgfmt is not needed."""

import pathlib

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent

for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
    catalog = polib.pofile(str(po_path))
    catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{po_path.relative_to(ROOT)}: {len(catalog.translated_entries())} translated, "
          f"{len(catalog.untranslated_entries())} untranslated, {len(catalog.fuzzy_entries())} fuzzy")
