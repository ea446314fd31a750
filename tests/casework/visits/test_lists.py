"""The visit list, the follow-up list, contacts and the access log: pages, fragments, writes, budgets."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from casework.models import Contact, FollowUpAction, RecordStatus
from classroom import rules
from classroom.factories import StudentFactory
from classroom.models import AccessLog
from tests.neighbours import ours

pytestmark = pytest.mark.django_db


def test_visit_list_drafts_first_filters_and_fragment(staff_client, site, student, make_visit):
    done = make_visit(student, concern_level="urgent", purpose="urgent")
    draft = make_visit(StudentFactory(site=site, family_name="青木", family_name_kana="アオキ"), status=RecordStatus.DRAFT,
                       visited_at=timezone.now() - dt.timedelta(days=30))
    html = staff_client.get(reverse("casework:visit_list")).content.decode()
    assert html.index(reverse("casework:visit_detail", args=[draft.pk])) < html.index(reverse("casework:visit_detail", args=[done.pk]))
    filtered = staff_client.get(reverse("casework:visit_list"), {"concern_level": "urgent"}, HTTP_HX_REQUEST="true",
                                HTTP_HX_TARGET="visit-results")
    fragment = filtered.content.decode()
    assert "<html" not in fragment and 'id="visit-results"' in fragment
    assert reverse("casework:visit_detail", args=[done.pk]) in fragment and reverse("casework:visit_detail", args=[draft.pk]) not in fragment
    searched = staff_client.get(reverse("casework:visit_list"), {"student": "あおき"}).content.decode()
    assert reverse("casework:visit_detail", args=[draft.pk]) in searched and reverse("casework:visit_detail", args=[done.pk]) not in searched
    assert AccessLog.objects.filter(student=student, action="view").exists()


def test_visit_list_hides_other_sites(staff_client, other_site, make_visit, other_staff):
    stranger = make_visit(StudentFactory(site=other_site), by=other_staff)
    html = staff_client.get(reverse("casework:visit_list")).content.decode()
    assert reverse("casework:visit_detail", args=[stranger.pk]) not in html


@pytest.mark.parametrize("name", ["casework:visit_list", "casework:followup_list"])
def test_list_query_budget(staff_client, site, staff, make_visit, make_follow_up, count_queries, name):
    def fill(n):
        for _ in range(n):
            visit = make_visit(StudentFactory(site=site))
            make_follow_up(visit)

    def measure():
        staff_client.get(reverse(name))
        with count_queries() as q:
            assert staff_client.get(reverse(name)).status_code == 200
        return q.count

    fill(5)
    five = measure()
    fill(45)
    assert measure() == five


def test_followup_list_overdue_highlight_and_mark_done(staff_client, student, make_visit, make_follow_up):
    visit = make_visit(student)
    late = make_follow_up(visit, description="学校に連絡", due_on=timezone.localdate() - dt.timedelta(days=2))
    make_follow_up(visit, description="再訪問の日程調整", done_on=timezone.localdate())
    html = staff_client.get(reverse("casework:followup_list")).content.decode()
    assert "学校に連絡" in html and "再訪問の日程調整" not in html and "followup--overdue" in html
    response = staff_client.post(reverse("casework:followup_done", args=[late.pk]), {"in_list": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    row = response.content.decode()
    assert student.full_name in row and reverse("casework:followup_reopen", args=[late.pk]) in row
    assert f'id="followup-{late.pk}"' in response.content.decode()
    late.refresh_from_db()
    assert late.done_on == timezone.localdate()
    # idempotent: a second tap keeps the first date
    staff_client.post(reverse("casework:followup_done", args=[late.pk]), {"done_on": "2026-01-01"})
    late.refresh_from_db()
    assert late.done_on == timezone.localdate()
    response = staff_client.post(reverse("casework:followup_reopen", args=[late.pk]), {"next": reverse("casework:visit_detail", args=[visit.pk])})
    assert response.status_code == 302 and response.url == reverse("casework:visit_detail", args=[visit.pk])
    late.refresh_from_db()
    assert late.done_on is None


def test_followup_done_bad_input_changes_nothing(staff_client, student, make_visit, make_follow_up):
    action = make_follow_up(make_visit(student))
    staff_client.post(reverse("casework:followup_done", args=[action.pk]), {"done_on": "not-a-date"})
    action.refresh_from_db()
    assert action.done_on is None


def test_followup_list_only_mine(staff_client, student, make_visit, make_follow_up, colleague):
    visit = make_visit(student)
    make_follow_up(visit, description="自分の仕事")
    make_follow_up(visit, description="同僚の仕事", owner=colleague)
    html = staff_client.get(reverse("casework:followup_list"), {"mine": "on"}).content.decode()
    assert "自分の仕事" in html and "同僚の仕事" not in html


def contact_data(student, member, **overrides):
    data = {
        "student": student.pk, "kind": "phone", "contacted_at": "2026-11-21T10:00", "with_whom": "母",
        "notes": "欠席の理由を確認", "concern_level": "watch", "followups-TOTAL_FORMS": "1",
        "followups-INITIAL_FORMS": "0", "followups-MIN_NUM_FORMS": "0", "followups-MAX_NUM_FORMS": "1000",
        "followups-0-description": "来週また電話", "followups-0-owner": str(member.pk), "followups-0-due_on": "2026-11-28",
    }
    data.update(overrides)
    return data


def test_contact_create_detail_edit(staff_client, student, staff):
    assert staff_client.get(reverse("casework:contact_create") + f"?student={student.pk}").status_code == 200
    response = staff_client.post(reverse("casework:contact_create") + f"?student={student.pk}", contact_data(student, staff))
    contact = ours(Contact).get()
    assert response.status_code == 302 and response.url == reverse("casework:contact_detail", args=[contact.pk])
    assert contact.staff == staff and contact.kind == "phone"
    assert ours(FollowUpAction).get().contact == contact
    html = staff_client.get(reverse("casework:contact_detail", args=[contact.pk])).content.decode()
    assert "欠席の理由を確認" in html and "来週また電話" in html
    response = staff_client.post(reverse("casework:contact_edit", args=[contact.pk]), contact_data(student, staff, **{
        "notes": "変更", "followups-0-description": "", "followups-0-due_on": "",
    }))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.notes == "変更"
    list_html = staff_client.get(reverse("casework:contact_list"), {"student_id": student.pk}).content.decode()
    assert reverse("casework:contact_detail", args=[contact.pk]) in list_html
    assert set(AccessLog.objects.filter(student=student).values_list("action", flat=True)) == {"create", "view", "update"}


def test_contact_bad_input_changes_nothing(staff_client, student, staff):
    response = staff_client.post(reverse("casework:contact_create") + f"?student={student.pk}",
                                 contact_data(student, staff, kind="fax"))
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert not ours(Contact).exists() and not ours(FollowUpAction).exists()


def test_access_log_page_lists_who_read_what(staff_client, client, student, staff, colleague, make_visit):
    visit = make_visit(student)
    client.force_login(colleague)
    client.get(reverse("casework:visit_detail", args=[visit.pk]))
    staff.groups.add(Group.objects.get_or_create(name=rules.STAFF_ADMIN)[0])  # the log is the staff administrator's
    client.force_login(staff)
    response = client.get(reverse("oversight:access_log"), {"student": student.pk})
    html = response.content.decode()
    assert "中村 花子" in html and reverse("casework:visit_detail", args=[visit.pk]) in html
    fragment = client.get(reverse("oversight:access_log"), {"student": student.pk}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="log-results").content.decode()
    assert "<html" not in fragment and "中村 花子" in fragment
