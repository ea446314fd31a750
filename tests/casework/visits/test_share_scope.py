"""Consent scope: sharing on a consent needs a recipient kind the consent covers; a recipient outside
the list only under an exception with its reason; the record shows what it relied on (issue 9, point 12)."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from casework.models import InformationShare, ShareBasis
from casework.services.visits import information_share_record
from classroom.exceptions import DomainError
from classroom.factories import ConsentFactory, HouseholdContactFactory
from classroom.models import Consent, ConsentPurpose, HouseholdContact, RecipientKind

pytestmark = pytest.mark.django_db


def url(student):
    return reverse("casework:share_create") + f"?student={student.pk}"


def share_data(**overrides):
    data = {"recipient": "", "recipient_kind": "", "recipient_name": "", "what": "最近の欠席状況と家庭の様子",
            "shared_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "basis": "consent", "consent": "",
            "exception_reason": ""}
    data.update(overrides)
    return data


# --- The defect: a welfare-office-and-school consent used for a child guidance centre -----------------
def test_a_kind_the_consent_does_not_cover_is_refused(staff_client, student, consent):
    assert consent.recipient_kind_list == ["caseworker", "school"]
    response = staff_client.post(url(student), share_data(
        recipient_kind=RecipientKind.CHILD_GUIDANCE, recipient_name="熊谷児童相談所", consent=consent.pk))
    assert response.status_code == 200
    [error] = response.context["form"].errors["consent"]
    assert "児童相談所" in error and "ケースワーカー" in error and "学校" in error and "含まれていません" in error
    assert not InformationShare.objects.exists()


def test_a_free_text_recipient_on_a_consent_is_refused(staff_client, student, consent):
    response = staff_client.post(url(student), share_data(recipient_name="熊谷児童相談所", consent=consent.pk))
    assert response.status_code == 200
    [error] = response.context["form"].errors["recipient_kind"]
    assert "一覧" in error and "例外" in error
    assert not InformationShare.objects.exists()


def test_a_household_contact_of_a_kind_not_covered_is_refused(staff_client, student, household, consent):
    ssw = HouseholdContactFactory(household=household, kind=HouseholdContact.Kind.SCHOOL_SOCIAL_WORKER, name="松本 SSW")
    response = staff_client.post(url(student), share_data(recipient=ssw.pk, consent=consent.pk))
    assert response.status_code == 200 and "スクールソーシャルワーカー" in response.context["form"].errors["consent"][0]
    assert not InformationShare.objects.exists()


def test_a_kind_that_contradicts_the_contact_is_refused(staff_client, student, caseworker, consent):
    response = staff_client.post(url(student), share_data(recipient=caseworker.pk, recipient_kind="school",
                                                          consent=consent.pk))
    assert response.status_code == 200 and response.context["form"].errors["recipient_kind"]
    assert not InformationShare.objects.exists()


@pytest.mark.parametrize("kind,name", [(RecipientKind.CHILD_GUIDANCE, "熊谷児童相談所"), ("", "熊谷児童相談所")])
def test_the_service_refuses_what_the_consent_does_not_cover(student, consent, staff, kind, name):
    with pytest.raises(DomainError):
        information_share_record(student=student, recipient_kind=kind, recipient_name=name, what="x",
                                 shared_at=timezone.now(), basis=ShareBasis.CONSENT, consent=consent, by=staff)
    assert not InformationShare.objects.exists()


def test_the_service_refuses_an_unknown_kind(student, consent, staff):
    with pytest.raises(DomainError, match="一覧"):
        information_share_record(student=student, recipient_kind="police", recipient_name="深谷警察署", what="x",
                                 shared_at=timezone.now(), basis=ShareBasis.CONSENT, consent=consent, by=staff)


# --- Covered kinds are accepted ------------------------------------------------------------------
def test_a_covered_kind_typed_by_name_is_accepted_and_recorded(staff_client, student, consent):
    response = staff_client.post(url(student), share_data(
        recipient_kind=RecipientKind.SCHOOL, recipient_name="深谷市立南中学校 担任", consent=consent.pk))
    share = InformationShare.objects.get()
    assert response.status_code == 302
    assert share.recipient_kind == "school" and share.consent == consent and share.basis == ShareBasis.CONSENT


def test_a_covered_household_contact_takes_its_kind(student, caseworker, consent, staff):
    share = information_share_record(student=student, recipient=caseworker, what="x", shared_at=timezone.now(),
                                     basis=ShareBasis.CONSENT, consent=consent, by=staff)
    assert share.recipient_kind == "caseworker"


def test_a_consent_covering_the_child_guidance_centre_allows_it(student, staff):
    consent = ConsentFactory(student=student, recipient_kinds="child_guidance")
    share = information_share_record(student=student, recipient_kind="child_guidance", recipient_name="熊谷児童相談所",
                                     what="x", shared_at=timezone.now(), basis=ShareBasis.CONSENT, consent=consent,
                                     by=staff)
    assert share.consent == consent and share.recipient_kind == "child_guidance"


# --- A free-text recipient only under an exception with its reason ---------------------------------
@pytest.mark.parametrize("basis", [ShareBasis.LAW, ShareBasis.LIFE, ShareBasis.CHILD_WELFARE])
def test_an_exception_without_its_reason_is_refused_in_words(staff_client, student, basis):
    response = staff_client.post(url(student), share_data(recipient_name="熊谷児童相談所", basis=basis))
    assert response.status_code == 200
    [error] = response.context["form"].errors["exception_reason"]
    assert "記入してください" in error
    assert "share_has_a_basis" not in response.text and "制約" not in response.text
    assert not InformationShare.objects.exists()


def test_a_free_text_recipient_under_an_exception_with_its_reason_is_recorded(staff_client, student):
    response = staff_client.post(url(student), share_data(
        recipient_name="熊谷児童相談所", basis=ShareBasis.LAW,
        exception_reason="虐待が疑われるため、児童虐待防止法第6条に基づき通告した。"))
    share = InformationShare.objects.get()
    assert response.status_code == 302
    assert share.basis == ShareBasis.LAW and share.recipient_kind == "" and share.consent is None
    assert "児童虐待防止法" in share.exception_reason


def test_the_service_refuses_an_exception_without_a_reason(student, staff):
    with pytest.raises(DomainError, match="記入"):
        information_share_record(student=student, recipient_name="熊谷児童相談所", what="x", shared_at=timezone.now(),
                                 basis=ShareBasis.LIFE, exception_reason="  ", by=staff)


# --- The record shows what it relied on ------------------------------------------------------------
def test_the_share_shows_the_consent_it_relied_on(staff_client, student, caseworker, consent, staff):
    share = information_share_record(student=student, recipient=caseworker, what="x", shared_at=timezone.now(),
                                     basis=ShareBasis.CONSENT, consent=consent, by=staff)
    html = staff_client.get(reverse("casework:share_detail", args=[share.pk])).text
    basis = html.split('id="share-basis"')[1].split("</dd>")[0]
    relied_on = html.split('id="share-consent"')[1].split("</dd>")[0]
    assert "同意書に基づく" in basis
    assert "鈴木" in relied_on and "生活保護ケースワーカー、学校" in relied_on
    assert f"{consent.given_on.year}年" in relied_on
    listing = staff_client.get(reverse("casework:share_list", args=[student.pk])).text
    assert "生活保護ケースワーカー、学校" in listing


def test_the_share_shows_the_exception_and_its_reason(staff_client, student, staff):
    share = information_share_record(student=student, recipient_name="熊谷児童相談所", what="x", shared_at=timezone.now(),
                                     basis=ShareBasis.LAW, exception_reason="児童虐待防止法第6条による通告", by=staff)
    html = staff_client.get(reverse("casework:share_detail", args=[share.pk])).text
    assert "法令に基づく場合" in html.split('id="share-basis"')[1].split("</dd>")[0]
    assert "児童虐待防止法第6条による通告" in html.split('id="share-reason"')[1]
    assert "一覧にない提供先（例外による提供）" in html and 'id="share-consent"' not in html


# --- Consents record the kinds they cover ---------------------------------------------------------
def consent_post(guardian, **overrides):
    return {"purpose": ConsentPurpose.INFO_SHARING, "guardian": str(guardian.pk), "partners": "深谷市 福祉事務所",
            "given_on": timezone.localdate().isoformat(), "valid_until": "", **overrides}


def test_a_consent_to_information_sharing_needs_its_kinds(staff_client, student, household):
    guardian = household.guardians.get()
    response = staff_client.post(reverse("classroom:consent_add", args=[student.pk]), consent_post(guardian))
    assert response.status_code == 200 and response.context["form"].errors["recipient_kinds"]
    assert not Consent.objects.filter(student=student).exists()
    response = staff_client.post(reverse("classroom:consent_add", args=[student.pk]),
                                 consent_post(guardian, recipient_kinds=["caseworker", "child_guidance"]))
    assert response.status_code == 302
    consent = Consent.objects.get(student=student)
    assert consent.recipient_kind_list == ["caseworker", "child_guidance"]
    assert "児童相談所" in staff_client.get(reverse("classroom:student_detail", args=[student.pk])).text


def test_the_share_form_names_the_kinds_each_consent_covers(staff_client, student, consent):
    html = staff_client.get(url(student)).text
    assert "生活保護ケースワーカー、学校" in html and 'name="recipient_kind"' in html


# --- Existing records --------------------------------------------------------------------------
def test_the_migration_reads_kinds_from_the_existing_text(student, staff):
    migration = importlib.import_module("classroom.migrations.0005_outbox_and_consent_scope")
    old = ConsentFactory(student=student, partners="深谷市 福祉事務所、在籍校", recipient_kinds="")
    vague = ConsentFactory(student=student, partners="関係機関", recipient_kinds="")
    guidance = InformationShare.objects.create(student=student, recipient_name="熊谷児童相談所", what="x",
                                               basis="child_welfare", exception_reason="緊急", shared_by=staff)
    unknown = InformationShare.objects.create(student=student, recipient_name="民生委員 山田さん", what="x",
                                              basis="child_welfare", exception_reason="緊急", shared_by=staff)
    # The models as the migration knew them (shares lived in classroom then), on the same tables.
    historical = MigrationLoader(connection).project_state(("classroom", "0005_outbox_and_consent_scope")).apps
    migration.fill_recipient_kinds(historical, None)
    old.refresh_from_db()
    vague.refresh_from_db()
    assert old.recipient_kind_list == ["caseworker", "school"]
    assert vague.recipient_kinds == ""  # names no kind: covers none until recorded again
    assert InformationShare.objects.get(pk=guidance.pk).recipient_kind == "child_guidance"
    assert InformationShare.objects.get(pk=unknown.pk).recipient_kind == ""
