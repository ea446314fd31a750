"""Answers: capacity counts every role going; past it, the waitlist in order; a decline promotes and tells the lead."""

import pytest
from django.core import mail

from activities.models import Answer, Participant, ParticipantRole
from activities.services.participants import participant_answer
from classroom.exceptions import DomainError

from .conftest import HX, ja


def answer(p, value, by, **kwargs):
    return participant_answer(participant=p, answer=value, by=by, **kwargs)


def test_going_until_full_then_waitlisted_in_order(activity, staff, add_people):
    activity.capacity = 3
    activity.save()
    people = add_people(activity, 5, answer=Answer.INVITED)
    results = [answer(p, Answer.GOING, staff).answer for p in people]
    assert results == [Answer.GOING] * 3 + [Answer.WAITLISTED] * 2
    # Answering again changes nothing (idempotent): still waitlisted, same place in line.
    before = Participant.objects.get(pk=people[3].pk).answered_at
    assert answer(people[3], Answer.GOING, staff).answer == Answer.WAITLISTED
    assert Participant.objects.get(pk=people[3].pk).answered_at == before


def test_capacity_counts_every_role(activity, staff, add_people):
    activity.capacity = 3
    activity.save()
    add_people(activity, 1, role=ParticipantRole.GUARDIAN)
    add_people(activity, 1, role=ParticipantRole.OTHER)
    student = add_people(activity, 2, answer=Answer.INVITED)
    assert answer(student[0], Answer.GOING, staff).answer == Answer.GOING
    assert answer(student[1], Answer.GOING, staff).answer == Answer.WAITLISTED


def test_decline_promotes_the_first_waitlisted_and_emails_the_lead(activity, staff, add_people,
                                                                    django_capture_on_commit_callbacks):
    activity.capacity = 2
    activity.save()
    going = add_people(activity, 2)
    waiting = add_people(activity, 3, answer=Answer.INVITED)
    for p in waiting:
        answer(p, Answer.GOING, staff)
    with django_capture_on_commit_callbacks(execute=True):
        answer(going[0], Answer.DECLINED, staff)
    states = {p.pk: p.answer for p in Participant.objects.all()}
    assert states[going[0].pk] == Answer.DECLINED
    assert states[waiting[0].pk] == Answer.GOING
    assert [states[waiting[1].pk], states[waiting[2].pk]] == [Answer.WAITLISTED] * 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff.email]
    assert waiting[0].display_name in message.subject and waiting[0].display_name in message.body
    assert activity.title in message.subject


def test_declining_from_the_waitlist_promotes_nobody(activity, staff, add_people, django_capture_on_commit_callbacks):
    activity.capacity = 1
    activity.save()
    add_people(activity, 1)
    waiting = add_people(activity, 2, answer=Answer.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        answer(waiting[0], Answer.DECLINED, staff)
    assert Participant.objects.get(pk=waiting[1].pk).answer == Answer.WAITLISTED
    assert not mail.outbox


def test_consent_rule_refuses_a_student_without_consent(activity, staff, add_people):
    activity.consent_required = True
    activity.save()
    student = add_people(activity, 1, answer=Answer.INVITED)[0]
    with pytest.raises(DomainError):
        answer(student, Answer.GOING, staff)
    assert Participant.objects.get(pk=student.pk).answer == Answer.INVITED
    # A guardian needs no consent slip.
    guardian = add_people(activity, 1, answer=Answer.INVITED, role=ParticipantRole.GUARDIAN)[0]
    assert answer(guardian, Answer.GOING, staff).answer == Answer.GOING


def test_consent_override_with_a_reason(activity, staff, add_people):
    activity.consent_required = True
    activity.save()
    student = add_people(activity, 1, answer=Answer.INVITED)[0]
    saved = answer(student, Answer.GOING, staff, override_reason="保護者から電話で口頭同意")
    assert saved.answer == Answer.GOING
    assert Participant.objects.get(pk=student.pk).consent_override_reason == "保護者から電話で口頭同意"


def test_consent_received_lets_the_student_go(activity, staff, add_people, client):
    activity.consent_required = True
    activity.save()
    student = add_people(activity, 1, answer=Answer.INVITED)[0]
    client.force_login(staff)
    client.post(f"/activities/{activity.pk}/participants/{student.pk}/consent/", {"received_on": "2026-01-05"}, **HX)
    student.refresh_from_db()
    assert str(student.consent_received_on) == "2026-01-05"
    assert answer(student, Answer.GOING, staff).answer == Answer.GOING


def test_answer_view_refuses_without_consent_with_the_row_error(activity, staff_client, add_people):
    activity.consent_required = True
    activity.save()
    student = add_people(activity, 1, answer=Answer.INVITED)[0]
    url = f"/activities/{activity.pk}/participants/{student.pk}/answer/"
    response = staff_client.post(url, {"answer": "going"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="participants-body"' in html and "ap-row--error" in html
    assert "Guardian consent has not been received" in html or "同意" in html
    assert Participant.objects.get(pk=student.pk).answer == Answer.INVITED
    # With a reason, the override is stored.
    staff_client.post(url, {"answer": "going", "override_reason": "口頭で同意済み"}, **HX)
    assert Participant.objects.get(pk=student.pk).answer == Answer.GOING


def test_answer_view_without_js_redirects_and_bad_input_changes_nothing(activity, coordinator_client, add_people):
    person = add_people(activity, 1, answer=Answer.INVITED)[0]
    url = f"/activities/{activity.pk}/participants/{person.pk}/answer/"
    response = coordinator_client.post(url, {"answer": "going"})
    assert response.status_code == 302 and response["Location"].endswith(f"#participant-{person.pk}")
    assert Participant.objects.get(pk=person.pk).answer == Answer.GOING
    response = coordinator_client.post(url, {"answer": "maybe"}, **HX)
    assert response.status_code == 200 and "ap-row--error" in response.content.decode()
    assert Participant.objects.get(pk=person.pk).answer == Answer.GOING


def test_japanese_consent_message(activity, staff, add_people):
    from django.utils import translation

    activity.consent_required = True
    activity.save()
    student = add_people(activity, 1, answer=Answer.INVITED)[0]
    with translation.override("ja"), pytest.raises(DomainError) as error:
        answer(student, Answer.GOING, staff)
    assert student.display_name in str(error.value)
    assert str(error.value) == ja(
        "Guardian consent has not been received for %(name)s. Record the consent form first, "
        "or give a reason to proceed without it."
    ) % {"name": student.display_name}


def test_cancelled_activity_refuses_answers(activity, staff, add_people):
    person = add_people(activity, 1, answer=Answer.INVITED)[0]
    activity.status = "cancelled"
    activity.save()
    with pytest.raises(DomainError):
        answer(person, Answer.GOING, staff)
    assert Participant.objects.get(pk=person.pk).answer == Answer.INVITED
