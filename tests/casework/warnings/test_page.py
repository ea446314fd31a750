"""The early-warning page: what staff see, the filter, who may open it, its query budget."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import WarningSettings
from classroom.factories import StudentFactory, UserFactory

from .conftest import make_contact, make_follow_up


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def absent_child(site, staff):
    """Two unannounced absences in a row, seen on the phone two days ago."""
    child = StudentFactory(site=site, family_name="森", given_name="大地", enrolled_on=days_ago(400), staff_in_charge=staff)
    make_contact(child, days_ago(2))
    history_today(child, [(14, "present"), (7, "absent"), (3, "absent")])
    return child


def history_today(child, entries):
    """The shared ``history`` builds around a fixed day; these screens run on the real today."""
    from classroom.factories import AttendanceFactory, ClassDayFactory

    for n, status in entries:
        AttendanceFactory(class_day=ClassDayFactory(site=child.site, date=days_ago(n), status="held"), student=child,
                          status=status)


def test_staff_see_the_child_the_reason_and_plan_a_visit(staff_client, absent_child, staff):
    response = staff_client.get(reverse("casework:warning_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert absent_child.full_name in html
    assert reverse("classroom:student_detail", args=[absent_child.pk]) in html
    assert f"{days_ago(3).month}/{days_ago(3).day}" in html
    assert f"/visits/new/?student={absent_child.pk}&amp;purpose=absences" in html
    assert reverse("classroom:student_timeline", args=[absent_child.pk]) in html
    assert "佐藤 美咲" in html  # the staff in charge


def test_filter_by_kind(staff_client, absent_child, site):
    quiet = StudentFactory(site=site, family_name="静山", enrolled_on=days_ago(400))
    html = staff_client.get(reverse("casework:warning_list"), {"kind": "absences"}).content.decode()
    assert absent_child.full_name in html and quiet.full_name not in html
    html = staff_client.get(reverse("casework:warning_list"), {"kind": "no_contact"}).content.decode()
    assert quiet.full_name in html and absent_child.full_name not in html
    assert staff_client.get(reverse("casework:warning_list"), {"kind": "nonsense"}).status_code == 200


def test_htmx_returns_the_results_fragment(staff_client, absent_child):
    response = staff_client.get(reverse("casework:warning_list"), {"kind": "absences"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="warning-results"')
    assert "<html" not in html and absent_child.full_name in html


def test_site_selector_for_staff_of_several_sites(client, site, other_site, absent_child):
    both = UserFactory(roles=["staff"], sites=[site, other_site])
    elsewhere = StudentFactory(site=other_site, family_name="遠野", enrolled_on=days_ago(400))
    client.force_login(both)
    html = client.get(reverse("casework:warning_list")).content.decode()  # all their sites at first
    assert 'name="site"' in html and other_site.name in html
    assert elsewhere.full_name in html and absent_child.full_name in html
    html = client.get(reverse("casework:warning_list"), {"site": other_site.pk}).content.decode()
    assert elsewhere.full_name in html and absent_child.full_name not in html
    assert f"?site={other_site.pk}&amp;kind=no_contact" in html


def test_another_sites_staff_cannot_pick_this_site(client, site, other_site, absent_child):
    stranger = UserFactory(roles=["staff"], sites=[other_site])
    client.force_login(stranger)
    assert absent_child.full_name not in client.get(reverse("casework:warning_list")).content.decode()
    assert client.get(reverse("casework:warning_list"), {"site": site.pk}).status_code == 404
    assert client.get(reverse("casework:warning_list"), {"site": "x"}).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator_client", "volunteer_client", "outsider_client"])
@pytest.mark.parametrize("name", ["casework:warning_list", "casework:warning_settings"])
def test_forbidden_for_other_roles(request, persona, name, absent_child):
    client = request.getfixturevalue(persona)
    assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse(name), {"consecutive_absences": 5}).status_code == 404
    assert not WarningSettings.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("casework:warning_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_query_budget_is_the_same_at_5_and_50_entries(staff_client, site, count_queries):
    def measure():
        staff_client.get(reverse("casework:warning_list"))  # warm-up
        with count_queries() as q:
            response = staff_client.get(reverse("casework:warning_list"))
        return q.count, response.content.decode().count('class="warning-entry"')

    def add(n):
        for _ in range(n):
            child = StudentFactory(site=site, enrolled_on=days_ago(400), staff_in_charge=UserFactory(roles=["staff"]))
            make_follow_up(child, days_ago(40))  # its contact is 50 days old: no contact, and an overdue follow-up

    add(3)
    few = measure()
    add(22)
    many = measure()
    assert few[1] == 6 and many[1] == 50
    assert many[0] == few[0]


def test_staff_without_a_site_get_404(client, db):
    client.force_login(UserFactory(roles=["staff"]))
    assert client.get(reverse("casework:warning_list")).status_code == 404
    assert client.get(reverse("casework:warning_settings")).status_code == 404


# --- Issue 9, point 16: "Plan a visit" carries the purpose that fits the warning -----------------
def test_plan_a_visit_purpose_follows_the_warning(staff_client, site, staff):
    """A no-contact warning plans a regular visit, never a "follow-up on absences"."""
    quiet = StudentFactory(site=site, family_name="静山", given_name="凪", enrolled_on=days_ago(400),
                           staff_in_charge=staff)
    html = staff_client.get(reverse("casework:warning_list"), {"kind": "no_contact"}).content.decode()
    assert f"/visits/new/?student={quiet.pk}&amp;purpose=regular" in html
    assert f"student={quiet.pk}&amp;purpose=absences" not in html
    form = staff_client.get(reverse("casework:visit_create"), {"student": quiet.pk, "purpose": "regular"}).content.decode()
    assert '<option value="regular" selected>' in form


@pytest.mark.parametrize(("kind", "purpose"), [
    ("absences", "absences"), ("rate_drop", "absences"), ("no_contact", "regular"),
    ("follow_up", "other"), ("visit_overdue", "regular"),
])
def test_each_warning_kind_has_its_visit_purpose(kind, purpose):
    from casework import warnings
    from casework.models import VisitPurpose
    entry = warnings.WarningEntry(kind=kind, student=StudentFactory.build(pk=7), reason="", key="")
    assert entry.plan_visit_url.endswith(f"student=7&purpose={purpose}")
    assert set(warnings.VISIT_PURPOSE_BY_KIND) == set(warnings.KINDS)
    assert set(warnings.VISIT_PURPOSE_BY_KIND.values()) <= set(VisitPurpose.values)
