"""Every response a view makes is private: Cache-Control no-store (pages, htmx fragments, exports, the
API, photos), a Permissions-Policy that switches off the browser features Yorisoi never uses, and the
Referrer-Policy."""

import pytest
from django.urls import reverse

from classroom.factories import StudentFactory


@pytest.mark.parametrize("path", ["/", "/students/", "/api/classroom/me"])
def test_signed_in_pages_and_the_api_are_never_stored(staff_client, site, path):
    StudentFactory(site=site)
    response = staff_client.get(path, follow=True)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_an_htmx_fragment_and_an_export_are_never_stored(staff_client, site):
    StudentFactory(site=site)
    fragment = staff_client.get("/students/", headers={"HX-Request": "true"})
    assert fragment["Cache-Control"] == "no-store"
    export = staff_client.get(reverse("classroom:student_export"))
    assert export.status_code == 200
    assert export["Cache-Control"] == "no-store"


@pytest.mark.parametrize("name", ["oversight:home", "oversight:user_list", "oversight:user_create", "oversight:access_log"])
def test_the_staff_administrators_pages_and_the_log_download_are_never_stored(client, staff_admin, name):
    client.force_login(staff_admin)
    response = client.get(reverse(name))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    detail = client.get(reverse("oversight:user_detail", args=[staff_admin.pk]))
    assert detail.status_code == 200 and detail["Cache-Control"] == "no-store"
    download = client.get(reverse("oversight:access_log"), {"format": "csv"})
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"


def test_the_sign_in_page_and_a_404_are_never_stored(client, db):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    assert client.get("/no-such-page/")["Cache-Control"] == "no-store"


def test_every_page_carries_a_strict_content_security_policy(staff_client, site):
    policy = staff_client.get("/students/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_no_template_holds_inline_script_style_or_event_handlers():
    """What the CSP would refuse, caught before a browser sees it: every template of ours."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:|hx-on")
    # Pages never served by the app: the readable page inside a child's data export (a ZIP the person
    # opens on their own computer, self-contained, so its style sits in the file).
    not_served = {"dataio/subject_access_page.html"}
    found = [f"{path.relative_to(root)}: {match.group(0)}" for path in sorted(root.rglob("*.html"))
             if str(path.relative_to(root)) not in not_served
             for match in inline.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_change_history_is_never_stored(client, staff_admin, site):
    """The staff administrator's change history shows past values of personal data: never cached."""
    child = StudentFactory(site=site)
    client.force_login(staff_admin)
    for url in (reverse("oversight:history"), reverse("oversight:history_record", args=["student", child.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        assert "default-src" in response["Content-Security-Policy"]
