"""The benchmark: seed data at three scales, serve it with gunicorn, drive bounded load with locust.

Run ``python -m bench --help`` (or ``make bench`` / ``make bench-short``); docs/performance.md holds the
figures. No app imports this package; it imports the apps.
"""
