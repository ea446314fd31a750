"""What an htmx save says (issue 15, JIS X 8341-3 AA / WCAG 4.1.3, 2.4.6): each fragment that a save returns
carries exactly one data-announce, with what was saved, for swap-focus.js to read once through the page's live
region; a refused post carries none (its errors show instead). Each button's accessible name (its text content,
visually hidden part included) says whom or what it acts on. No browser: the Django test client, htmx header."""

import datetime as dt
import html
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from activities.factories import ActivityFactory, HelperFactory, ParticipantFactory
from activities.models import Answer, HelperStatus, Participant
from casework.factories import FollowUpActionFactory
from classroom.factories import ConsentFactory, GuardianFactory, HouseholdFactory, StudentFactory
from classroom.models import ConsentPurpose
from lib.localtime import long_date
from volunteers.factories import VolunteerFactory
from volunteers.models import AvailabilityException, PairingPreference

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def ja(message: str, **values) -> str:
    with translation.override("ja"):
        text = str(translation.gettext(message))
        return text % values if values else text


class _Page(HTMLParser):
    """The data-announce values and the buttons' (and summaries') accessible names of a fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.announcements: list[str] = []
        self.names: list[str] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-announce" in attrs:
            self.announcements.append(attrs["data-announce"])
        if tag in ("button", "summary"):
            assert "aria-label" not in attrs, "the name is the text, visible words first"
            self._open.append([])

    def handle_endtag(self, tag):
        if tag in ("button", "summary") and self._open:
            self.names.append(" ".join("".join(self._open.pop()).split()))

    def handle_data(self, data):
        for words in self._open:
            words.append(data)


def parse(response, *, fragment=True) -> _Page:
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    assert "{#" not in text and "#}" not in text, "a template comment leaked (Django's {# #} is one line only)"
    if fragment:
        assert "<html" not in text, "a fragment"
    page = _Page()
    page.feed(text)
    return page


def said(response) -> str:
    page = parse(response)
    assert len(page.announcements) == 1, page.announcements
    return html.unescape(page.announcements[0])


def silent(response) -> None:
    assert parse(response).announcements == []


def named(response, *words) -> None:
    """Some button (or summary) has a name that holds all the words."""
    names = parse(response, fragment=False).names
    assert any(all(w in n for w in words) for n in names), (words, names)


@pytest.fixture
def activity(site, staff):
    return ActivityFactory(site=site, lead=staff, capacity=10, date=timezone.localdate() + dt.timedelta(days=14),
                           title="野菜の収穫体験", consent_required=False)


# --- Helpers of an activity --------------------------------------------------------------------
def test_helper_confirm_add_remove(coordinator_client, activity, site):
    offered = HelperFactory(activity=activity, volunteer=VolunteerFactory(
        sites=[site], user__last_name="山田", user__first_name="花子"), status=HelperStatus.OFFERED, role="")
    response = coordinator_client.get(reverse("activities:activity_detail", args=[activity.pk]))
    page = _Page()
    page.feed(response.content.decode())
    assert any(n.startswith(ja("Confirm")) and "山田 花子" in n for n in page.names), page.names
    assert any(n.startswith(ja("Remove")) and "山田 花子" in n for n in page.names), page.names

    response = coordinator_client.post(reverse("activities:helper_confirm", args=[activity.pk, offered.pk]), **HX)
    assert said(response) == ja("Saved: %(name)s confirmed as a helper", name="山田 花子")
    named(response, ja("Remove"), "山田 花子")

    other = VolunteerFactory(sites=[site], user__last_name="佐藤", user__first_name="一郎")
    response = coordinator_client.post(reverse("activities:helper_add", args=[activity.pk]),
                                       {"volunteer": other.pk, "role": "受付"}, **HX)
    assert said(response) == ja("Saved: %(name)s added as a helper", name="佐藤 一郎")
    named(response, ja("Add"), ja("a helper"))
    # Refused (nobody chosen): the form's errors, no announcement.
    silent(coordinator_client.post(reverse("activities:helper_add", args=[activity.pk]), {"role": "受付"}, **HX))

    response = coordinator_client.post(reverse("activities:helper_remove", args=[activity.pk, offered.pk]), **HX)
    assert said(response) == ja("Removed: %(name)s", name="山田 花子")


def test_help_offer_and_withdraw(volunteer_client, volunteer, activity, site):
    VolunteerFactory(user=volunteer, sites=[site])
    offer = reverse("activities:help_offer", args=[activity.pk])
    response = volunteer_client.post(offer, **HX)
    assert said(response) == ja("Saved: you offered to help at %(title)s", title="野菜の収穫体験")
    named(response, ja("Withdraw my offer"), "野菜の収穫体験")
    response = volunteer_client.post(reverse("activities:help_withdraw", args=[activity.pk]), **HX)
    assert said(response) == ja("Saved: your offer for %(title)s was withdrawn", title="野菜の収穫体験")
    named(response, ja("Offer to help"), "野菜の収穫体験")
    # Refused: a cancelled activity is no longer offered (404), nothing to announce.
    activity.status = "cancelled"
    activity.save()
    assert volunteer_client.post(offer, **HX).status_code == 404


# --- Participants of an activity -------------------------------------------------------------------
@pytest.fixture
def hanako(activity, site):
    student = StudentFactory(site=site, family=("山田", "ヤマダ"), given=("花子", "ハナコ"))
    return ParticipantFactory(activity=activity, answer=Answer.INVITED, student=student)


def test_participant_answer(staff_client, activity, hanako):
    url = reverse("activities:activity_participant_answer", args=[activity.pk, hanako.pk])
    response = staff_client.post(url, {"answer": "going"}, **HX)
    assert said(response) == ja("Saved: %(name)s %(answer)s", name="山田 花子", answer=ja("Going"))
    assert said(response).startswith("保存しました：山田 花子")
    for label in ("Going", "Declined", "Back to invited"):
        named(response, ja(label), "山田 花子")
    # Refused: no such answer; the row's error shows, nothing is announced.
    silent(staff_client.post(url, {"answer": "maybe"}, **HX))


def test_participant_consent(staff_client, activity, hanako):
    activity.consent_required = True
    activity.save()
    url = reverse("activities:activity_participant_consent", args=[activity.pk, hanako.pk])
    page = staff_client.get(reverse("activities:activity_participants", args=[activity.pk]))
    named(page, ja("Consent received"), "山田 花子")
    response = staff_client.post(url, {"received_on": "2026-11-05"}, **HX)
    assert said(response) == ja("Saved: consent of %(name)s received on %(date)s", name="山田 花子",
                                date=long_date(dt.date(2026, 11, 5)))
    named(response, ja("Change the consent date"), "山田 花子")
    named(response, ja("Change the date"), "山田 花子")
    silent(staff_client.post(url, {"received_on": "not-a-date"}, **HX))
    hanako.refresh_from_db()
    assert hanako.consent_received_on == dt.date(2026, 11, 5)


def test_participant_remove(staff_client, activity, hanako):
    named(staff_client.get(reverse("activities:activity_participants", args=[activity.pk])), "山田 花子")
    response = staff_client.post(reverse("activities:activity_participant_remove", args=[activity.pk, hanako.pk]),
                                 **HX)
    assert said(response) == ja("Removed: %(name)s", name="山田 花子")
    assert not Participant.objects.filter(pk=hanako.pk).exists()


# --- Follow-ups of casework --------------------------------------------------------------------
def test_followup_done_and_reopen(staff_client, staff, site):
    action = FollowUpActionFactory(student=StudentFactory(site=site), owner=staff, description="学校へ連絡する")
    response = staff_client.post(reverse("casework:followup_done", args=[action.pk]), **HX)
    assert said(response) == ja("Saved: done, %(what)s", what="学校へ連絡する")
    named(response, ja("Undo"), "学校へ連絡する")
    response = staff_client.post(reverse("casework:followup_reopen", args=[action.pk]), **HX)
    assert said(response) == ja("Saved: not done yet, %(what)s", what="学校へ連絡する")
    named(response, ja("Mark done"), "学校へ連絡する")
    silent(staff_client.post(reverse("casework:followup_done", args=[action.pk]), {"done_on": "not-a-date"}, **HX))
    action.refresh_from_db()
    assert action.done_on is None


# --- Consents of a student ------------------------------------------------------------------------
def test_consent_add_and_withdraw(staff_client, site):
    household = HouseholdFactory()
    student = StudentFactory(site=site, household=household, family=("山田", "ヤマダ"), given=("花子", "ハナコ"))
    guardian = GuardianFactory(household=household)
    consent = ConsentFactory(student=student, guardian=guardian, purpose=ConsentPurpose.PHOTOS)
    hx = {**HX, "HTTP_HX_TARGET": "consents"}
    add = reverse("classroom:consent_add", args=[student.pk])
    data = {"purpose": ConsentPurpose.ACTIVITIES, "guardian": str(guardian.pk), "partners": "",
            "given_on": timezone.localdate().isoformat(), "valid_until": ""}
    response = staff_client.post(add, data, **hx)
    with translation.override("ja"):
        purpose, photos = str(ConsentPurpose.ACTIVITIES.label), str(ConsentPurpose.PHOTOS.label)
    assert said(response) == ja("Saved: consent, %(purpose)s", purpose=purpose)
    named(response, ja("Save the consent"), "山田 花子")
    named(response, ja("Withdraw"), photos)
    silent(staff_client.post(add, {**data, "given_on": "not-a-date"}, **hx))

    withdraw = reverse("classroom:consent_withdraw", args=[student.pk, consent.pk])
    silent(staff_client.post(withdraw, {"withdrawn_on": "not-a-date"}, **hx))
    response = staff_client.post(withdraw, {"withdrawn_on": timezone.localdate().isoformat()}, **hx)
    assert said(response) == ja("Saved: consent withdrawn, %(purpose)s", purpose=photos)


# --- A volunteer's dates and pairing preferences --------------------------------------------------
def test_availability_exception_add_and_remove(staff_client, site):
    tutor = VolunteerFactory(sites=[site])
    day = timezone.localdate() + dt.timedelta(days=10)
    add = reverse("volunteers:availability_exception_add", args=[tutor.pk])
    response = staff_client.post(add, {"date": day.isoformat(), "available": "0"}, **HX)
    assert said(response) == ja("Saved: cannot come on %(date)s", date=long_date(day))
    named(response, ja("Remove"), long_date(day))
    named(response, ja("Add"), ja("a date that differs"))
    silent(staff_client.post(add, {"date": "not-a-date", "available": "0"}, **HX))
    exception = AvailabilityException.objects.get(volunteer=tutor)
    response = staff_client.post(reverse("volunteers:availability_exception_remove", args=[tutor.pk, exception.pk]),
                                 **HX)
    assert said(response) == ja("Removed: the exception on %(date)s", date=long_date(day))


def test_pairing_preference_add_and_remove(staff_client, site):
    tutor = VolunteerFactory(sites=[site])
    child = StudentFactory(site=site, family=("山田", "ヤマダ"), given=("花子", "ハナコ"))
    add = reverse("volunteers:pairing_preference_add", args=[tutor.pk])
    response = staff_client.post(add, {"student": child.pk, "kind": "avoid", "note": ""}, **HX)
    kind = ja("Do not pair")
    assert said(response) == ja("Saved: %(kind)s %(name)s", kind=kind, name="山田 花子")
    named(response, ja("Remove"), "山田 花子")
    named(response, ja("Add"), ja("a pairing preference"))
    silent(staff_client.post(add, {"kind": "avoid"}, **HX))
    preference = PairingPreference.objects.get()
    response = staff_client.post(reverse("volunteers:pairing_preference_remove", args=[tutor.pk, preference.pk]),
                                 **HX)
    assert said(response) == ja("Removed: %(kind)s %(name)s", kind=kind, name="山田 花子")

