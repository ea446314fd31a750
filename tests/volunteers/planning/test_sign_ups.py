"""Confirming and unconfirming sign-ups in one tap (HTMX), and without JavaScript."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory, TutoringRecordFactory
from tests.neighbours import ours
from volunteers.models import SignUp, SignUpAnswer
from volunteers.services.planning import sign_up_confirm


def confirm_url(sign_up):
    return reverse("volunteers:pairing_sign_up_confirm", args=[sign_up.class_day_id, sign_up.pk])


def unconfirm_url(sign_up):
    return reverse("volunteers:pairing_sign_up_unconfirm", args=[sign_up.class_day_id, sign_up.pk])


def test_confirm_in_one_tap(coordinator_client, coordinator, day, make_children, make_volunteer):
    child = make_children(1)[0]
    volunteer = make_volunteer(confirmed=False, user__last_name="青木", user__first_name="一郎")
    sign_up = volunteer.sign_ups.get()
    response = coordinator_client.post(confirm_url(sign_up), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="plan-body"')
    assert "青木 一郎 is confirmed." in html
    sign_up.refresh_from_db()
    assert sign_up.is_confirmed and sign_up.confirmed_by == coordinator
    # The proposal now uses the volunteer.
    assert f'<input type="hidden" name="pair-{child.pk}" value="{volunteer.pk}">' in html
    confirmed_at = sign_up.confirmed_at
    coordinator_client.post(confirm_url(sign_up), HTTP_HX_REQUEST="true")  # a retry changes nothing
    sign_up.refresh_from_db()
    assert sign_up.confirmed_at == confirmed_at


def test_unconfirm_removes_the_volunteers_planned_pairs(coordinator_client, day, make_children, make_volunteer):
    child, written_child = make_children(2)
    volunteer = make_volunteer(max_children=2)
    TutoringRecordFactory(class_day=day, student=child, tutor=volunteer.user)
    TutoringRecordFactory(class_day=day, student=written_child, tutor=volunteer.user, written_at=timezone.now())
    sign_up = volunteer.sign_ups.get()
    response = coordinator_client.post(unconfirm_url(sign_up), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "1 planned pair was removed." in response.content.decode()
    sign_up.refresh_from_db()
    assert not sign_up.is_confirmed and sign_up.confirmed_by is None
    assert list(day.tutoring_records.values_list("student_id", flat=True)) == [written_child.pk]


def test_without_javascript_it_redirects_with_a_message(coordinator_client, day, make_volunteer):
    sign_up = make_volunteer(confirmed=False).sign_ups.get()
    response = coordinator_client.post(confirm_url(sign_up), follow=True)
    assert response.redirect_chain[-1][0] == reverse("volunteers:pairing_plan", args=[day.pk]) + f"#sign-up-{sign_up.pk}"
    assert "is confirmed." in response.content.decode()


def test_refused_confirmations_change_nothing(coordinator_client, day, make_volunteer):
    cannot = make_volunteer(answer=SignUpAnswer.CANNOT_COME).sign_ups.get()
    no_pledge = make_volunteer(confirmed=False, pledge_signed_on=None, user__last_name="上田",
                               user__first_name="三郎").sign_ups.get()
    expired = make_volunteer(confirmed=False, insurance_expires_on=day.date - dt.timedelta(days=1)).sign_ups.get()
    for sign_up, message in ((cannot, "Only a volunteer who said they can come can be confirmed."),
                             (no_pledge, "上田 三郎 cannot be confirmed: No signed confidentiality pledge."),
                             (expired, "cannot be confirmed: Volunteer insurance expired on")):
        response = coordinator_client.post(confirm_url(sign_up), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not ours(SignUp).filter(confirmed_at__isnull=False).exists()


def test_cancelled_or_past_days_cannot_be_confirmed(coordinator, site, make_volunteer):
    from classroom.exceptions import DomainError

    for kwargs in ({"status": "cancelled", "date": timezone.localdate() + dt.timedelta(days=2)},
                   {"status": "held", "date": timezone.localdate() - dt.timedelta(days=2)}):
        cd = ClassDayFactory(site=site, **kwargs)
        volunteer = make_volunteer(answer=None)
        sign_up = SignUp.objects.create(volunteer=volunteer, class_day=cd, answer=SignUpAnswer.CAN_COME)
        with pytest.raises(DomainError):
            sign_up_confirm(sign_up=sign_up, by=coordinator)
        sign_up.refresh_from_db()
        assert sign_up.confirmed_at is None


def test_a_sign_up_of_another_day_or_site_is_404(coordinator_client, day, other_day, make_volunteer):
    sign_up = make_volunteer(confirmed=False).sign_ups.get()
    wrong_day = reverse("volunteers:pairing_sign_up_confirm", args=[other_day.pk, sign_up.pk])
    assert coordinator_client.post(wrong_day).status_code == 404
    other = SignUp.objects.create(volunteer=sign_up.volunteer, class_day=other_day, answer=SignUpAnswer.CAN_COME)
    assert coordinator_client.post(confirm_url(other)).status_code == 404
    other.refresh_from_db()
    assert other.confirmed_at is None


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_volunteers_and_outsiders_get_404(request, persona, day, make_volunteer):
    sign_up = make_volunteer(confirmed=False).sign_ups.get()
    client = request.getfixturevalue(persona)
    assert client.post(confirm_url(sign_up)).status_code == 404
    assert client.post(unconfirm_url(sign_up)).status_code == 404
    sign_up.refresh_from_db()
    assert sign_up.confirmed_at is None


def test_get_is_not_allowed(coordinator_client, day, make_volunteer):
    sign_up = make_volunteer(confirmed=False).sign_ups.get()
    assert coordinator_client.get(confirm_url(sign_up)).status_code == 405
