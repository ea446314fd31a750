"""django-filter FilterSets: the same filters serve the list, its export and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from classroom import rules
from classroom.grades import Grade
from classroom.models import EnrollmentReason, Site, Student, StudentStatus


class StudentFilter(django_filters.FilterSet):
    """Search and filters of the student list. The reason filter exists for staff only."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={
            "type": "search",
            "placeholder": _("Name, reading or nickname"),
            "autocomplete": "off",
            "enterkeyhint": "search",
        }),
    )
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
