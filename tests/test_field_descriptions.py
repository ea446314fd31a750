"""A screen reader reads a field's help and error text with the field (issue 15): every id a rendered
form's aria-describedby (or aria-labelledby) names is on the page, both on the blank form and after an
invalid (empty) submit; and after an invalid submit there is one alert, the error summary, which links to
each field in error."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

# The forms people fill in most, and the ones that render their fields by hand; "{x}" filled from the demo data.
STAFF_FORMS = [
    "/students/new/", "/students/{student}/edit/", "/class-days/{class_day}/tutoring/{student}/",
    "/students/{student}/outcomes/new/", "/students/{student}/statement/", "/visits/new/", "/contacts/new/",
    "/warnings/settings/", "/volunteers/new/", "/volunteers/{volunteer}/edit/", "/activities/new/",
    "/activities/{activity}/edit/", "/partners/new/", "/class-days/new/", "/class-days/series/",
    "/class-days/{class_day}/edit/", "/accounts/password/", "/imports/new/",
]
REFERENCES = ("aria-describedby", "aria-labelledby")


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.references: list[tuple[str, str, str]] = []  # (tag#name, attribute, id)
        self.alerts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("role") == "alert" and "hidden" not in attrs:
            self.alerts += 1
        for attribute in REFERENCES:
            for ref in (attrs.get(attribute) or "").split():
                self.references.append((f"{tag}[name={attrs.get('name') or attrs.get('id') or ''}]", attribute, ref))


def broken_references(html: str) -> list[str]:
    parsed = _Ids()
    parsed.feed(html)
    return [f"{element} {attribute}={ref!r}" for element, attribute, ref in parsed.references if ref not in parsed.ids]


@pytest.fixture
def demo(db):
    call_command("seed_demo", students=5, seed=7, verbosity=0)
    from activities.models import Activity
    from classroom.models import ClassDay, Student
    from volunteers.models import Volunteer

    student = Student.objects.order_by("pk").first()
    return {"student": student.pk,
            "class_day": ClassDay.objects.filter(site_id=student.site_id).order_by("pk").values_list("pk", flat=True)[0],
            "volunteer": Volunteer.objects.order_by("pk").values_list("pk", flat=True)[0],
            "activity": Activity.objects.order_by("pk").values_list("pk", flat=True)[0]}


def test_every_described_by_id_is_on_the_page_blank_and_after_an_invalid_submit(client, demo):
    client.force_login(get_user_model().objects.get(username="staff"))
    broken = {}
    for path in (p.format(**demo) for p in STAFF_FORMS):
        blank = client.get(path)
        assert blank.status_code == 200, path
        submitted = client.post(path, {})
        assert submitted.status_code < 500, path
        for label, response in (("blank", blank), ("invalid", submitted)):
            if found := broken_references(response.content.decode()):
                broken[f"{path} ({label})"] = found
    assert broken == {}, "\n".join(f"{page}: {found}" for page, found in broken.items())


@pytest.mark.parametrize("path", ["/students/new/", "/visits/new/", "/contacts/new/", "/volunteers/new/",
                                  "/accounts/password/"])
def test_an_invalid_submit_raises_one_alert_a_summary_linking_to_each_field(client, demo, path):
    client.force_login(get_user_model().objects.get(username="staff"))
    response = client.post(path.format(**demo), {})
    html = response.content.decode()
    parsed = _Ids()
    parsed.feed(html)
    assert parsed.alerts == 1, path
    summary = re.search(r'<div [^>]*data-error-summary[^>]*>(.*?)</div>', html, re.S)
    assert summary, path
    assert 'role="alert"' in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    links = re.findall(r'href="#([^"]+)"', summary.group(1))
    assert links and set(links) <= parsed.ids, (path, links)
    # Every field marked invalid is linked from the summary (a group of choices through its first one).
    invalid = set(re.findall(r'<(?:input|select|textarea)[^>]*aria-invalid="true"[^>]*id="([^"]+)"', html)) | set(
        re.findall(r'<(?:input|select|textarea)[^>]*id="([^"]+)"[^>]*aria-invalid="true"', html))
    groups = {re.sub(r"_\d+$", "", link) for link in links}
    unlinked = {i for i in invalid if i not in links and re.sub(r"_\d+$", "", i) not in groups}
    assert not unlinked, (path, unlinked)


def test_the_staff_administrators_forms_too(client, demo):
    client.force_login(get_user_model().objects.get(username="staffadmin"))
    account = get_user_model().objects.get(username="staff")
    for path in ("/oversight/users/new/", f"/oversight/users/{account.pk}/"):
        blank = client.get(path)
        assert blank.status_code == 200 and not broken_references(blank.content.decode()), path
    submitted = client.post("/oversight/users/new/", {"username": ""})  # a browser always sends something
    html = submitted.content.decode()
    parsed = _Ids()
    parsed.feed(html)
    assert submitted.status_code == 200 and parsed.alerts == 1 and not broken_references(html)
    assert "data-error-summary" in html and 'href="#id_username"' in html
