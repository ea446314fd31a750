"""The Content-Security-Policy holds on the pages the phone-layout crawl does not visit: the sign-in and
lockout pages, the API's Swagger page, the drop-in board's live refresh, the printables, and the Django
admin (superusers). A page that breaks the policy logs a console error, which fails the test."""

import pytest
from playwright.sync_api import expect

from activities.factories import ActivityFactory
from classroom.factories import StudentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = """document.addEventListener("securitypolicyviolation", e =>
    console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""


def watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfinished", lambda request: errors.append(f"{request.response().status} {request.url}")
            if request.response() and request.response().status >= 400 else None)
    page.add_init_script(REPORT)
    return errors


def visit(page, url: str, errors: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert errors == [], (url, errors)


def test_sign_in_the_api_docs_and_the_printables_keep_the_policy(page, live_server, sign_in, staff, site):
    errors = watch(page)
    visit(page, f"{live_server.url}/accounts/login/", errors)
    sign_in(page, staff)
    assert errors == []
    visit(page, f"{live_server.url}/api/docs", errors)
    expect(page.locator(".swagger-ui").first).to_be_visible()
    activity = ActivityFactory(site=site)
    StudentFactory(site=site)
    for path in (f"/activities/{activity.pk}/participants/", f"/activities/{activity.pk}/participants/invite/",
                 f"/drop-in/?site={site.pk}"):
        visit(page, live_server.url + path, errors)


def test_the_django_admin_keeps_the_policy(page, live_server, sign_in, site):
    admin = UserFactory(username="root-admin", is_superuser=True, is_staff=True)
    errors = watch(page)
    sign_in(page, admin)
    StudentFactory(site=site)
    for path in ("/admin/", "/admin/classroom/student/", "/admin/classroom/student/add/", "/admin/auth/user/"):
        visit(page, live_server.url + path, errors)
