"""Information sharing: refused without a valid consent or a stated exception; the per-student list."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import InformationShare
from casework.services.visits import information_share_record
from classroom.exceptions import DomainError
from classroom.factories import ConsentFactory, HouseholdContactFactory, StudentFactory
from classroom.models import AccessLog, ConsentPurpose

pytestmark = pytest.mark.django_db


def url(student):
    return reverse("casework:share_create") + f"?student={student.pk}"


def share_data(**overrides):
    data = {"recipient": "", "recipient_name": "", "what": "最近の欠席状況と家庭の様子",
            "shared_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "basis": "consent", "consent": "",
            "exception_reason": ""}
    data.update(overrides)
    return data


def test_page_lists_recipients_and_consents(staff_client, student, caseworker, consent):
    withdrawn = ConsentFactory(student=student, partners="在籍校のみ", withdrawn_on=timezone.localdate())
    response = staff_client.get(url(student))
    html = response.content.decode()
    assert response.status_code == 200
    assert "守田 和夫" in html and "深谷市 福祉事務所、在籍校" in html
    assert f'value="{withdrawn.pk}" id="id_consent_{withdrawn.pk}" disabled' in html


def test_share_with_caseworker_on_consent(staff_client, student, caseworker, consent, staff):
    response = staff_client.post(url(student), share_data(recipient=caseworker.pk, consent=consent.pk))
    share = InformationShare.objects.get()
    assert response.status_code == 302 and response.url == reverse("casework:share_detail", args=[share.pk])
    assert share.recipient == caseworker and share.recipient_kind == "caseworker" and share.consent == consent
    assert share.shared_by == staff and "守田 和夫" in share.recipient_name
    assert AccessLog.objects.filter(student=student, action="create").exists()
    html = staff_client.get(reverse("casework:share_detail", args=[share.pk])).content.decode()
    assert "最近の欠席状況" in html


def test_refused_without_consent(staff_client, student, caseworker):
    response = staff_client.post(url(student), share_data(recipient=caseworker.pk))
    assert response.status_code == 200
    assert "valid consent" in response.content.decode() or "同意" in response.content.decode()
    assert not InformationShare.objects.exists()


@pytest.mark.parametrize("kind", ["withdrawn", "expired", "not yet given", "other purpose", "other child"])
def test_refused_with_a_consent_not_valid_on_the_share_date(staff_client, site, student, caseworker, kind):
    today = timezone.localdate()
    consent = {
        "withdrawn": lambda: ConsentFactory(student=student, withdrawn_on=today - dt.timedelta(days=1)),
        "expired": lambda: ConsentFactory(student=student, valid_until=today - dt.timedelta(days=1)),
        "not yet given": lambda: ConsentFactory(student=student, given_on=today + dt.timedelta(days=3)),
        "other purpose": lambda: ConsentFactory(student=student, purpose=ConsentPurpose.PHOTOS),
        "other child": lambda: ConsentFactory(student=StudentFactory(site=site)),
    }[kind]()
    response = staff_client.post(url(student), share_data(recipient=caseworker.pk, consent=consent.pk))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not InformationShare.objects.exists()


def test_service_refuses_consent_withdrawn_before_the_share_date(student, caseworker, staff):
    consent = ConsentFactory(student=student, withdrawn_on=timezone.localdate())
    with pytest.raises(DomainError, match="撤回"):
        information_share_record(student=student, recipient=caseworker, what="x", shared_at=timezone.now(),
                                 basis="consent", consent=consent, by=staff)
    # Shared the day before it was withdrawn: the consent was still valid then.
    share = information_share_record(student=student, recipient=caseworker, what="x",
                                     shared_at=timezone.now() - dt.timedelta(days=1), basis="consent", consent=consent,
                                     by=staff)
    assert share.pk


def test_exception_needs_a_reason(staff_client, student, caseworker):
    response = staff_client.post(url(student), share_data(recipient=caseworker.pk, basis="child_welfare"))
    assert response.status_code == 200 and response.context["form"].errors
    assert not InformationShare.objects.exists()
    response = staff_client.post(url(student), share_data(recipient=caseworker.pk, basis="child_welfare",
                                                          exception_reason="   "))
    assert not InformationShare.objects.exists()


def test_exception_with_reason_is_accepted(staff_client, student):
    response = staff_client.post(url(student), share_data(
        recipient_name="深谷市 こども家庭課 田村", basis="child_welfare",
        exception_reason="夜間に保護者不在が続き、児童の安全確認が急を要したため"))
    assert response.status_code == 302
    share = InformationShare.objects.get()
    assert share.basis == "child_welfare" and share.consent is None and share.recipient is None


def test_recipient_required_and_must_be_the_households(staff_client, student, consent):
    stranger = HouseholdContactFactory()
    staff_client.post(url(student), share_data(consent=consent.pk))
    staff_client.post(url(student), share_data(recipient=stranger.pk, consent=consent.pk))
    assert not InformationShare.objects.exists()


def make_shares(student, consent, staff, n):
    for i in range(n):
        InformationShare.objects.create(student=student, recipient_name=f"相手{i}", what="出席状況", basis="consent",
                                        consent=consent, shared_by=staff)


def test_share_list_page_fragment_and_budget(staff_client, student, consent, staff, count_queries):
    make_shares(student, consent, staff, 5)
    page = reverse("casework:share_list", args=[student.pk])
    staff_client.get(page)
    with count_queries() as five:
        response = staff_client.get(page)
    assert response.status_code == 200 and "相手4" in response.content.decode()
    fragment = staff_client.get(page, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="share-results").content.decode()
    assert "<html" not in fragment and "相手0" in fragment
    make_shares(student, consent, staff, 45)
    with count_queries() as fifty:
        staff_client.get(page)
    assert fifty.count == five.count
