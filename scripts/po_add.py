"""Add Japanese translations to locale/ja/LC_MESSAGES/django.po and recompile the .mo.

Reads a JSON object {"English msgid": "日本語 msgstr", ...} from standard input (or a file
given as the first argument). Existing entries are updated, new ones appended. The catalog is
locked while it is written, so several people can add strings at once without running
`make messages` (which rewrites the whole file). `make messages` remains the full refresh.

    echo '{"Saved.": "保存しました。"}' | .venv/bin/python scripts/po_add.py
"""

import fcntl
import json
import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def main() -> None:
    if len(sys.argv) > 1:
        pairs = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    else:
        pairs = json.load(sys.stdin)
    with open(PO.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        catalog = polib.pofile(str(PO), wrapwidth=79)
        added = updated = 0
        for msgid, msgstr in pairs.items():
            entry = catalog.find(msgid)
            if entry is None:
                catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
                added += 1
            elif entry.msgstr != msgstr or "fuzzy" in entry.flags:
                entry.msgstr = msgstr
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                updated += 1
        catalog.save(str(PO))
        catalog.save_as_mofile(str(PO.with_suffix(".mo")))
    print(f"{added} added, {updated} updated")


if __name__ == "__main__":
    main()
