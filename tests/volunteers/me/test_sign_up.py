"""One-tap sign-up: upsert, idempotent, cancelling a confirmed day tells the coordinators."""

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory, TutoringRecordFactory, UserFactory
from classroom.models import ClassDayStatus, TutoringRecord
from tests.neighbours import ours
from tests.volunteers.me.conftest import days
from volunteers.models import SignUp, SignUpAnswer


def url(day):
    return reverse("volunteers:my_sign_up", args=[day.pk])


def test_htmx_tap_saves_and_returns_the_card(volunteer_client, me, upcoming_day):
    response = volunteer_client.post(url(upcoming_day), {"answer": "can"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="day-{upcoming_day.pk}"')
    assert 'value="can" class="button me-answer__button me-answer__button--can" aria-pressed="true"' in html
    sign_up = ours(SignUp).get()
    assert (sign_up.volunteer, sign_up.class_day, sign_up.answer) == (me, upcoming_day, SignUpAnswer.CAN_COME)


def test_same_answer_twice_changes_nothing(volunteer_client, me, upcoming_day):
    volunteer_client.post(url(upcoming_day), {"answer": "can"}, HTTP_HX_REQUEST="true")
    first = ours(SignUp).get()
    volunteer_client.post(url(upcoming_day), {"answer": "can"}, HTTP_HX_REQUEST="true")
    again = ours(SignUp).get()
    assert again.answered_at == first.answered_at and ours(SignUp).count() == 1


def test_change_answer_updates_the_one_row(volunteer_client, me, upcoming_day):
    volunteer_client.post(url(upcoming_day), {"answer": "can"})
    volunteer_client.post(url(upcoming_day), {"answer": "cannot"})
    assert list(ours(SignUp).values_list("answer", flat=True)) == [SignUpAnswer.CANNOT_COME]


def test_without_js_redirects_back_with_a_message(volunteer_client, me, upcoming_day):
    response = volunteer_client.post(url(upcoming_day), {"answer": "can"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("volunteers:home_volunteer") + f"#day-{upcoming_day.pk}"
    assert "message--success" in response.content.decode()


def test_bad_answer_changes_nothing(volunteer_client, me, upcoming_day):
    response = volunteer_client.post(url(upcoming_day), {"answer": "maybe"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not ours(SignUp).exists()


@pytest.mark.parametrize("kind", ["past", "cancelled"])
def test_past_or_cancelled_refused(volunteer_client, me, site, kind):
    day = (ClassDayFactory(site=site, date=days(-1)) if kind == "past"
           else ClassDayFactory(site=site, date=days(2), status=ClassDayStatus.CANCELLED))
    response = volunteer_client.post(url(day), {"answer": "can"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    response = volunteer_client.post(url(day), {"answer": "can"}, follow=True)
    assert "message--error" in response.content.decode()
    assert not ours(SignUp).exists()


def test_other_sites_class_day_is_404(volunteer_client, me, other_site):
    day = ClassDayFactory(site=other_site, date=days(2))
    assert volunteer_client.post(url(day), {"answer": "can"}).status_code == 404
    assert not ours(SignUp).exists()


def test_get_is_not_allowed(volunteer_client, me, upcoming_day):
    assert volunteer_client.get(url(upcoming_day)).status_code == 405


@pytest.mark.parametrize("persona", ["staff_client", "coordinator_client", "outsider_client"])
def test_other_roles_404(request, persona, upcoming_day):
    assert request.getfixturevalue(persona).post(url(upcoming_day), {"answer": "can"}).status_code == 404


def test_volunteer_without_profile_404(volunteer_client, upcoming_day):
    assert volunteer_client.post(url(upcoming_day), {"answer": "can"}).status_code == 404


def test_cancel_after_confirm_emails_coordinators_and_removes_pairs(volunteer_client, me, pair, child, coordinator,
                                                                    staff, site, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    coordinator.email = "coord@example.jp"
    coordinator.save()
    staff.email = "staff@example.jp"
    staff.save()
    UserFactory(roles=["coordinator"], email="elsewhere@example.jp")  # not a member of the site
    written = TutoringRecordFactory(class_day=pair.class_day, tutor=me.user, written_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued, then sent after the commit
        response = volunteer_client.post(url(pair.class_day), {"answer": "cannot"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    sign_up = ours(SignUp).get(volunteer=me, class_day=pair.class_day)
    assert sign_up.answer == SignUpAnswer.CANNOT_COME and sign_up.confirmed_at is None
    assert not TutoringRecord.objects.filter(pk=pair.pk).exists()
    assert TutoringRecord.objects.filter(pk=written.pk).exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["coord@example.jp"]
    assert "田中 由美子" in mail.subject + mail.body
    assert "17:00" in mail.body
    for secret in ["ケンくん", "鈴木", "健太"]:
        assert secret not in mail.subject + mail.body
    # the same answer again: nothing more
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_client.post(url(pair.class_day), {"answer": "cannot"}, HTTP_HX_REQUEST="true")
    assert len(mailoutbox) == 1


def test_cancel_when_not_confirmed_sends_nothing(volunteer_client, me, upcoming_day, coordinator, mailoutbox):
    coordinator.email = "coord@example.jp"
    coordinator.save()
    volunteer_client.post(url(upcoming_day), {"answer": "can"})
    volunteer_client.post(url(upcoming_day), {"answer": "cannot"})
    assert mailoutbox == []
