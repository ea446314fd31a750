"""django-tables2 Tables of the volunteer screens."""

from __future__ import annotations

import datetime as dt

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from classroom.templatetags.yorisoi import long_date
from classroom.templatetags.yorisoi import person_name as person_name_html
from lib.names import person_name
from volunteers.models import EXPIRY_WARNING_DAYS, Volunteer

TEMPLATE = "django_tables2/yorisoi.html"
NAME_ORDER = ("user__last_name", "user__first_name", "pk")


def teaching_display(volunteer: Volunteer) -> str:
    """"Maths (junior high, high school)、English (junior high)" from the prefetched rows."""
    by_subject: dict[str, list[str]] = {}
    for t in sorted(volunteer.teaching.all(), key=lambda t: (t.subject, t.level)):
        by_subject.setdefault(t.get_subject_display(), []).append(str(t.get_level_display()))
    return "、".join(f"{subject}（{'・'.join(levels)}）" for subject, levels in by_subject.items())


def paperwork_state(day: dt.date | None, today: dt.date, *, expiry: bool) -> str:
    """"missing", "expired", "expiring" (within the warning days) or "" for a date that is fine."""
    if day is None:
        return "missing"
    if expiry and day < today:
        return "expired"
    if expiry and day <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return ""


PAPERWORK_LABELS = {
    "missing": gettext_lazy("Missing"),
    "expired": gettext_lazy("Expired"),
    "expiring": gettext_lazy("Expiring soon"),
}


def paperwork_html(day: dt.date | None, state: str):
    if not state:
        return long_date(day)
    badge = "badge--danger" if state in ("missing", "expired") else "badge--warn"
    return format_html('<span>{} <span class="badge {}">{}</span></span>', long_date(day) if day else "", badge,
                       PAPERWORK_LABELS[state])


class VolunteerTable(tables.Table):
    name = tables.Column(verbose_name=gettext_lazy("Name"), accessor="user__last_name", order_by=NAME_ORDER,
                         attrs={"td": {"class": "volunteer-table__name"}})
    kind = tables.Column(verbose_name=gettext_lazy("Kind"), order_by=("kind", *NAME_ORDER))
    teaching = tables.Column(verbose_name=gettext_lazy("Subjects and levels"), accessor="pk", orderable=False)
    sites = tables.Column(verbose_name=gettext_lazy("Sites"), accessor="pk", orderable=False)
    max_children = tables.Column(verbose_name=gettext_lazy("Most children"), attrs={"td": {"class": "num"}},
                                 order_by=("max_children", *NAME_ORDER))
    pledge_signed_on = tables.Column(verbose_name=gettext_lazy("Pledge signed"), empty_values=(),
                                     order_by=("pledge_signed_on", *NAME_ORDER))
    insurance_expires_on = tables.Column(verbose_name=gettext_lazy("Insurance expires"), empty_values=(),
                                         order_by=("insurance_expires_on", *NAME_ORDER))
    is_active = tables.Column(verbose_name=gettext_lazy("Active"), order_by=("-is_active", *NAME_ORDER))

    class Meta:
        model = Volunteer
        fields = ()
        template_name = TEMPLATE
        order_by = ("name",)
        empty_text = gettext_lazy("No volunteers match these conditions.")
        attrs = {"class": "table volunteer-table", "id": "volunteer-table-grid"}
        row_attrs = {"class": lambda record: "" if record.is_active else "row--muted"}

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def render_name(self, record):
        return format_html('<a href="{}" hx-boost="false">{}</a><span class="kana">{}</span>',
                           reverse("volunteers:volunteer_detail", args=[record.pk]), person_name_html(record),
                           record.user.username)

    def value_name(self, record):
        return person_name(record.user)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_teaching(self, record):
        return teaching_display(record) or "—"

    def render_sites(self, record):
        return "、".join(s.name for s in record.sites.all()) or "—"

    def render_pledge_signed_on(self, record):
        return paperwork_html(record.pledge_signed_on, paperwork_state(record.pledge_signed_on, self.today, expiry=False))

    def render_insurance_expires_on(self, record):
        day = record.insurance_expires_on
        return paperwork_html(day, paperwork_state(day, self.today, expiry=True))

    def render_is_active(self, record):
        if record.is_active:
            return format_html('<span class="badge">{}</span>', _("Active"))
        return format_html('<span class="badge badge--muted">{}</span>', _("Inactive"))
