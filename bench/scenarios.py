"""What each scenario requests: ``paths(manifest)[name] = (role, method, path)``.

``role`` is the seeded session the request carries (None: no session, as the calendar app asks the
feed); ``path`` is a string, or a function of a child's id for the scenarios that walk through
children (a tap, a student's page). Shared by the locustfile and the runner's warm-up.
"""


def paths(m: dict) -> dict:
    day, site, weekday = m["class_day"], m["site"], m["weekday"]
    return {
        "roster": ("staff", "GET", f"/class-days/{day}/roster/"),
        "bare_roster": ("staff", "GET", f"/bench/bare/roster/{day}/{site}/{weekday}/"),
        "tap": ("staff", "POST", lambda child: f"/class-days/{day}/roster/{child}/"),
        "bare_upsert": ("staff", "POST", lambda child: f"/bench/bare/tap/{day}/{child}/"),
        "staff_home": ("staff", "GET", "/staff/"),
        "warnings": ("staff", "GET", "/warnings/"),
        "student_list": ("staff", "GET", "/students/"),
        "student_page": ("staff", "GET", lambda child: f"/students/{child}/"),
        "volunteer_schedule": ("volunteer", "GET", "/volunteer/"),
        "ical": (None, "GET", f"/calendar/{m['calendar_token']}.ics"),
        "pairing_plan": ("coordinator", "GET", f"/volunteers/plan/{day}/"),
        "concurrent_taps": ("staff", "POST", lambda child: f"/class-days/{day}/roster/{child}/"),
    }


def get_path(m: dict, name: str) -> tuple[str | None, str]:
    """The role and a GET path that warms the scenario's view up (its first child for the walking ones)."""
    role, _method, path = paths(m)[name]
    if callable(path):
        path = path(m["students"][0])
    return role, path
