"""The one-tap attendance roster of a class day.

Staff record; coordinators read (statuses and counts, no notes, no buttons). The rows and the
keyboard script are generic (``templates/includes/roster/``, ``static/js/roster.js``): the
view turns students into plain row dicts.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from classroom import extensions, rules
from classroom.exceptions import DomainError
from classroom.forms.roster import UNMARKED, AttendanceForm, RosterForm, RosterSearchForm
from classroom.grades import Grade
from classroom.models import AttendanceStatus, ClassDay, Student
from classroom.services.attendance import (
    RosterCounts,
    StoredAttendance,
    attendance_tap,
    class_day_close,
    roster_mark_all,
    roster_mark_all_undo,
    roster_mark_all_undoable,
    roster_save,
    roster_search,
    roster_students,
    unmarked_expected_students,
    with_stored_attendance,
)
from lib import localtime
from lib.htmx import HtmxHttpRequest, render_fragment

TEMPLATE = "classroom/roster/roster.html"
BULK_FORM_ID = "roster-form"
COUNTS_ID = "roster-counts"
# The key that sets each status from the keyboard (e = left early).
KEYS = {
    AttendanceStatus.PRESENT: "p",
    AttendanceStatus.LATE: "l",
    AttendanceStatus.LEFT_EARLY: "e",
    AttendanceStatus.ABSENT_NOTICE: "a",
    AttendanceStatus.ABSENT: "n",
}
STATUS_LABELS = dict(AttendanceStatus.choices)
# Two lines on a button read faster than one long label.
BUTTON_TEXT = {
    AttendanceStatus.PRESENT: {"short": gettext_lazy("Present"), "sub": ""},
    AttendanceStatus.LATE: {"short": gettext_lazy("Late"), "sub": ""},
    AttendanceStatus.LEFT_EARLY: {"short": gettext_lazy("Left early"), "sub": ""},
    AttendanceStatus.ABSENT_NOTICE: {"short": gettext_lazy("Absent"), "sub": gettext_lazy("with notice")},
    AttendanceStatus.ABSENT: {"short": gettext_lazy("Absent"), "sub": gettext_lazy("no notice")},
}


# --- Reading --------------------------------------------------------------------------------
def _class_day(request: HttpRequest, pk: int) -> ClassDay:
    """The class day, if the user may see it (404 otherwise): one query (``RosterCounts.of`` counts its rows)."""
    return get_object_or_404(ClassDay.objects.visible_to(request.user).select_related("site"), pk=pk)


def _statuses(class_day: ClassDay) -> list[dict]:
    """The status buttons of the day: before the day, only an absence told in advance."""
    allowed = AttendanceStatus.values
    if class_day.date > timezone.localdate():
        allowed = [AttendanceStatus.ABSENT_NOTICE]
    # Translated once here, not once per row's button (every lazy string is looked up when rendered).
    return [{"value": value, "label": str(STATUS_LABELS[value]), "key": KEYS[value],
             **{name: str(text) for name, text in BUTTON_TEXT[value].items()}} for value in allowed]


def _undo(state: StoredAttendance) -> dict:
    """The hidden fields that post ``state`` back: the row's "undo"."""
    fields = [{"name": name, "value": localtime.hm(getattr(state, name))} for name in ("arrived_at", "left_at")
              if getattr(state, name)]
    fields.append({"name": "note", "value": state.note})
    label = STATUS_LABELS.get(state.status, _("Unmarked"))
    return {"status": state.status, "label": label, "fields": fields}


def _row(student: Student, class_day: ClassDay, state: StoredAttendance, *, show_notes: bool,
         undo: dict | None = None, error: str = "", saved: bool = False) -> dict:
    """One generic roster row: who, the stored state, where a tap posts, and the links.

    ``added``: a child on the roster only because a search added them (neither expected nor
    marked); the row carries their id into the next search, which then leaves them out.
    """
    status = state.status
    time_fields = []
    if status == AttendanceStatus.LATE:
        time_fields.append({"name": "arrived_at", "label": _("Arrived at"), "value": state.arrived_at})
    if status == AttendanceStatus.LEFT_EARLY:
        time_fields.append({"name": "left_at", "label": _("Left at"), "value": state.left_at})
    return {
        "dom_id": f"roster-row-{student.pk}",
        "name": student.full_name,
        "kana": student.full_name_kana,
        "nickname": student.nickname,
        "meta": str(Grade(student.grade_on(class_day.date)).label),
        "status": status,
        "status_label": str(STATUS_LABELS.get(status, "")),
        "time_fields": time_fields,
        "note": state.note if show_notes else "",
        "tap_url": reverse("classroom:attendance_set", args=[class_day.pk, student.pk]),
        "field_name": RosterForm.field_name(student.pk),
        "added_id": student.pk if not status and not student.is_expected_on(class_day) else None,
        "links": [{
            "url": reverse("classroom:tutoring_record_edit", args=[class_day.pk, student.pk]),
            "label": _("Tutoring record"),
            "done": student.has_written_record,
        }],
        "undo": undo,
        "error": error,
        "saved": saved,
    }


def _counts(counts: RosterCounts) -> list[dict]:
    by = counts.by_status
    return [
        {"key": "present", "label": _("Present"), "value": by[AttendanceStatus.PRESENT]},
        {"key": "late", "label": _("Late"), "value": by[AttendanceStatus.LATE]},
        {"key": "left_early", "label": _("Left early"), "value": by[AttendanceStatus.LEFT_EARLY]},
        {"key": "absent_notice", "label": _("Absent (notice)"), "value": by[AttendanceStatus.ABSENT_NOTICE]},
        {"key": "absent", "label": _("Absent (no notice)"), "value": by[AttendanceStatus.ABSENT]},
        {"key": "unmarked", "label": _("Unmarked"), "value": counts.unmarked},
    ]


def _common(request: HttpRequest, class_day: ClassDay) -> dict:
    writable = rules.access(request.user, class_day, known_readable=True).change
    return {
        "searchable": _searchable(request, class_day),
        "class_day": class_day,
        "is_future": class_day.date > timezone.localdate(),
        "editable": writable,
        "show_notes": rules.is_staff(request.user),
        "statuses": _statuses(class_day),
        "bulk_form_id": BULK_FORM_ID,
        "counts_id": COUNTS_ID,
        "oob": False,
    }


def _searchable(request: HttpRequest, class_day: ClassDay) -> bool:
    """Whether the user may add a child to the day's roster by a search: staff, on a day open to writes."""
    return (rules.access(request.user, class_day, known_readable=True).change
            and not rules.class_day_closed(class_day))


def _ids(values: list[str]) -> list[int]:
    """The ids among ``values`` (the ``add`` of a query string or a form), each once, at most 100; anything else is
    ignored."""
    ids = (int(value) for value in values if value.isascii() and value.isdigit() and len(value) <= 18)
    return list(dict.fromkeys(ids))[:100]


def _search_context(request: HttpRequest, class_day: ClassDay, added: list[int]) -> dict:
    """The search box and, once a name was typed, the children found (at most ``ROSTER_SEARCH_LIMIT``)."""
    form = RosterSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    found, more = roster_search(class_day=class_day, text=query, by=request.user, shown=added) if query else ([], False)
    roster_url = reverse("classroom:roster", args=[class_day.pk])
    return {
        "query": query,
        "error": "" if form.is_valid() else form.errors["q"][0],
        "added": added,
        "more": more,
        "found": [{
            "pk": student.pk,
            "name": student.full_name,
            "kana": student.full_name_kana,
            "meta": Grade(student.grade_on(class_day.date)).label,
            # Without JavaScript: the roster again, with this child's row among the added ones.
            "url": roster_url + "?" + urlencode([("add", pk) for pk in [*added, student.pk]]) + f"#roster-row-{student.pk}",
            "row_url": reverse("classroom:roster_add", args=[class_day.pk, student.pk]),
        } for student in found],
    }


def _page_context(request: HttpRequest, class_day: ClassDay, *, errors: dict[int, str] | None = None,
                  marked_at: str | None = None, added: list[int] | None = None) -> dict:
    """Everything the roster page shows: the day's class (its expected and its marked children) and the
    children a search added, in one query after the class day's (two after a "mark all")."""
    errors = errors or {}
    context = _common(request, class_day)
    added = (added or []) if context["searchable"] else []
    rows, added_rows = [], []
    students = list(with_stored_attendance(roster_students(class_day, also=added), class_day))
    for student in students:
        state = StoredAttendance.stored(student)
        row = _row(student, class_day, state, show_notes=context["show_notes"], error=errors.get(student.pk, ""))
        (added_rows if row["added_id"] else rows).append(row)
    today = timezone.localdate()
    counts = RosterCounts.of_roster(students, class_day)
    context.update({
        "expected_rows": rows,
        "added_rows": added_rows,
        "search": _search_context(request, class_day, [row["added_id"] for row in added_rows])
        if context["searchable"] else None,
        "counts": _counts(counts),
        "unmarked": counts.unmarked,
        "can_close": context["editable"] and class_day.date <= today,
        "notice": "",
        "roster_sections": [section(request, class_day) for section in extensions.entries(extensions.ROSTER_SECTIONS)],
        "mark_all_undo": _mark_all_undo(request, class_day,
                                        request.GET.get("marked_at", "") if marked_at is None else marked_at),
    })
    return context


# --- Mark all present, and its undo ------------------------------------------------------------
def _parse_stamp(value: str) -> dt.datetime | None:
    """The ``marked_at`` an undo form posts back, or None when it is not an aware date and time."""
    try:
        stamp = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return stamp if timezone.is_aware(stamp) else None


def _mark_all_undo(request: HttpRequest, class_day: ClassDay, value: str) -> dict | None:
    """The undo offered after "mark all present" (``?marked_at=`` after the no-JS redirect), while it can act."""
    stamp = _parse_stamp(value) if value and rules.is_staff(request.user) else None
    if stamp is None or class_day.is_cancelled:
        return None
    count = roster_mark_all_undoable(class_day=class_day, by=request.user, marked_at=stamp)
    return {"marked_at": stamp.isoformat(), "count": count} if count else None


# --- Views ----------------------------------------------------------------------------------
@rules.role_required(rules.STAFF, rules.COORDINATOR)
def roster(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the day's class (``?q=`` searches the site's other children, ``?add=`` shows their rows).
    POST (staff, the page without JavaScript): the statuses of the rows whose buttons posted."""
    class_day = _class_day(request, pk)
    if request.method == "POST":
        if not rules.access(request.user, class_day, known_readable=True).change:
            raise Http404
        return _save_all(request, class_day)
    context = _page_context(request, class_day, added=_ids(request.GET.getlist("add")))
    return render_fragment(request, TEMPLATE, context, partial="body")


@rules.role_required(rules.STAFF)
def search(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The children of the site a name finds, to add to the day's roster (the search box's fragment)."""
    class_day = _class_day(request, pk)
    if not _searchable(request, class_day):
        raise Http404
    search = _search_context(request, class_day, _ids(request.GET.getlist("add")))
    if not request.htmx:  # the roster page shows the same search
        query = [("q", search["query"])] + [("add", pk) for pk in search["added"]]
        return redirect(reverse("classroom:roster", args=[class_day.pk]) + "?" + urlencode(query))
    context = {"class_day": class_day, "search": search}
    return render(request, TEMPLATE + "#found", context)


@rules.role_required(rules.STAFF)
def add(request: HtmxHttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """The row of a child a search found, ready to tap (htmx appends it to the roster); 404 for a child
    who is not an active child of the day's site."""
    class_day = _class_day(request, pk)
    if not _searchable(request, class_day):
        raise Http404
    if not request.htmx:
        return redirect(reverse("classroom:roster", args=[class_day.pk]) + f"?add={student_pk}#roster-row-{student_pk}")
    student = with_stored_attendance(roster_students(class_day, also=[student_pk]), class_day).filter(
        pk=student_pk).first()
    if student is None:
        raise Http404
    context = _common(request, class_day)
    context["row"] = _row(student, class_day, StoredAttendance.stored(student), show_notes=context["show_notes"])
    context["found_id"] = student.pk
    return render(request, TEMPLATE + "#added", context)


def _posted_ids(request: HttpRequest) -> list[int]:
    """The children whose row the form posted (``status-<id>``)."""
    return _ids([name.removeprefix("status-") for name in request.POST if name.startswith("status-")])


def _save_all(request: HttpRequest, class_day: ClassDay) -> HttpResponse:
    posted = _posted_ids(request)
    students = list(with_stored_attendance(roster_students(class_day, also=posted), class_day))
    form = RosterForm(request.POST, students=students, statuses=AttendanceStatus.choices)
    form.is_valid()
    targets = {student.pk: form.status_of(student.pk) for student in students}
    changed, errors = roster_save(class_day=class_day, students=students, targets=targets, by=request.user)
    for name, field_errors in form.errors.items():
        pk = int(name.removeprefix("status-"))
        errors.setdefault(pk, str(field_errors[0]))
    if errors:
        class_day = _class_day(request, class_day.pk)
        return render(request, TEMPLATE, _page_context(request, class_day, errors=errors, added=posted))
    messages.success(request, ngettext("Saved %(count)d change.", "Saved %(count)d changes.", changed)
                     % {"count": changed})
    # One tap without JavaScript posts one row: back to that row.
    anchor = f"#roster-row-{posted[0]}" if len(posted) == 1 else ""
    return redirect(reverse("classroom:roster", args=[class_day.pk]) + anchor)


def _undo_after(form: AttendanceForm, before: StoredAttendance, after: StoredAttendance) -> dict | None:
    """The way back from this write; a write that changed nothing (a retry) keeps the row's offered undo."""
    if after != before:
        return _undo(before)
    if form.is_valid() and form.has_undo:
        data = form.cleaned_data
        return _undo(StoredAttendance(data["undo_status"] or UNMARKED, data["undo_arrived_at"], data["undo_left_at"],
                                      data["undo_note"] or ""))
    return None


@rules.role_required(rules.STAFF)
@require_POST
def attendance_set_view(request: HtmxHttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """One tap: set (or clear) one child's status. Answers the row and the counts (out of band)."""
    class_day = _class_day(request, pk)
    form = AttendanceForm(request.POST, row=student_pk)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    try:
        tap = attendance_tap(
            class_day=class_day, student_id=student_pk, by=request.user, status=data.get("status", UNMARKED),
            arrived_at=data.get("arrived_at"), left_at=data.get("left_at"),
            note=data["note"] if valid and form.has_note else None, refused="" if valid else form.first_error(),
        )
    except Student.DoesNotExist:
        raise Http404 from None
    if not request.htmx:
        if tap.error:
            context = _page_context(request, _class_day(request, pk), errors={student_pk: tap.error},
                                    added=[student_pk])
            return render(request, TEMPLATE, context)
        return redirect(reverse("classroom:roster", args=[class_day.pk]) + f"#roster-row-{student_pk}")

    context = _common(request, class_day)
    context.update({
        "row": _row(tap.student, class_day, tap.after, show_notes=True, undo=_undo_after(form, tap.before, tap.after),
                    error=tap.error, saved=not tap.error and tap.changed),
        "counts": _counts(tap.counts),
        "unmarked": tap.counts.unmarked,
        "oob": True,
    })
    return render(request, TEMPLATE + "#tap", context)


@rules.role_required(rules.STAFF)
@require_POST
def mark_all_present(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Every unmarked expected child becomes present, in one action that one undo takes back.

    The answer names the children whose early warning this cleared: marking all is quick, so
    it must not hide that a child flagged for absences was just recorded as present.
    """
    class_day = _class_day(request, pk)
    if not rules.access(request.user, class_day, known_readable=True).change:
        raise Http404
    level, notice, caution, marked_at = messages.SUCCESS, "", "", timezone.now()
    try:
        result = roster_mark_all(class_day=class_day, by=request.user, at=marked_at)
    except DomainError as error:
        level, notice = messages.ERROR, str(error)
    else:
        marked, cleared = result.marked, result.cleared
        notice = ngettext("Marked %(count)d child present.", "Marked %(count)d children present.",
                          len(marked)) % {"count": len(marked)}
        if cleared:
            caution = _("%(count)s of them had an early warning that this cleared: %(names)s. Please check "
                        "that they really came.") % {"count": len(cleared),
                                                    "names": "、".join(s.full_name for s in cleared)}
    stamp = marked_at.isoformat() if level != messages.ERROR else ""
    added = _ids(request.POST.getlist("add"))
    if request.htmx:
        context = _page_context(request, _class_day(request, pk), marked_at=stamp, added=added)
        context["notice"] = f"{notice} {caution}".strip()
        return render(request, TEMPLATE + "#body", context)
    messages.add_message(request, level, notice)
    if caution:
        messages.warning(request, caution)
    query = ([("marked_at", stamp)] if stamp else []) + [("add", child) for child in added]
    return redirect(reverse("classroom:roster", args=[class_day.pk]) + (f"?{urlencode(query)}" if query else ""))


@rules.role_required(rules.STAFF)
@require_POST
def mark_all_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One undo for one "mark all present": the children it marked are unmarked again."""
    class_day = _class_day(request, pk)
    if not rules.access(request.user, class_day, known_readable=True).change:
        raise Http404
    level, marked_at = messages.SUCCESS, _parse_stamp(request.POST.get("marked_at", ""))
    if marked_at is None:
        level, notice = messages.ERROR, _("This undo is no longer available: nothing was changed.")
    else:
        try:
            undone = roster_mark_all_undo(class_day=class_day, by=request.user, marked_at=marked_at)
        except DomainError as error:
            level, notice = messages.ERROR, str(error)
        else:
            notice = (_("Undone: %(count)s children are unmarked again.") % {"count": undone} if undone
                      else _("Nothing to undo: those children were marked again since."))
    added = _ids(request.POST.getlist("add"))
    if request.htmx:
        context = _page_context(request, _class_day(request, pk), marked_at="", added=added)
        context["notice"] = notice
        return render(request, TEMPLATE + "#body", context)
    messages.add_message(request, level, notice)
    query = urlencode([("add", child) for child in added])
    return redirect(reverse("classroom:roster", args=[class_day.pk]) + (f"?{query}" if query else ""))


@rules.role_required(rules.STAFF)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: who will become absent without notice. POST: close the day."""
    class_day = _class_day(request, pk)
    if not rules.access(request.user, class_day, known_readable=True).change:
        raise Http404
    if request.method == "POST":
        try:
            marked = class_day_close(class_day=class_day, by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, ngettext(
                "Class day closed: %(count)d child marked absent without notice.",
                "Class day closed: %(count)d children marked absent without notice.",
                len(marked),
            ) % {"count": len(marked)})
        return redirect("classroom:roster", pk=class_day.pk)
    to_mark = list(unmarked_expected_students(class_day).in_kana_order())
    return render(request, "classroom/roster/close.html", {
        "class_day": class_day,
        "to_mark": to_mark,
        "is_future": class_day.date > timezone.localdate(),
    })
