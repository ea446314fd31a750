"""Issue 9, point 10: a volunteer's access ends when they are deactivated, their pledge is missing or
their insurance expired, on every path (screen, feed, API, record open and save, sign-up, hours,
activities); a child who left is on nobody's schedule; both remove the future pairs and sign-ups
in the same service call, keep the past, and tell the site's coordinators."""

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities.factories import ActivityFactory
from activities.models import Helper, HelperStatus
from classroom import rules
from classroom.exceptions import DomainError
from classroom.factories import ClassDayFactory, StudentFactory, TutoringRecordFactory, UserFactory
from classroom.models import MessageKind, OutgoingMessage, StudentStatus, TutoringRecord
from classroom.services.students import student_archive
from classroom.templatetags.yorisoi import long_date
from tests.volunteers.me.conftest import days, ja
from volunteers.models import SignUp, SignUpAnswer
from volunteers.services.manage import volunteer_set_active
from volunteers.services.schedule import sign_up_answer, tutoring_record_write

ENDINGS = {
    "deactivated": {"is_active": False},
    "pledge_missing": {"pledge_signed_on": None},
    "pledge_not_yet_signed": {"pledge_signed_on": days(3)},
    "insurance_expired": {"insurance_expires_on": days(-1)},
    "insurance_missing": {"insurance_expires_on": None},
}
HEADINGS = {
    "deactivated": "Your volunteer registration is not active",
    "pledge_missing": "Your confidentiality pledge is not on file",
    "pledge_not_yet_signed": "Your confidentiality pledge is not on file",
    "insurance_expired": "Your volunteer insurance is not valid",
    "insurance_missing": "Your volunteer insurance is not valid",
}
RECORD = {"studied": "一次関数 p.42-45", "understanding": "3", "homework": "", "handover_note": "グラフは描ける"}


def end_access(volunteer, how):
    """Change the profile as staff would, without the release service (the rule must hold by itself)."""
    for field, value in ENDINGS[how].items():
        setattr(volunteer, field, value)
    volunteer.save()


@pytest.fixture
def today_record(me, child):
    """A pair on today's class day, not written yet: open for writing while access holds."""
    return TutoringRecordFactory(class_day=ClassDayFactory(site=child.site, date=days(0)), student=child,
                                 tutor=me.user)


@pytest.fixture
def token(me):
    return me.renew_calendar_token()


@pytest.fixture
def lead_activity(me, site):
    activity = ActivityFactory(site=site, date=days(5), lead=me.user)
    Helper.objects.create(activity=activity, volunteer=me, status=HelperStatus.CONFIRMED)
    return activity


def feed_events(client, token):
    response = client.get(reverse("volunteers:calendar_feed", args=[token]))
    assert response.status_code == 200
    return response.content.decode(), icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_while_access_holds_every_path_works(volunteer_client, client, me, pair, today_record, token, lead_activity):
    """The control: the same paths answer while the volunteer may tutor (so the tests below can fail)."""
    assert "ケンくん" in volunteer_client.get(reverse("volunteers:home_volunteer")).content.decode()
    assert volunteer_client.get(reverse("volunteers:my_tutoring_record", args=[today_record.pk])).status_code == 200
    assert volunteer_client.post(reverse("volunteers:my_tutoring_record", args=[today_record.pk]), RECORD).status_code == 302
    for name in ("volunteers:my_hours", "volunteers:my_calendar", "activities:my_activities", "activities:activity_offer_help"):
        assert volunteer_client.get(reverse(name)).status_code == 200, name
    assert volunteer_client.get(reverse("activities:activity_participants", args=[lead_activity.pk])).status_code == 200
    assert [v["id"] for v in volunteer_client.get("/api/volunteers/").json()["items"]] == [me.pk]
    body, events = feed_events(client, token)
    assert events and "ケンくん" in body


@pytest.mark.parametrize("how", ENDINGS)
def test_ended_volunteer_sees_why_and_no_child(volunteer_client, me, pair, site, coordinator, how):
    site.phone = "048-571-0000"
    site.save()
    end_access(me, how)
    response = volunteer_client.get(reverse("volunteers:home_volunteer"))
    assert response.status_code == 200
    html = response.content.decode()
    assert ja(HEADINGS[how]) in html
    assert "高橋 健一" in html and "048-571-0000" in html  # whom to contact
    assert "ケンくん" not in html and "一次関数" not in html
    assert reverse("volunteers:my_sign_up", args=[pair.class_day.pk]) not in html
    for name in ("volunteers:my_hours", "volunteers:my_calendar", "activities:my_activities"):  # the menu keeps only My schedule
        assert f'href="{reverse(name)}"' not in html, name


@pytest.mark.parametrize("how", ENDINGS)
def test_ended_volunteer_gets_404_on_every_volunteer_path(volunteer_client, me, pair, today_record, lead_activity,
                                                          how):
    end_access(me, how)
    assert volunteer_client.get(reverse("volunteers:my_tutoring_record", args=[today_record.pk])).status_code == 404
    assert volunteer_client.post(reverse("volunteers:my_tutoring_record", args=[today_record.pk]), RECORD).status_code == 404
    today_record.refresh_from_db()
    assert today_record.written_at is None and today_record.studied == ""
    answer = volunteer_client.post(reverse("volunteers:my_sign_up", args=[pair.class_day.pk]), {"answer": "cannot"})
    assert answer.status_code == 404
    assert SignUp.objects.get(volunteer=me, class_day=pair.class_day).answer == SignUpAnswer.CAN_COME
    for name in ("volunteers:my_hours", "volunteers:my_calendar", "activities:my_activities", "activities:activity_offer_help"):
        assert volunteer_client.get(reverse(name)).status_code == 404, name
    assert volunteer_client.post(reverse("volunteers:my_calendar_renew")).status_code == 404
    assert volunteer_client.get(reverse("activities:activity_participants", args=[lead_activity.pk])).status_code == 404
    assert volunteer_client.get(reverse("activities:activity_print_participants", args=[lead_activity.pk])).status_code == 404


@pytest.mark.parametrize("how", ENDINGS)
def test_ended_volunteer_api_shows_nothing(volunteer_client, me, how):
    end_access(me, how)
    assert volunteer_client.get("/api/volunteers/").json()["items"] == []


@pytest.mark.parametrize("how", ENDINGS)
def test_ended_volunteer_feed_is_empty(client, me, pair, token, lead_activity, how):
    end_access(me, how)
    body, events = feed_events(client, token)
    assert events == []
    assert "ケンくん" not in body and lead_activity.title not in body


@pytest.mark.parametrize("how", ENDINGS)
def test_services_refuse_an_ended_volunteer(me, pair, today_record, how):
    end_access(me, how)
    with pytest.raises(DomainError):
        tutoring_record_write(record=today_record, by=me.user, studied="x", understanding=None, homework="",
                              handover_note="")
    with pytest.raises(DomainError):
        sign_up_answer(volunteer=me, class_day=pair.class_day, answer="cannot", by=me.user)


@pytest.mark.parametrize("how", ["deactivated", "insurance_expired"])
def test_no_reminder_naming_children_after_access_ended(me, pair, mailoutbox, how):
    pair.class_day.date = days(1)
    pair.class_day.save()
    end_access(me, how)
    call_command("send_reminders")
    assert mailoutbox == []
    assert not OutgoingMessage.objects.filter(kind=MessageKind.VOLUNTEER_REMINDER).exists()


def test_a_staff_member_who_is_also_an_ended_volunteer_keeps_staff_access(client, me, site):
    me.user.groups.add(*UserFactory(roles=[rules.STAFF]).groups.all())
    site.members.add(me.user)
    end_access(me, "deactivated")
    client.force_login(me.user)
    assert client.get(reverse("classroom:home_staff")).status_code == 200
    assert client.get(reverse("volunteers:my_hours")).status_code == 404


# --- A child who left ------------------------------------------------------------------------------
@pytest.fixture
def coordinator_mail(coordinator):
    coordinator.email = "kenichi@example.jp"
    coordinator.save(update_fields=["email"])
    return coordinator.email


def test_archiving_a_child_removes_future_pairs_keeps_the_past_and_tells_the_coordinator(
        volunteer_client, client, me, child, pair, token, site, other_site, coordinator_mail, other_volunteer):
    past = TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=days(-3)), student=child, tutor=me.user,
                                 studied="比例", written_at=timezone.now())
    later = TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=days(10)), student=child, tutor=me.user)
    # Neighbours: another child's future pair at the same site, and a pair at another site.
    friend = StudentFactory(site=site, nickname="ユイちゃん")
    friends_pair = TutoringRecordFactory(class_day=pair.class_day, student=friend, tutor=other_volunteer.user)
    elsewhere = TutoringRecordFactory(class_day=ClassDayFactory(site=other_site, date=days(3)))

    student_archive(student=child, left_on=days(0), outcome="")

    assert not TutoringRecord.objects.filter(student=child, class_day__date__gte=days(0)).exists()
    assert not TutoringRecord.objects.filter(pk__in=[pair.pk, later.pk]).exists()
    past.refresh_from_db()
    assert past.studied == "比例" and past.written_at is not None
    assert TutoringRecord.objects.filter(pk__in=[friends_pair.pk, elsewhere.pk]).count() == 2
    [notice] = OutgoingMessage.objects.filter(kind=MessageKind.COORDINATOR_NOTICE)
    assert notice.recipients == [coordinator_mail] and notice.site_id == site.pk
    assert long_date(pair.class_day.date) in notice.body and long_date(later.class_day.date) in notice.body
    assert "ケンくん" not in notice.body and "健太" not in notice.body
    assert "ケンくん" not in volunteer_client.get(reverse("volunteers:home_volunteer")).content.decode()
    body, _events = feed_events(client, token)
    assert "ケンくん" not in body


def test_a_child_who_is_not_active_is_on_no_schedule_even_with_a_pair_left(volunteer_client, me, child, pair):
    """The access rule alone (no service call): a paused child's pair shows no child."""
    child.status = StudentStatus.PAUSED
    child.save()
    assert "ケンくん" not in volunteer_client.get(reverse("volunteers:home_volunteer")).content.decode()
    record = TutoringRecordFactory(class_day=ClassDayFactory(site=child.site, date=days(-1)), student=child,
                                   tutor=me.user)
    page = volunteer_client.get(reverse("volunteers:my_tutoring_record", args=[record.pk])).content.decode()
    assert "ケンくん" not in page


# --- Deactivating a volunteer ---------------------------------------------------------------------
@pytest.fixture
def history(me, child, site, other_volunteer):
    """``me``: a past written record, a written record today, future pairs and sign-ups, activity help;
    and the neighbours: another volunteer's future pair and sign-up."""
    past_day = ClassDayFactory(site=site, date=days(-7))
    SignUp.objects.create(volunteer=me, class_day=past_day, answer=SignUpAnswer.CAN_COME, confirmed_at=timezone.now())
    today = ClassDayFactory(site=site, date=days(0))
    future = [ClassDayFactory(site=site, date=days(n)) for n in (2, 9)]
    for day in future:
        SignUp.objects.create(volunteer=me, class_day=day, answer=SignUpAnswer.CAN_COME, confirmed_at=timezone.now())
        SignUp.objects.create(volunteer=other_volunteer, class_day=day, answer=SignUpAnswer.CAN_COME)
    friend = StudentFactory(site=site)
    past_activity = ActivityFactory(site=site, date=days(-10))
    next_activity = ActivityFactory(site=site, date=days(12))
    return {
        "past": TutoringRecordFactory(class_day=past_day, student=child, tutor=me.user, studied="比例",
                                      written_at=timezone.now()),
        "written_today": TutoringRecordFactory(class_day=today, student=child, tutor=me.user, studied="図形",
                                               written_at=timezone.now()),
        "future": [TutoringRecordFactory(class_day=day, student=child, tutor=me.user) for day in future],
        "neighbour": TutoringRecordFactory(class_day=future[0], student=friend, tutor=other_volunteer.user),
        "future_days": future,
        "past_help": Helper.objects.create(activity=past_activity, volunteer=me, status=HelperStatus.CONFIRMED),
        "next_help": Helper.objects.create(activity=next_activity, volunteer=me, status=HelperStatus.OFFERED),
    }


def assert_released(me, history, other_volunteer, *, days_removed):
    removed = [d for d in history["future_days"] if d.date in days_removed]
    kept = [d for d in history["future_days"] if d.date not in days_removed]
    assert not TutoringRecord.objects.filter(tutor=me.user, class_day__in=removed).exists()
    assert TutoringRecord.objects.filter(tutor=me.user, class_day__in=kept).count() == len(kept)
    assert not SignUp.objects.filter(volunteer=me, class_day__in=removed).exists()
    assert SignUp.objects.filter(volunteer=me, class_day__in=kept).count() == len(kept)
    for key in ("past", "written_today", "neighbour"):
        record = history[key]
        assert TutoringRecord.objects.filter(pk=record.pk, studied=record.studied, tutor=record.tutor).exists(), key
    assert SignUp.objects.filter(volunteer=me, class_day__date__lt=days(0)).count() == 1
    assert SignUp.objects.filter(volunteer=other_volunteer).count() == 2
    assert Helper.objects.filter(pk=history["past_help"].pk).exists()


def test_deactivating_removes_future_pairs_and_sign_ups_and_tells_the_coordinator(
        staff_client, me, history, other_volunteer, coordinator_mail, site):
    response = staff_client.post(reverse("volunteers:volunteer_set_active", args=[me.pk]), {"active": "0"}, follow=True)
    assert response.status_code == 200
    assert_released(me, history, other_volunteer, days_removed={d.date for d in history["future_days"]})
    assert not Helper.objects.filter(pk=history["next_help"].pk).exists()
    [notice] = OutgoingMessage.objects.filter(kind=MessageKind.COORDINATOR_NOTICE)
    assert notice.recipients == [coordinator_mail] and notice.site_id == site.pk
    assert "田中 由美子" in notice.subject or "田中由美子" in notice.subject
    assert "ケンくん" not in notice.body and "健太" not in notice.body
    html = response.content.decode()
    assert "コーディネーターに知らせました" in html and "ペア2件" in html
    # Idempotent: a second deactivation finds nothing more to remove and tells nobody again.
    assert volunteer_set_active(volunteer=me, active=False).total == 0
    assert OutgoingMessage.objects.filter(kind=MessageKind.COORDINATOR_NOTICE).count() == 1


def test_an_insurance_date_saved_on_the_form_releases_only_the_days_it_no_longer_covers(
        staff_client, me, history, other_volunteer, coordinator_mail):
    """Insurance ending in 5 days: the pair in 2 days stays, the one in 9 days goes."""
    from volunteers.services.manage import volunteer_release_future
    me.insurance_expires_on = days(5)
    me.save()
    released = volunteer_release_future(volunteer=me)
    assert (released.pairs, released.sign_ups) == (1, 1)
    assert_released(me, history, other_volunteer, days_removed={days(9)})
    assert not Helper.objects.filter(pk=history["next_help"].pk).exists()  # the activity is in 12 days
    assert OutgoingMessage.objects.filter(kind=MessageKind.COORDINATOR_NOTICE).count() == 1


def test_the_edit_form_deactivating_releases_too(staff_client, me, history, other_volunteer):
    from volunteers.services.manage import volunteer_save
    me.is_active = False
    volunteer_save(volunteer=me, user=me.user, teaching=[("maths", "junior_high")], sites=list(me.sites.all()))
    assert_released(me, history, other_volunteer, days_removed={d.date for d in history["future_days"]})


def test_a_volunteer_without_future_pairs_tells_nobody(me, coordinator_mail):
    assert volunteer_set_active(volunteer=me, active=False).total == 0
    assert not OutgoingMessage.objects.exists()


def test_reactivating_restores_access(volunteer_client, me, pair):
    volunteer_set_active(volunteer=me, active=False)
    assert volunteer_client.get(reverse("volunteers:my_hours")).status_code == 404
    volunteer_set_active(volunteer=me, active=True)
    assert volunteer_client.get(reverse("volunteers:my_hours")).status_code == 200
    assert not TutoringRecord.objects.filter(pk=pair.pk).exists()


@pytest.mark.parametrize("how", ENDINGS)
def test_the_record_querysets_state_the_rule_themselves(me, pair, how):
    """Even when the role check already said yes in this request (its answer is kept per request),
    the records' own query refuses a volunteer whose access ended meanwhile."""
    assert rules.is_volunteer(me.user) and rules.paired_records(me.user).exists()
    end_access(me, how)
    assert rules.is_volunteer(me.user)  # the request's cached answer
    assert not rules.own_records(me.user).exists()
    assert not rules.paired_records(me.user).exists()


@pytest.mark.parametrize(("field", "value", "holds"), [
    ("insurance_expires_on", 0, True), ("insurance_expires_on", -1, False),
    ("pledge_signed_on", 0, True), ("pledge_signed_on", 1, False),
])
def test_access_boundaries_on_the_day(volunteer_client, me, pair, field, value, holds):
    """Insurance valid through its last day; a pledge counts from the day it was signed."""
    setattr(me, field, days(value))
    me.save()
    assert (volunteer_client.get(reverse("volunteers:my_hours")).status_code == 200) is holds
    assert ("ケンくん" in volunteer_client.get(reverse("volunteers:home_volunteer")).content.decode()) is holds
