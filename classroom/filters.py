"""django-filter FilterSets: the same filters serve the list, its export and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from classroom import rules
from classroom.grades import Grade
from classroom.models import EnrollmentReason, Site, Student, StudentStatus


class SearchFilter(django_filters.CharFilter):
    """The search box of every list: a search input that filters as one types (the FilterSet's
    ``filter_search`` method does the matching)."""

    def __init__(self, placeholder, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("method", "filter_search")
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "type": "search", "placeholder": placeholder, "autocomplete": "off", "enterkeyhint": "search",
        }))
        super().__init__(**kwargs)


class StudentFilter(django_filters.FilterSet):
    """Search and filters of the student list. The reason filter exists for staff only."""

    q = SearchFilter(_("Name, reading or nickname"))
    site = django_filters.ModelChoiceFilter(
        label=_("Site"), queryset=Site.objects.none(), empty_label=_("All sites")
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Grade.choices, method="filter_grade", empty_label=_("All grades")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=StudentStatus.choices, empty_label=_("All statuses")
    )
    reason = django_filters.ChoiceFilter(
        label=_("Enrollment reason"), choices=EnrollmentReason.choices, field_name="reasons__reason",
        empty_label=_("All reasons"),
    )

    class Meta:
        model = Student
        fields = ["q", "site", "grade", "status", "reason"]

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = request.user
        self.filters["site"].queryset = Site.objects.visible_to(user)
        if not rules.can_see_sensitive(user):
            # Not hidden: absent, so the form, its HTML and the query string never carry it.
            del self.filters["reason"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_grade(self, queryset, name, value):
        return queryset.in_grade(value)
