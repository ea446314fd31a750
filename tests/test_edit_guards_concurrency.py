"""Two posts at the same moment: a create form sent twice at once makes one record, and two saves
of one record from the same version save one and show the other a conflict (PostgreSQL, where
requests really run side by side; SQLite serialises every write behind one lock)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from activities.models import Activity, Partner
from casework.models import Contact
from classroom import rules
from classroom.factories import StudentFactory, UserFactory
from classroom.models import FormSubmission, Student
from tests.activities.test_activity_form import form_data as activity_data
from tests.casework.visits.test_lists import contact_data
from tests.classroom.students.test_form import CREATE as STUDENT_CREATE
from tests.classroom.students.test_form import student_data
from tests.edit_guards import open_form

# The roles are rows made by a data migration; keep them across this transactional test.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.postgres]

TIMES = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL: SQLite serialises every write behind one lock")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at_once(posts) -> list:
    """Run each ``post()`` in its own thread, released together; the responses in order."""
    start = threading.Barrier(len(posts))
    results: list = [None] * len(posts)
    failures: list[BaseException] = []

    def run(i, post):
        try:
            start.wait(timeout=30)
            results[i] = post()
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return results


def test_one_student_form_sent_several_times_at_once_registers_one_child(staff, site):
    data = open_form(signed_in(staff), STUDENT_CREATE)
    data.update(student_data(site))
    clients = [signed_in(staff) for _ in range(TIMES)]
    responses = at_once([lambda c=c: c.post(STUDENT_CREATE, data) for c in clients])
    student = Student.objects.get()
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("classroom:student_detail", args=[student.pk])}
    assert FormSubmission.objects.count() == 1


def test_two_saves_of_one_student_from_the_same_version_save_one(staff, site):
    colleague = UserFactory(username="colleague", roles=[rules.STAFF], sites=[site])
    child = StudentFactory(site=site, school="深谷市立南中学校", health_notes="")
    url = reverse("classroom:student_edit", args=[child.pk])
    a, b = signed_in(staff), signed_in(colleague)
    form_a, form_b = open_form(a, url), open_form(b, url)
    form_a["health_notes"] = "卵アレルギー"
    form_b["school"] = "深谷市立北中学校"
    responses = at_once([lambda: a.post(url, form_a), lambda: b.post(url, form_b)])
    assert sorted(r.status_code for r in responses) == [200, 302]
    child.refresh_from_db()
    assert child.version == 2
    saved_a = responses[0].status_code == 302
    assert (child.health_notes, child.school) == (
        ("卵アレルギー", "深谷市立南中学校") if saved_a else ("", "深谷市立北中学校"))
    refused = responses[1] if saved_a else responses[0]
    assert "上書きはしていません" in refused.content.decode()


def test_one_contact_form_sent_twice_at_once_records_one_contact(staff, site):
    student = StudentFactory(site=site)
    url = reverse("casework:contact_create") + f"?student={student.pk}"
    data = open_form(signed_in(staff), url)
    data.update(contact_data(student, staff))
    clients = [signed_in(staff) for _ in range(TIMES)]
    responses = at_once([lambda c=c: c.post(url, data) for c in clients])
    assert {r.status_code for r in responses} == {302}
    assert Contact.objects.count() == 1


def test_one_partner_and_one_activity_form_sent_twice_at_once_make_one_each(coordinator, staff, site):
    client = signed_in(coordinator)
    partner_form = open_form(client, reverse("activities:partner_create"))
    partner_form.update({"name": "ケーキ工房 ひまわり", "kind": "shop"})
    clients = [signed_in(coordinator) for _ in range(TIMES)]
    at_once([lambda c=c: c.post(reverse("activities:partner_create"), partner_form) for c in clients])
    partner = Partner.objects.get()

    activity_form = open_form(client, reverse("activities:activity_create"))
    activity_form.update(activity_data(partner, site, staff))
    responses = at_once([lambda c=c: c.post(reverse("activities:activity_create"), activity_form) for c in clients])
    assert {r.status_code for r in responses} == {302}
    assert Activity.objects.count() == 1


def test_two_tabs_autosaving_one_draft_at_once_save_one(staff, site):
    from casework.models import HomeVisit, RecordStatus

    student = StudentFactory(site=site)
    draft = HomeVisit.objects.create(student=student, status=RecordStatus.DRAFT, created_by=staff)
    url = reverse("casework:visit_autosave", args=[draft.pk])
    tab_1 = open_form(signed_in(staff), reverse("casework:visit_edit", args=[draft.pk]))
    tab_2 = dict(tab_1)
    tab_1["living_environment"], tab_2["parent_child"] = "玄関に靴が散乱", "会話が少ない"
    responses = at_once([lambda: signed_in(staff).post(url, tab_1), lambda: signed_in(staff).post(url, tab_2)])
    assert sorted(r.status_code for r in responses) == [200, 409]
    draft.refresh_from_db()
    assert draft.version == 2
    assert bool(draft.living_environment) != bool(draft.parent_child)  # one tab's text, the other's told


def test_two_people_recording_the_same_outcome_at_once_make_one_record(staff, site):
    """Two forms (two tokens) for the same child, year and stage: one record, the other told to edit it."""
    from classroom.grades import Grade
    from classroom.models import Outcome

    colleague = UserFactory(username="colleague", roles=[rules.STAFF], sites=[site])
    child = StudentFactory(site=site, school_grade=Grade.J3)
    url = reverse("classroom:outcome_create", args=[child.pk])
    forms = []
    for user in [staff, colleague] * (TIMES // 2):
        client = signed_in(user)
        data = open_form(client, url)
        data.update(result="full_time", school="埼玉県立深谷高等学校")
        forms.append((client, data))
    responses = at_once([lambda c=c, d=d: c.post(url, d) for c, d in forms])
    assert Outcome.objects.filter(student=child).count() == 1
    assert sorted(r.status_code for r in responses) == [200] * (TIMES - 1) + [302]
