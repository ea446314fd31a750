"""Staff of the child's site only: everybody else gets 404 on every URL, and no link."""

import pytest
from django.urls import reverse

from casework.models import Contact, InformationShare
from classroom.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(student, staff, make_visit, make_follow_up, consent):
    visit = make_visit(student)
    action = make_follow_up(visit)
    contact = Contact.objects.create(student=student, kind="phone", staff=staff, notes="秘密のメモ")
    share = InformationShare.objects.create(student=student, recipient_name="守田", what="秘密", basis="consent",
                                            consent=consent, shared_by=staff)
    return {"visit": visit, "action": action, "contact": contact, "share": share, "student": student}


def urls(r):
    s = r["student"].pk
    return [
        ("get", reverse("casework:visit_list")),
        ("get", reverse("casework:visit_create") + f"?student={s}&purpose=absences"),
        ("get", reverse("casework:visit_detail", args=[r["visit"].pk])),
        ("get", reverse("casework:visit_edit", args=[r["visit"].pk])),
        ("post", reverse("casework:visit_autosave", args=[r["visit"].pk])),
        ("post", reverse("casework:visit_autosave_new")),
        ("get", reverse("casework:followup_list")),
        ("post", reverse("casework:followup_done", args=[r["action"].pk])),
        ("post", reverse("casework:followup_reopen", args=[r["action"].pk])),
        ("get", reverse("casework:contact_list")),
        ("get", reverse("casework:contact_create") + f"?student={s}"),
        ("get", reverse("casework:contact_detail", args=[r["contact"].pk])),
        ("get", reverse("casework:contact_edit", args=[r["contact"].pk])),
        ("get", reverse("casework:share_create") + f"?student={s}"),
        ("get", reverse("casework:share_detail", args=[r["share"].pk])),
        ("get", reverse("casework:share_list", args=[s])),
    ]


@pytest.mark.parametrize("persona", ["coordinator", "volunteer", "outsider"])
def test_other_roles_get_404_everywhere(client, request, records, persona):
    client.force_login(request.getfixturevalue(persona))
    for method, address in urls(records):
        assert getattr(client, method)(address).status_code == 404, address
    records["action"].refresh_from_db()
    assert records["action"].done_on is None


def test_staff_of_another_site_gets_404_on_this_sites_records(client, records, other_staff):
    client.force_login(other_staff)
    for method, address in urls(records):
        if address in (reverse("casework:visit_list"), reverse("casework:followup_list"), reverse("casework:contact_list"),
                       reverse("casework:visit_autosave_new")):
            continue  # their own (empty) lists
        assert getattr(client, method)(address).status_code == 404, address
    html = client.get(reverse("casework:visit_list")).content.decode()
    assert "秘密" not in html and records["student"].full_name not in html


def test_anonymous_is_sent_to_login(client, records):
    response = client.get(reverse("casework:visit_detail", args=[records["visit"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_prefill_with_another_sites_student_is_404(staff_client, other_site):
    stranger = StudentFactory(site=other_site)
    assert staff_client.get(reverse("casework:visit_create") + f"?student={stranger.pk}").status_code == 404
    assert staff_client.get(reverse("casework:share_create") + f"?student={stranger.pk}").status_code == 404
    assert staff_client.get(reverse("casework:visit_create") + "?student=abc").status_code == 404


def test_staff_pages_all_answer(staff_client, records):
    for method, address in urls(records):
        if method == "get":
            assert staff_client.get(address).status_code in (200, 302), address


def test_student_section_include_renders(rf, staff, records):
    from django.template.loader import render_to_string

    from casework.views.visits import student_visit_summary

    html = render_to_string("casework/visits/_student_section.html",
                            {"student": records["student"], **student_visit_summary(records["student"])})
    assert reverse("casework:visit_detail", args=[records["visit"].pk]) in html
    assert reverse("casework:share_list", args=[records["student"].pk]) in html


def test_student_section_needs_one_query(student, make_visit, count_queries):
    from casework.views.visits import student_visit_summary

    make_visit(student)
    make_visit(student)
    with count_queries() as queries:
        summary = student_visit_summary(student)
    assert queries.count == 1, queries.sql
    assert summary["latest_visit"] is not None
