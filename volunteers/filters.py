"""django-filter FilterSets of the volunteer list (also used by the API)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom.filters import SearchFilter
from classroom.models import Site, Subject
from lib.kana import to_katakana
from volunteers.models import EXPIRY_WARNING_DAYS, Level, TeachingSubject, Volunteer, VolunteerKind

ACTIVE_CHOICES = [("yes", _("Active")), ("no", _("Inactive"))]
PAPERWORK_CHOICES = [("attention", _("Pledge or insurance missing or expiring soon"))]


def paperwork_attention(on: dt.date) -> Q:
    """No pledge, no insurance, or insurance expired or expiring within ``EXPIRY_WARNING_DAYS`` of ``on``."""
    return (
        Q(pledge_signed_on__isnull=True)
        | Q(insurance_expires_on__isnull=True)
        | Q(insurance_expires_on__lte=on + dt.timedelta(days=EXPIRY_WARNING_DAYS))
    )


def search(queryset: QuerySet[Volunteer], text: str) -> QuerySet[Volunteer]:
    """Every word must match the family or given name (as typed, or its katakana), the name's reading or
    the username."""
    for word in text.split():
        kana = to_katakana(word)
        queryset = queryset.filter(
            Q(user__last_name__icontains=word) | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=kana) | Q(user__first_name__icontains=kana)
            | Q(name_kana__contains=kana) | Q(user__username__icontains=word)
        )
    return queryset


class VolunteerFilter(django_filters.FilterSet):
    q = SearchFilter(_("Name or username"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=VolunteerKind.choices, empty_label=_("All kinds"))
    subject = django_filters.ChoiceFilter(label=_("Subject"), choices=Subject.choices, method="filter_noop",
                                          empty_label=_("All subjects"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, method="filter_noop",
                                        empty_label=_("All levels"))
    site = django_filters.ModelChoiceFilter(label=_("Site"), queryset=Site.objects.none(), field_name="sites",
                                            empty_label=_("All sites"))
    active = django_filters.ChoiceFilter(label=_("Active"), choices=ACTIVE_CHOICES, method="filter_active",
                                         empty_label=_("Active and inactive"))
    paperwork = django_filters.ChoiceFilter(label=_("Pledge and insurance"), choices=PAPERWORK_CHOICES,
                                            method="filter_paperwork", empty_label=_("Any"))

    class Meta:
        model = Volunteer
        fields = ["q", "kind", "subject", "level", "site", "active", "paperwork"]

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["site"].queryset = Site.objects.visible_to(request.user)

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_noop(self, queryset, name, value):
        return queryset  # subject and level filter together in filter_queryset: the same subject at that level

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")

    def filter_paperwork(self, queryset, name, value):
        return queryset.filter(paperwork_attention(timezone.localdate()))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        subject, level = self.form.cleaned_data.get("subject"), self.form.cleaned_data.get("level")
        if subject or level:
            teaching = TeachingSubject.objects.filter(volunteer=OuterRef("pk"))
            if subject:
                teaching = teaching.filter(subject=subject)
            if level:
                teaching = teaching.filter(level=level)
            queryset = queryset.filter(Exists(teaching))
        return queryset
