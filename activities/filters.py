"""django-filter FilterSets for the activity and partner lists (the same filters serve the API)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityKind, ActivityStatus, Partner, PartnerKind
from classroom.filters import SearchFilter

# The model's "Cancelled" is the catalog's word for a closed class day (休室); an activity is called off (中止).
STATUS_CHOICES = [
    (value, _("Called off") if value == ActivityStatus.CANCELLED else label)
    for value, label in ActivityStatus.choices
]
STATUS_LABELS = dict(STATUS_CHOICES)


class ActivityFilter(django_filters.FilterSet):
    """Upcoming or past, kind, partner, status. An unknown value falls back to the default."""

    when = django_filters.ChoiceFilter(
        label=_("When"), choices=[("upcoming", _("Upcoming")), ("past", _("Past"))], method="filter_when",
        empty_label=None, widget=forms.RadioSelect,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ActivityKind.choices, empty_label=_("All kinds"))
    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=Partner.objects.none(),
                                               empty_label=_("All partners"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, empty_label=_("All statuses"))

    class Meta:
        model = Activity
        fields = ["when", "kind", "partner", "status"]

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        data = data.copy() if data is not None else {}
        if data.get("when") not in ("upcoming", "past"):
            data["when"] = "upcoming"
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["partner"].queryset = Partner.objects.visible_to(request.user)

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == "past":
            return queryset.filter(date__lt=today).order_by("-date", "-start_time", "-pk")
        return queryset.filter(date__gte=today).order_by("date", "start_time", "pk")


class PartnerFilter(django_filters.FilterSet):
    """Search partners by organisation, contact person or address; filter by kind."""

    q = SearchFilter(_("Organisation, contact person or address"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PartnerKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Partner
        fields = ["q", "kind"]

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(contact_person__icontains=word) | Q(address__icontains=word)
            )
        return queryset
