"""The bench's database steps, run in their own process with Django set up (bench.settings, DATABASE_URL):

    python -m bench.db seed SCALE MANIFEST.json   seed an empty, migrated database; write the manifest
    python -m bench.db reset-today MANIFEST.json  delete the attendance of today's measured class day
    python -m bench.db check-today MANIFEST.json  print today's attendance rows as JSON (for the concurrency check)
"""

import json
import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db.models import Count

    from bench.seed import seed
    from classroom.models import Attendance

    command, *args = argv
    if command == "seed":
        scale, path = args
        manifest = seed(scale)
        with open(path, "w", encoding="utf-8") as out:
            json.dump(manifest, out, indent=1)
        print(json.dumps({"seconds": manifest["seconds"], "counts": manifest["counts"]}, ensure_ascii=False))
        return 0
    with open(args[0], encoding="utf-8") as source:
        manifest = json.load(source)
    rows = Attendance.objects.filter(class_day_id=manifest["class_day"])
    if command == "reset-today":
        rows.delete()
        return 0
    if command == "check-today":
        duplicates = list(rows.values("student_id").annotate(n=Count("pk")).filter(n__gt=1).values_list("student_id", "n"))
        print(json.dumps({"rows": rows.count(), "students": sorted(rows.values_list("student_id", flat=True)),
                          "duplicates": duplicates}))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
