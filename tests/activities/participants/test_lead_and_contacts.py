"""Only the staff choose an activity's lead (who reads guardians' phones and allergy notes), and every
read of those contacts and notes is written to the access log (issue 9, point 11)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from activities.factories import ParticipantFactory
from activities.models import Activity
from activities.services.activities import activity_save
from classroom import rules
from classroom.access_log import CONTACTS
from classroom.exceptions import DomainError
from classroom.factories import StudentFactory
from classroom.models import AccessLog

pytestmark = pytest.mark.django_db


def form_data(activity, **overrides) -> dict:
    data = {
        "title": activity.title, "kind": activity.kind, "partner": activity.partner_id or "", "site": activity.site_id,
        "date": f"{activity.date:%Y-%m-%d}", "start_time": "10:00", "end_time": "12:00", "place": "大塚ファーム",
        "meeting_point": "深谷駅 北口", "capacity": "10", "fee": "0", "what_to_bring": "軍手", "description": "",
        "target_grades": [], "photo_policy": activity.photo_policy, "version": activity.version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def with_phone(activity, family):
    activity.food_involved = True
    activity.save()
    return ParticipantFactory(activity=activity, student=family["student"], household=family["household"],
                              allergy_notes="卵アレルギー")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def contact_reads(user):
    return AccessLog.objects.filter(user=user, action=CONTACTS)


# --- Only the staff choose the lead --------------------------------------------------------------
def test_the_coordinators_form_does_not_offer_the_lead(coordinator, staff, activity):
    html = client_of(coordinator).get(reverse("activities:activity_edit", args=[activity.pk])).text
    assert 'name="lead"' not in html and "佐藤 美咲" in html  # the current lead, read only
    assert 'name="lead"' in client_of(staff).get(reverse("activities:activity_edit", args=[activity.pk])).text


def test_a_coordinator_cannot_make_themself_the_lead(coordinator_client, coordinator, staff, activity, with_phone):
    response = coordinator_client.post(reverse("activities:activity_edit", args=[activity.pk]),
                                       form_data(activity, lead=coordinator.pk, title="乗っ取り"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "乗っ取り" and activity.lead == staff  # the rest saved, the lead ignored
    html = coordinator_client.get(reverse("activities:activity_participants", args=[activity.pk])).text
    assert "090-1234-5678" not in html and "卵アレルギー" not in html
    assert coordinator_client.get(reverse("activities:activity_print_participants", args=[activity.pk])).status_code == 404


def test_a_coordinator_creating_an_activity_is_not_its_lead(coordinator_client, coordinator, activity):
    response = coordinator_client.post(reverse("activities:activity_create"), form_data(activity, lead=coordinator.pk,
                                                                             title="新しい活動", version=""))
    assert response.status_code == 302
    assert Activity.objects.get(title="新しい活動").lead is None


def test_the_service_refuses_a_lead_chosen_by_a_coordinator(activity, coordinator, staff):
    activity.lead = coordinator
    with pytest.raises(DomainError):
        activity_save(activity=activity, by=coordinator, version=activity.version)
    activity.refresh_from_db()
    assert activity.lead == staff
    new = Activity(title="新規", site=activity.site, date=activity.date, start_time=activity.start_time,
                   end_time=activity.end_time, capacity=5, lead=coordinator)
    with pytest.raises(DomainError):
        activity_save(activity=new, by=coordinator)
    assert not Activity.objects.filter(title="新規").exists()


def test_the_staff_choose_a_coordinator_as_lead_who_then_sees_the_contacts(staff, coordinator, activity, with_phone):
    response = client_of(staff).post(reverse("activities:activity_edit", args=[activity.pk]),
                                     form_data(activity, lead=coordinator.pk))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.lead == coordinator
    html = client_of(coordinator).get(reverse("activities:activity_participants", args=[activity.pk])).text
    assert "090-1234-5678" in html
    assert contact_reads(coordinator).exists()


def test_the_staffs_yearly_copy_keeps_the_lead(staff_client, staff, activity):
    response = staff_client.post(reverse("activities:activity_duplicate", args=[activity.pk]),
                                 form_data(activity, lead=staff.pk, date="2030-05-01", version=""))
    assert response.status_code == 302
    assert Activity.objects.exclude(pk=activity.pk).get().lead == staff


# --- Every read of contacts and allergy notes is logged ---------------------------------------------
def test_the_participants_page_logs_each_child_whose_contacts_it_shows(staff_client, staff, activity, family,
                                                                       with_phone):
    other = ParticipantFactory(activity=activity, student=StudentFactory(site=activity.site))
    response = staff_client.get(reverse("activities:activity_participants", args=[activity.pk]))
    assert "090-1234-5678" in response.text
    rows = contact_reads(staff)
    assert set(rows.values_list("student_id", flat=True)) == {family["student"].pk, other.student_id}
    assert rows.first().path == f"/activities/{activity.pk}/participants/"


def test_a_list_without_contacts_is_not_logged_as_a_read(coordinator_client, coordinator, activity, with_phone):
    coordinator_client.get(reverse("activities:activity_participants", args=[activity.pk]))
    assert not contact_reads(coordinator).exists()


def test_the_printed_list_and_the_edit_page_are_logged(staff_client, staff, activity, with_phone, family):
    staff_client.get(reverse("activities:activity_print_participants", args=[activity.pk]))
    assert contact_reads(staff).filter(student=family["student"], path__contains="/print/").exists()
    staff_client.get(reverse("activities:activity_participant_edit", args=[activity.pk, with_phone.pk]))
    assert contact_reads(staff).filter(student=family["student"], path__contains="/edit/").exists()


def test_a_list_of_guardians_only_still_leaves_a_trace(staff_client, staff, activity, family):
    ParticipantFactory(activity=activity, role="guardian", student=None, guardian=family["mother"],
                       household=family["household"])
    staff_client.get(reverse("activities:activity_participants", args=[activity.pk]))
    assert contact_reads(staff).filter(student=None).count() == 1


def test_the_student_page_form_and_api_log_the_contacts_read(staff_client, staff, family):
    student = family["student"]
    staff_client.get(reverse("classroom:student_detail", args=[student.pk]))
    staff_client.get(reverse("classroom:student_edit", args=[student.pk]))
    staff_client.get(f"/api/classroom/students/{student.pk}")
    assert staff_client.get("/api/classroom/students").status_code == 200
    paths = list(contact_reads(staff).filter(student=student).values_list("path", flat=True))
    assert len(paths) == 4 and "/api/classroom/students" in paths


def test_the_coordinators_student_page_shows_no_contacts_and_logs_none(coordinator_client, coordinator, family):
    coordinator_client.get(reverse("classroom:student_detail", args=[family["student"].pk]))
    coordinator_client.get(f"/api/classroom/students/{family['student'].pk}")
    assert not contact_reads(coordinator).exists()


def test_the_access_log_names_the_read(staff_client, staff, activity, with_phone):
    staff_client.get(reverse("activities:activity_participants", args=[activity.pk]))
    staff.groups.add(Group.objects.get_or_create(name=rules.STAFF_ADMIN)[0])  # the log is the staff administrator's
    html = staff_client.get(reverse("oversight:access_log")).text
    assert "連絡先・健康メモの閲覧" in html
