"""Removing someone added by mistake: the place goes to the waitlist; attended people stay; others get 404."""

import pytest
from django.core import mail
from django.utils import timezone

from activities.models import Answer, Participant
from activities.services.participants import participant_remove
from classroom.exceptions import DomainError

from .conftest import HX


def url(activity, participant):
    return f"/activities/{activity.pk}/participants/{participant.pk}/remove/"


def test_removing_someone_going_promotes_the_first_waitlisted_and_tells_the_lead(
        activity, staff, add_people, django_capture_on_commit_callbacks):
    activity.capacity = 1
    activity.save()
    going = add_people(activity, 1)[0]
    waiting = add_people(activity, 2, answer=Answer.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = participant_remove(participant=going, by=staff)
    assert promoted == waiting[0]
    assert not Participant.objects.filter(pk=going.pk).exists()
    assert Participant.objects.get(pk=waiting[0].pk).answer == Answer.GOING
    assert Participant.objects.get(pk=waiting[1].pk).answer == Answer.WAITLISTED
    assert len(mail.outbox) == 1 and waiting[0].display_name in mail.outbox[0].body
    assert going.display_name in mail.outbox[0].body


def test_removing_someone_invited_promotes_nobody(activity, staff, add_people, django_capture_on_commit_callbacks):
    activity.capacity = 1
    activity.save()
    add_people(activity, 1)
    waiting = add_people(activity, 1, answer=Answer.WAITLISTED)[0]
    invited = add_people(activity, 1, answer=Answer.INVITED)[0]
    with django_capture_on_commit_callbacks(execute=True):
        assert participant_remove(participant=invited, by=staff) is None
    assert Participant.objects.get(pk=waiting.pk).answer == Answer.WAITLISTED
    assert not mail.outbox


def test_someone_whose_attendance_was_taken_cannot_be_removed(today_activity, staff, add_people):
    person = add_people(today_activity, 1, attendance="present", attendance_recorded_at=timezone.now())[0]
    with pytest.raises(DomainError):
        participant_remove(participant=person, by=staff)
    assert Participant.objects.filter(pk=person.pk).exists()


def test_cancelled_activity_keeps_its_list(activity, staff, add_people):
    person = add_people(activity, 1)[0]
    activity.status = "cancelled"
    activity.save()
    with pytest.raises(DomainError):
        participant_remove(participant=person, by=staff)
    assert Participant.objects.filter(pk=person.pk).exists()


def test_page_offers_removal_with_a_confirmation(activity, staff_client, add_people):
    person = add_people(activity, 1)[0]
    html = staff_client.get(f"/activities/{activity.pk}/participants/").content.decode()
    assert f'action="{url(activity, person)}"' in html and "ap-remove" in html


def test_remove_view_htmx_answers_the_lists(activity, coordinator_client, add_people):
    person = add_people(activity, 1)[0]
    response = coordinator_client.post(url(activity, person), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="participants-body"' in html and f'id="participant-{person.pk}"' not in html
    assert not Participant.objects.filter(pk=person.pk).exists()


def test_remove_view_without_js_redirects_with_a_message(activity, staff_client, add_people):
    person = add_people(activity, 1)[0]
    response = staff_client.post(url(activity, person), follow=True)
    assert response.redirect_chain[-1][0] == f"/activities/{activity.pk}/participants/"
    assert person.display_name in response.content.decode()
    assert not Participant.objects.filter(pk=person.pk).exists()


def test_remove_view_refusal_shows_the_row_error_and_keeps_the_row(today_activity, staff_client, add_people):
    person = add_people(today_activity, 1, attendance="present", attendance_recorded_at=timezone.now())[0]
    response = staff_client.post(url(today_activity, person), **HX)
    assert response.status_code == 200 and "ap-row--error" in response.content.decode()
    assert Participant.objects.filter(pk=person.pk).exists()


def test_get_is_not_allowed(activity, staff_client, add_people):
    person = add_people(activity, 1)[0]
    assert staff_client.get(url(activity, person)).status_code == 405
    assert Participant.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_others_get_404_and_nothing_changes(activity, add_people, persona, request):
    person = add_people(activity, 1)[0]
    client = request.getfixturevalue(persona)
    assert client.post(url(activity, person)).status_code == 404
    assert Participant.objects.filter(pk=person.pk).exists()
