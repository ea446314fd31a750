"""What case work adds to each child's timeline: its entries and the summary's facts.

Registered in ``classroom.extensions`` by ``CaseworkConfig.ready``; classroom never imports this module.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import warnings
from casework.models import Contact, FollowUpAction, HomeVisit, InformationShare, RecordStatus
from classroom import extensions
from classroom.models import Student
from classroom.timeline import TimelineEntry, day_at, register_source, short
from lib.names import person_name


@register_source("visit", gettext_lazy("Home visits"), order=40)
def visit_entries(student, window, limit):
    rows = (
        HomeVisit.objects.filter(student=student, **window.datetimes("visited_at")).prefetch_related("staff")
        .order_by("-visited_at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            kind="visit", at=v.visited_at, title=_("Home visit: %(purpose)s") % {"purpose": v.get_purpose_display()},
            detail=_("Concern: %(level)s") % {"level": v.get_concern_level_display()},
            by="、".join(person_name(u) for u in v.staff.all()),
            badge=_("Draft") if v.status == RecordStatus.DRAFT else "", badge_class="badge--muted",
            url=reverse("casework:visit_detail", args=[v.pk]),
        )
        for v in rows
    ]


@register_source("contact", gettext_lazy("Contacts"), order=50)
def contact_entries(student, window, limit):
    rows = (
        Contact.objects.filter(student=student, **window.datetimes("contacted_at")).select_related("staff")
        .order_by("-contacted_at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            kind="contact", at=c.contacted_at, title=c.get_kind_display(),
            detail=" ".join(filter(None, [c.with_whom, short(c.notes)])), by=person_name(c.staff),
            badge=_("Draft") if c.status == RecordStatus.DRAFT else "", badge_class="badge--muted",
            url=reverse("casework:contact_detail", args=[c.pk]),
        )
        for c in rows
    ]


@register_source("share", gettext_lazy("Information shares"), order=60)
def share_entries(student, window, limit):
    rows = (
        InformationShare.objects.filter(student=student, **window.datetimes("shared_at")).select_related("shared_by")
        .order_by("-shared_at", "-pk")[:limit]
    )
    return [
        TimelineEntry(
            kind="share", at=s.shared_at, title=_("Shared with %(name)s") % {"name": s.recipient_name},
            detail=short(s.what), by=person_name(s.shared_by), badge=s.get_basis_display(), badge_class="badge--info",
            url=reverse("casework:share_detail", args=[s.pk]),
        )
        for s in rows
    ]


@register_source("follow_up", gettext_lazy("Follow-ups"), order=70)
def follow_up_entries(student, window, limit):
    """Dated by their due date: an open follow-up due soon stays near the top."""
    today = timezone.localdate()
    rows = (
        FollowUpAction.objects.filter(student=student, **window.dates("due_on")).select_related("owner")
        .order_by("-due_on", "-pk")[:limit]
    )
    entries = []
    for f in rows:
        if f.done_on:
            badge, badge_class = _("Done %(date)s") % {"date": f"{f.done_on.month}/{f.done_on.day}"}, "badge--muted"
        elif f.due_on < today:
            badge, badge_class = _("Overdue"), "badge--danger"
        else:
            badge, badge_class = _("Open"), "badge--warn"
        entries.append(TimelineEntry(
            kind="follow_up", at=day_at(f.due_on), title=_("Follow-up due: %(action)s") % {"action": f.description},
            by=person_name(f.owner), badge=badge, badge_class=badge_class,
            url=reverse("casework:visit_detail", args=[f.visit_id]) if f.visit_id else reverse("casework:contact_detail", args=[f.contact_id]),
        ))
    return entries


def summary_facts(student: Student, today: dt.date) -> dict:
    """The last contact, the next visit due and the open follow-ups, for the timeline's summary. Two queries."""
    (facts,) = warnings.with_facts(Student.objects.filter(pk=student.pk), today)
    open_follow_ups = list(
        FollowUpAction.objects.open().filter(student=student).select_related("owner").order_by("due_on", "pk")
    )
    for f in open_follow_ups:
        f.is_overdue = f.due_on < today
        f.owner_name = person_name(f.owner)
    return {
        "last_contact": warnings.last_contact_on(facts),
        "open_follow_ups": open_follow_ups,
        "next_visit_due": facts.next_visit_due,
        "next_visit_overdue": bool(facts.next_visit_due and facts.next_visit_due < today),
    }


def register() -> None:
    """Called from ``CaseworkConfig.ready``: the sources above registered on import, the summary here."""
    extensions.register(extensions.TIMELINE_SUMMARIES, "casework", summary_facts)
