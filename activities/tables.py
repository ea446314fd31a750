"""django-tables2 Tables for activities and partners."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities.filters import STATUS_LABELS
from activities.models import Activity, ActivityStatus, Partner
from classroom.templatetags.yorisoi import hm, lang_ja_attr, short_date

TEMPLATE = "django_tables2/yorisoi.html"
STATUS_BADGES = {
    ActivityStatus.PLANNING: "badge--muted",
    ActivityStatus.OPEN: "badge--info",
    ActivityStatus.CLOSED: "badge--warn",
    ActivityStatus.DONE: "badge--muted",
    ActivityStatus.CANCELLED: "badge--danger",
}


def status_badge(activity: Activity):
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGES.get(activity.status, ""),
                       STATUS_LABELS.get(activity.status, activity.status))


class ActivityTable(tables.Table):
    date = tables.Column(verbose_name=_("Date"), order_by=("date", "start_time", "pk"))
    time = tables.Column(verbose_name=_("Time"), accessor="start_time", orderable=False)
    title = tables.Column(verbose_name=_("Title"), order_by=("title", "date"))
    partner = tables.Column(verbose_name=_("Partner"), accessor="partner__name", default="—",
                            order_by=("partner__name", "date"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "date"))
    going = tables.Column(verbose_name=_("Going / capacity"), accessor="going_count",
                          order_by=("going_count", "date"))
    waitlist = tables.Column(verbose_name=_("Waitlist"), accessor="waitlist_count",
                             order_by=("waitlist_count", "date"))

    class Meta:
        model = Activity
        fields = ()
        template_name = TEMPLATE
        empty_text = _("No activities match these conditions.")
        attrs = {"class": "table activity-table", "id": "activity-table-grid"}
        row_attrs = {"class": lambda record: "row--muted" if record.status == ActivityStatus.CANCELLED else ""}

    def render_date(self, record):
        return short_date(record.date)

    def render_time(self, record):
        return f"{hm(record.start_time)}–{hm(record.end_time)}"

    def render_title(self, record):
        return format_html('<a href="{}" hx-boost="false"{}>{}</a>', reverse("activities:activity_detail", args=[record.pk]),
                           lang_ja_attr(), record.title)

    def render_status(self, record):
        return status_badge(record)

    def render_going(self, record):
        return f"{record.going_count} / {record.capacity}"


class PartnerTable(tables.Table):
    name = tables.Column(verbose_name=_("Organisation"))
    kind = tables.Column(verbose_name=_("Kind"))
    contact_person = tables.Column(verbose_name=_("Contact person"))
    phone = tables.Column(verbose_name=_("Phone"), orderable=False)
    activity_count = tables.Column(verbose_name=_("Activities"))

    class Meta:
        model = Partner
        fields = ()
        template_name = TEMPLATE
        empty_text = _("No partners match these conditions.")
        attrs = {"class": "table partner-table"}

    def render_name(self, record):
        return format_html('<a href="{}" hx-boost="false">{}</a>', reverse("activities:partner_detail", args=[record.pk]),
                           record.name)
