"""factory-boy factories for case work (tests and benchmarks), one per model.

Random choices go through ``factory.random.randgen`` like ``classroom.factories``, so the
same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from casework.models import (
    Contact,
    ContactKind,
    FollowUpAction,
    HomeVisit,
    InformationShare,
    RecordStatus,
    ShareBasis,
    VisitPurpose,
    WarningNotice,
    WarningSettings,
)
from classroom.factories import ConsentFactory, SiteFactory, StudentFactory, UserFactory


class HomeVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeVisit
        skip_postgeneration_save = True

    student = factory.SubFactory(StudentFactory)
    visited_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    purpose = VisitPurpose.REGULAR
    family_met = True
    living_environment = "部屋は片付いていた。"
    child_condition = "表情は明るい。"
    status = RecordStatus.DONE
    created_by = factory.SubFactory(UserFactory, roles=["staff"])

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        """``staff=[user, ...]``; by default the member of staff who wrote it went."""
        if create:
            self.staff.set(extracted if extracted is not None else [u for u in [self.created_by] if u])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    student = factory.SubFactory(StudentFactory)
    kind = ContactKind.PHONE
    contacted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    staff = factory.SubFactory(UserFactory, roles=["staff"])
    with_whom = "母親"
    notes = "母親と電話で話した。"
    status = RecordStatus.DONE


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    """From a contact by default; pass ``visit=`` (and ``contact=None``) for one decided on a visit."""

    class Meta:
        model = FollowUpAction

    student = factory.SubFactory(StudentFactory)
    contact = factory.SubFactory(ContactFactory, student=factory.SelfAttribute("..student"))
    visit = None
    description = "学校へ連絡する"
    owner = factory.SubFactory(UserFactory, roles=["staff"])
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class InformationShareFactory(factory.django.DjangoModelFactory):
    """Shared on the child's information-sharing consent, with a caseworker."""

    class Meta:
        model = InformationShare

    student = factory.SubFactory(StudentFactory)
    consent = factory.SubFactory(ConsentFactory, student=factory.SelfAttribute("..student"))
    basis = ShareBasis.CONSENT
    recipient_kind = "caseworker"
    recipient_name = "深谷市 生活福祉課"
    what = "最近の出席状況"
    shared_by = factory.SubFactory(UserFactory, roles=["staff"])


class WarningSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WarningSettings
        django_get_or_create = ("site",)

    site = factory.SubFactory(SiteFactory)


class WarningNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WarningNotice

    student = factory.SubFactory(StudentFactory)
    recipient = factory.SubFactory(UserFactory, roles=["staff"])
    kind = "absences"
    key = factory.LazyFunction(lambda: timezone.localdate().isoformat())
