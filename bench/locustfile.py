"""The load: one scenario per locust run, chosen by BENCH_SCENARIO, on the data BENCH_MANIFEST describes.

Each simulated user carries the session cookie the seed made for the scenario's role (signing in
through the form would spend seconds hashing the password inside the measured minute), then repeats the scenario's one request with no pause, so
``--users 4`` means four requests in flight at all times. A tap (and the bare upsert) sends its CSRF
token as cookie and ``X-CSRFToken`` header, as htmx does; each user taps the
children of today's class in turn. BENCH_TAPPED names a file where the children tapped
successfully are written when the run stops (the concurrency check compares it with the database).

The users are ``FastHttpUser`` (geventhttpclient): locust runs on the same two cores as gunicorn, and
the ``requests``-based ``HttpUser`` spent so much CPU per request that it measured itself (a bare view's
p95 was 43-48 ms with it, 25 ms with this client under the same load).
"""

import itertools
import json
import os
import secrets
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task

from bench import scenarios

MANIFEST = json.load(open(os.environ["BENCH_MANIFEST"], encoding="utf-8"))  # noqa: SIM115
SCENARIO = os.environ["BENCH_SCENARIO"]
STATUSES = ["present", "late", "present", "absent_notice", "present", "absent"]
TAPPED: set[int] = set()
_counter = itertools.count()


SCENARIOS = scenarios.paths(MANIFEST)


@events.test_stop.add_listener
def _write_tapped(**_kwargs):
    path = os.environ.get("BENCH_TAPPED")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(sorted(TAPPED), out)


class Scenario(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        role, self.method, self.path = SCENARIOS[SCENARIO]
        self.children = MANIFEST["class_children"] if SCENARIO != "student_page" else MANIFEST["students"]
        # Concurrent taps: every user taps the same children in the same order, to collide.
        self.turn = 0 if SCENARIO == "concurrent_taps" else next(_counter) * 7
        self.csrf = secrets.token_hex(16)  # a CSRF secret of 32 characters: cookie and header agree
        # The cookies go in a header of their own: the session never changes within a run.
        self.cookie = f"csrftoken={self.csrf}" + (f"; sessionid={MANIFEST['sessions'][role]}" if role else "")

    @task
    def scenario(self):
        path = self.path
        child = self.children[self.turn % len(self.children)]
        status = STATUSES[(self.turn // len(self.children)) % len(STATUSES)]
        self.turn += 1
        if callable(path):
            path = path(child)
        headers = {"Cookie": self.cookie}
        data = None
        if self.method == "POST":
            headers |= {"X-CSRFToken": self.csrf, "HX-Request": "true", "Referer": self.host + path,
                        "Content-Type": "application/x-www-form-urlencoded"}
            data = urlencode({"status": status})
        # No redirect followed: a lost session would answer the login page with 200 and look fast.
        with self.client.request(self.method, path, name=SCENARIO, headers=headers, data=data, allow_redirects=False,
                                 catch_response=True) as response:
            if response.status_code == 200:
                if self.method == "POST":
                    TAPPED.add(child)
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")
