"""Creating, drafting, autosaving and finishing a home visit."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import FollowUpAction, HomeVisit, RecordStatus
from classroom.models import AccessLog
from tests.neighbours import ours

pytestmark = pytest.mark.django_db


def visit_data(student, member, **overrides):
    data = {
        "student": student.pk, "visited_at": "2026-11-20T16:30", "staff": [member.pk], "purpose": "absences",
        "family_met": "True", "living_environment": "部屋は片付いていた", "parent_child": "母と穏やかに会話",
        "child_condition": "元気がない", "parenting_consultation": "進路の相談", "concern_level": "watch",
        "next_visit_due": "2026-12-20", "followups-TOTAL_FORMS": "1", "followups-INITIAL_FORMS": "0",
        "followups-MIN_NUM_FORMS": "0", "followups-MAX_NUM_FORMS": "1000", "followups-0-description": "",
        "followups-0-owner": str(member.pk), "followups-0-due_on": "", "action": "finish",
    }
    data.update(overrides)
    return data


def test_create_page_prefilled_for_a_student(staff_client, student, staff):
    response = staff_client.get(reverse("casework:visit_create") + f"?student={student.pk}&purpose=absences")
    assert response.status_code == 200
    html = response.content.decode()
    assert student.full_name in html
    assert f'<input type="hidden" name="student" value="{student.pk}"' in html
    assert '<option value="absences" selected>' in html
    assert f'name="staff" value="{staff.pk}" data-required-to-finish="1" id="id_staff_0" checked' in html
    assert 'value="none" data-required-to-finish="1" id="id_concern_level_0" checked' not in html  # chosen on purpose
    assert "data-autosave-url" in html and reverse("casework:visit_autosave_new") in html


def test_create_page_lists_only_own_sites_students(staff_client, student, other_site):
    from classroom.factories import StudentFactory

    stranger = StudentFactory(site=other_site)
    html = staff_client.get(reverse("casework:visit_create")).content.decode()
    assert student.full_name in html and stranger.full_name not in html


def test_finish_saves_visit_with_follow_ups_and_logs(staff_client, student, staff, colleague):
    data = visit_data(student, staff, staff=[staff.pk, colleague.pk], **{
        "followups-0-description": "担任と面談", "followups-0-owner": str(colleague.pk), "followups-0-due_on": "2026-12-01",
    })
    response = staff_client.post(reverse("casework:visit_create") + f"?student={student.pk}", data)
    visit = ours(HomeVisit).get()
    assert response.status_code == 302 and response.url == reverse("casework:visit_detail", args=[visit.pk])
    assert visit.status == RecordStatus.DONE and visit.finished_at
    assert visit.family_met is True and visit.concern_level == "watch" and visit.purpose == "absences"
    assert set(visit.staff.all()) == {staff, colleague}
    action = ours(FollowUpAction).get()
    assert action.visit == visit and action.student == student and action.owner == colleague
    assert AccessLog.objects.filter(user=staff, student=student, action="create").exists()


def test_finish_requires_the_essentials_and_saves_nothing(staff_client, student, staff):
    data = visit_data(student, staff, staff=[], family_met="", concern_level="", visited_at="")
    response = staff_client.post(reverse("casework:visit_create") + f"?student={student.pk}", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"staff", "family_met", "concern_level", "visited_at"}
    assert not ours(HomeVisit).exists()


def test_draft_saved_with_almost_nothing_then_finished_later(staff_client, student, staff):
    data = visit_data(student, staff, family_met="", concern_level="", action="draft", child_condition="途中まで")
    response = staff_client.post(reverse("casework:visit_create") + f"?student={student.pk}", data)
    assert response.status_code == 302
    visit = ours(HomeVisit).get()
    assert visit.is_draft and visit.child_condition == "途中まで" and visit.family_met is None
    # Later: the edit page shows the draft; finishing without the concern level is refused.
    page = staff_client.get(reverse("casework:visit_edit", args=[visit.pk]))
    assert "途中まで" in page.content.decode()
    response = staff_client.post(reverse("casework:visit_edit", args=[visit.pk]), visit_data(student, staff, concern_level=""))
    assert response.status_code == 200 and "concern_level" in response.context["form"].errors
    visit.refresh_from_db()
    assert visit.is_draft
    response = staff_client.post(reverse("casework:visit_edit", args=[visit.pk]), visit_data(student, staff))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == RecordStatus.DONE and visit.family_met is True


def test_create_page_for_a_student_with_my_draft_opens_the_draft(staff_client, student, make_visit, staff):
    draft = make_visit(student, status=RecordStatus.DRAFT)
    response = staff_client.get(reverse("casework:visit_create") + f"?student={student.pk}&purpose=absences")
    assert response.status_code == 302 and response.url == reverse("casework:visit_edit", args=[draft.pk])


def test_autosave_saves_partial_data_without_errors_and_never_a_second_draft(staff_client, student, staff):
    url = reverse("casework:visit_autosave_new")
    data = {"student": student.pk, "living_environment": "玄関に靴が散乱", "visited_at": "not a date",
            "concern_level": "", "family_met": "", "form_token": "a" * 32}  # the page's token: which form it is
    first = staff_client.post(url, data)
    assert first.status_code == 200 and first.json()["saved"] is True
    again = staff_client.post(url, data)  # a retry of the same request
    assert again.status_code == 200 and again.json()["pk"] == first.json()["pk"]
    visit = ours(HomeVisit).get()
    assert visit.is_draft and visit.living_environment == "玄関に靴が散乱"
    assert list(visit.staff.all()) == [staff]
    body = first.json()
    assert body["edit_url"] == reverse("casework:visit_edit", args=[visit.pk])
    # Then on the draft's own URL
    staff_client.post(body["autosave_url"], {"parent_child": "会話が少ない", "staff": [staff.pk]})
    visit.refresh_from_db()
    assert visit.parent_child == "会話が少ない" and visit.living_environment == "玄関に靴が散乱"
    assert ours(HomeVisit).count() == 1
    # The explicit save on the create URL fills the same draft
    staff_client.post(reverse("casework:visit_create") + f"?student={student.pk}", visit_data(student, staff, action="draft"))
    assert ours(HomeVisit).count() == 1


def test_autosave_without_student_keeps_nothing_on_server(staff_client):
    response = staff_client.post(reverse("casework:visit_autosave_new"), {"living_environment": "x"})
    assert response.status_code == 200 and response.json()["saved"] is False
    assert not ours(HomeVisit).exists()


def test_autosave_refuses_a_finished_visit(staff_client, student, make_visit):
    visit = make_visit(student, child_condition="元の記録")
    response = staff_client.post(reverse("casework:visit_autosave", args=[visit.pk]), {"child_condition": "上書き"})
    assert response.status_code == 409
    visit.refresh_from_db()
    assert visit.child_condition == "元の記録"


def test_staff_of_another_site_cannot_be_named(staff_client, student, staff, other_staff):
    response = staff_client.post(reverse("casework:visit_create") + f"?student={student.pk}",
                                 visit_data(student, staff, staff=[other_staff.pk]))
    assert response.status_code == 200 and "staff" in response.context["form"].errors
    assert not ours(HomeVisit).exists()


def test_edit_finished_visit_and_remove_follow_up(staff_client, student, staff, make_visit, make_follow_up):
    visit = make_visit(student, concern_level="watch", purpose="regular")
    action = make_follow_up(visit)
    data = visit_data(student, staff, **{
        "followups-TOTAL_FORMS": "2", "followups-INITIAL_FORMS": "1", "followups-0-id": str(action.pk),
        "followups-0-visit": str(visit.pk), "followups-0-description": action.description,
        "followups-0-owner": str(staff.pk), "followups-0-due_on": action.due_on.isoformat(), "followups-0-DELETE": "on",
        "followups-1-description": "", "followups-1-owner": str(staff.pk), "followups-1-due_on": "", "action": "save",
        "concern_level": "concern",
    })
    response = staff_client.post(reverse("casework:visit_edit", args=[visit.pk]), data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.concern_level == "concern" and not ours(FollowUpAction).exists()
    assert AccessLog.objects.filter(action="update", student=student).exists()


def test_visit_page_shows_everything_and_logs_the_read(staff_client, student, staff, make_visit, make_follow_up):
    visit = make_visit(student, living_environment="日当たりが悪い", parenting_consultation="夜間の見守り",
                       next_visit_due=timezone.localdate() + dt.timedelta(days=30))
    make_follow_up(visit, description="ケースワーカーに連絡", due_on=timezone.localdate() - dt.timedelta(days=1))
    response = staff_client.get(reverse("casework:visit_detail", args=[visit.pk]))
    html = response.content.decode()
    assert "日当たりが悪い" in html and "夜間の見守り" in html and "ケースワーカーに連絡" in html
    assert "followup--overdue" in html
    assert AccessLog.objects.filter(user=staff, student=student, action="view",
                                    path=reverse("casework:visit_detail", args=[visit.pk])).count() == 1
