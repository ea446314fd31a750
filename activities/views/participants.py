"""An activity's participants: the lists with capacity and waitlist, one-tap answers, consent, inviting.

Staff and coordinators plan activities; everyone else gets 404 here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from activities.forms.participants import (
    AnswerForm,
    ConsentForm,
    InviteFilterForm,
    InviteForm,
    NamedInviteForm,
    ParticipantEditForm,
)
from activities.models import Activity, Answer, Participant, ParticipantRole
from activities.services.participants import (
    CapacityState,
    display_kana,
    emergency_phone,
    participant_answer,
    participant_attendance_set,
    participant_consent_record,
    participant_details_save,
    participant_invite_named,
    participant_remove,
    participants_invite,
    participants_invite_guardians,
    participants_of,
)
from classroom import rules
from classroom.access_log import CONTACTS as READ_CONTACTS
from classroom.access_log import log_access, log_contacts_read
from classroom.exceptions import DomainError
from classroom.forms.roster import UNMARKED, AttendanceForm, RosterForm
from classroom.grades import Grade
from classroom.models import AttendanceStatus, Site, Student
from classroom.services.edit_guards import AlreadySubmitted, EditConflict, create_once
from classroom.views.edit_guards import earlier_submission, submitted_response
from classroom.views.roster import BUTTON_TEXT, KEYS
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.localtime import long_date

TEMPLATE = "activities/participants/participants.html"
INVITE_TEMPLATE = "activities/participants/invite.html"
MANAGERS = (rules.STAFF, rules.COORDINATOR)
ROLE_ORDER = {role: i for i, role in enumerate(ParticipantRole.values)}


def activity_for(request: HttpRequest, pk: int) -> Activity:
    """The activity if the user may plan it (404 otherwise)."""
    return get_object_or_404(Activity.objects.visible_to(request.user).select_related("site", "lead", "partner"), pk=pk)


def led_activity_for(request: HttpRequest, pk: int) -> Activity:
    """For the read-only pages: the activity if the user plans it, or leads it (``rules.led_activity``)."""
    return rules.led_activity(request.user, Activity.objects.select_related("site", "lead", "partner"), pk)


def _participant(activity: Activity, participant_pk: int) -> Participant:
    participant = get_object_or_404(participants_of(activity), pk=participant_pk)
    participant.activity = activity
    return participant


def decorate(participant: Participant, activity: Activity) -> Participant:
    """What every list shows of a participant, computed from the prefetched rows."""
    participant.kana = display_kana(participant)
    participant.emergency = emergency_phone(participant)
    participant.consent_needed = activity.consent_required and participant.role == ParticipantRole.STUDENT
    participant.nickname = participant.student.nickname if participant.student_id else ""
    return participant


def _page_context(request: HttpRequest, activity: Activity, *, errors: dict[int, str] | None = None) -> dict:
    errors = errors or {}
    groups: dict[str, list[Participant]] = {a: [] for a in Answer.values}
    show_private = rules.can_see_contacts(request.user, activity)
    shown = list(participants_of(activity))
    if show_private:  # the lists carry guardians' phones and allergy notes: every read is logged
        log_contacts_read(request, [p.student_id for p in shown])
    for participant in shown:
        decorate(participant, activity)
        participant.error = errors.get(participant.pk, "")
        groups[participant.answer].append(participant)
    groups[Answer.GOING].sort(key=lambda p: (ROLE_ORDER[p.role], p.kana))
    going_by_role = [
        {"role": label, "count": sum(1 for p in groups[Answer.GOING] if p.role == role)}
        for role, label in ParticipantRole.choices
    ]
    return {
        "activity": activity,
        "capacity": CapacityState(going=len(groups[Answer.GOING]), waitlisted=len(groups[Answer.WAITLISTED]),
                                  capacity=activity.capacity),
        "going_by_role": [g for g in going_by_role if g["count"]],
        "sections": [
            {"key": Answer.GOING, "title": _("Going"), "rows": groups[Answer.GOING]},
            {"key": Answer.WAITLISTED, "title": _("Waitlist (in order)"), "rows": groups[Answer.WAITLISTED]},
            {"key": Answer.INVITED, "title": _("Invited, no answer yet"), "rows": groups[Answer.INVITED]},
            {"key": Answer.DECLINED, "title": _("Declined"), "rows": groups[Answer.DECLINED]},
        ],
        "show_private": show_private,
        "editable": rules.access(request.user, activity, known_readable=True).change,
        "consent_form": ConsentForm(),
    }


def _render_page(request: HtmxHttpRequest, activity: Activity, *, errors: dict[int, str] | None = None,
                 announce: str = "") -> HttpResponse:
    """The page, or its lists (htmx); ``announce`` says what was saved, read once by the live region (swap-focus.js)."""
    context = _page_context(request, activity, errors=errors)
    context["announce"] = announce if request.htmx else ""
    return render_fragment(request, TEMPLATE, context, partial="body")


def _back(activity: Activity, participant: Participant | None = None) -> HttpResponse:
    url = reverse("activities:activity_participants", args=[activity.pk])
    return redirect(url + (f"#participant-{participant.pk}" if participant else ""))


@login_required
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    """The lists: going by role, the waitlist in order, invited, declined; the capacity bar.

    A volunteer who leads the activity reads it too (with phones and allergies), without changing it.
    """
    return _render_page(request, led_activity_for(request, pk))


@rules.role_required(*MANAGERS)
@require_POST
def answer(request: HtmxHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """One tap: the participant's answer (going, declined, invited). Answers the lists (htmx) or redirects."""
    activity = activity_for(request, pk)
    participant = _participant(activity, participant_pk)
    form = AnswerForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose going, declined or invited.")
    else:
        try:
            saved = participant_answer(participant=participant, answer=form.cleaned_data["answer"], by=request.user,
                                       override_reason=form.cleaned_data["override_reason"])
        except DomainError as exc:
            error = str(exc)
        else:
            if saved.answer == Answer.WAITLISTED and not request.htmx:
                messages.info(request, _("The activity is full: %(name)s is on the waitlist.")
                              % {"name": saved.display_name})
    if error:
        return render_fragment(request, TEMPLATE, _page_context(request, activity, errors={participant.pk: error}),
                               partial="body")
    if request.htmx:
        return _render_page(request, activity, announce=_("Saved: %(name)s %(answer)s")
                            % {"name": saved.display_name, "answer": saved.get_answer_display()})
    return _back(activity, participant)


@rules.role_required(*MANAGERS)
@require_POST
def remove(request: HtmxHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """Take a participant added by mistake off the list (the first waitlisted person takes a freed place)."""
    activity = activity_for(request, pk)
    participant = _participant(activity, participant_pk)
    try:
        promoted = participant_remove(participant=participant, by=request.user)
    except DomainError as exc:
        return render_fragment(request, TEMPLATE, _page_context(request, activity, errors={participant.pk: str(exc)}),
                               partial="body")
    if not request.htmx:
        messages.success(request, _("%(name)s was removed from the list.") % {"name": participant.display_name})
        if promoted is not None:
            messages.info(request, _("%(name)s moved up from the waitlist.") % {"name": promoted.display_name})
        return _back(activity)
    announce = _("Removed: %(name)s") % {"name": participant.display_name}
    if promoted is not None:
        announce += " " + _("%(name)s moved up from the waitlist.") % {"name": promoted.display_name}
    return _render_page(request, activity, announce=announce)


@rules.role_required(*MANAGERS)
@require_POST
def consent(request: HtmxHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """Record the day the consent slip came back (empty date: not received)."""
    activity = activity_for(request, pk)
    participant = _participant(activity, participant_pk)
    form = ConsentForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Enter a valid date.")
    else:
        try:
            participant_consent_record(participant=participant, received_on=form.cleaned_data["received_on"],
                                       by=request.user)
        except DomainError as exc:
            error = str(exc)
    if error:
        return _render_page(request, activity, errors={participant.pk: error})
    if request.htmx:
        received_on = form.cleaned_data["received_on"]
        return _render_page(request, activity, announce=(
            _("Saved: consent of %(name)s received on %(date)s")
            % {"name": participant.display_name, "date": long_date(received_on)} if received_on
            else _("Saved: consent of %(name)s not received") % {"name": participant.display_name}))
    return _back(activity, participant)


@rules.role_required(*MANAGERS)
def edit(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """A participant's emergency phone, allergy notes and note."""
    activity = activity_for(request, pk)
    if not rules.can_see_contacts(request.user, activity):
        raise Http404  # phones and allergy notes: staff and the lead only
    participant = _participant(activity, participant_pk)
    log_access(request, participant.student_id, READ_CONTACTS)
    form = ParticipantEditForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        try:
            participant_details_save(participant=form.save(commit=False), version=form.expected_version)
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, _("Saved."))
            return _back(activity, participant)
    return render(request, "activities/participants/edit.html", {
        "activity": activity, "participant": decorate(participant, activity), "form": form,
        "discard_url": request.path,
    })


# --- Inviting -------------------------------------------------------------------------------
def _invite_students(request: HttpRequest, activity: Activity, filters: InviteFilterForm):
    students = Student.objects.visible_to(request.user).active()
    if filters.is_valid():
        data = filters.cleaned_data
        if data["grade"]:
            students = students.in_grade(data["grade"], on=activity.date)
        if data["site"]:
            students = students.filter(site=data["site"])
        if data["q"]:
            students = students.search(data["q"])
    return students.select_related("household").in_kana_order()


def _invite_context(request: HttpRequest, activity: Activity, *, form: InviteForm | None = None,
                    named_form: NamedInviteForm | None = None) -> dict:
    sites = Site.objects.visible_to(request.user)
    # The first visit lists the activity's site; after that, what the filter form sent.
    data = request.GET if request.GET else {"site": activity.site_id or ""}
    filters = InviteFilterForm(data, sites=sites)
    students = list(_invite_students(request, activity, filters))
    invited = set(activity.participants.filter(student__isnull=False).values_list("student_id", flat=True))
    for student in students:
        student.already = student.pk in invited
        student.grade_label = student.get_grade_display()
    return {
        "activity": activity,
        "filters": filters,
        "students": students,
        "form": form or InviteForm(students=Student.objects.none()),
        "named_form": named_form or NamedInviteForm(),
    }


@rules.role_required(*MANAGERS)
def invite(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: students to pick (by grade, site or name). POST: invite the ticked ones, with guardians if asked."""
    activity = activity_for(request, pk)
    if request.method == "POST":
        form = InviteForm(request.POST, students=Student.objects.visible_to(request.user).active())
        if form.is_valid():
            try:
                created = participants_invite(activity=activity, students=form.cleaned_data["students"],
                                              with_guardians=form.cleaned_data["with_guardians"],
                                              with_siblings=form.cleaned_data["with_siblings"], by=request.user)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, ngettext("Invited %(count)d person.", "Invited %(count)d people.",
                                                   len(created)) % {"count": len(created)})
                return redirect("activities:activity_participants", pk=activity.pk)
        return render(request, INVITE_TEMPLATE, _invite_context(request, activity, form=form))
    return render_fragment(request, INVITE_TEMPLATE, _invite_context(request, activity), partial="students")


@rules.role_required(*MANAGERS)
@require_POST
def invite_named(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite someone not on the roster, by name, with an emergency phone."""
    activity = activity_for(request, pk)
    form = NamedInviteForm(request.POST)
    if earlier := earlier_submission(request, form, url_name="activities:activity_participants", fallback="activities:activity_list",
                                     pk_of=lambda participant: participant.activity_id):
        return earlier
    if form.is_valid():
        data = form.cleaned_data
        try:
            create_once(user=request.user, token=form.create_token, create=lambda: participant_invite_named(
                activity=activity, role=data["role"], name=data["name"], name_kana=data["name_kana"],
                phone=data["phone"], allergy_notes=data["allergy_notes"], note=data["note"], by=request.user))
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="activities:activity_participants",
                                      fallback="activities:activity_list", pk_of=lambda participant: participant.activity_id)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Invited %(name)s.") % {"name": data["name"]})
            return redirect("activities:activity_participants", pk=activity.pk)
    return render(request, INVITE_TEMPLATE, _invite_context(request, activity, named_form=form))


@rules.role_required(*MANAGERS)
@require_POST
def invite_guardians(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: the guardians of every invited student are invited too."""
    activity = activity_for(request, pk)
    try:
        created = participants_invite_guardians(activity=activity, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ngettext("Invited %(count)d guardian.", "Invited %(count)d guardians.",
                                           len(created)) % {"count": len(created)})
    return redirect("activities:activity_participants", pk=activity.pk)


# --- Day of: the same one-tap rows as the classroom roster --------------------------------------
DAY_OF_TEMPLATE = "activities/participants/day_of.html"
DAY_OF_FORM_ID = "day-of-form"
DAY_OF_COUNTS_ID = "day-of-counts"
STATUS_LABELS = dict(AttendanceStatus.choices)


def _statuses() -> list[dict]:
    return [{"value": value, "label": STATUS_LABELS[value], "key": KEYS[value], **BUTTON_TEXT[value]}
            for value in AttendanceStatus.values]


def _day_row(participant: Participant, *, undo: dict | None = None, error: str = "", saved: bool = False) -> dict:
    status = participant.attendance or UNMARKED
    meta = participant.get_role_display()
    if participant.student_id:
        meta = f"{meta}・{Grade(participant.student.grade_on(participant.activity.date)).label}"
    return {
        "dom_id": f"roster-row-{participant.pk}",
        "name": participant.display_name,
        "kana": display_kana(participant),
        "nickname": participant.student.nickname if participant.student_id else "",
        "meta": meta,
        "status": status,
        "status_label": STATUS_LABELS.get(status, ""),
        "time_fields": [],
        "note": "",
        "tap_url": reverse("activities:activity_attendance_set", args=[participant.activity_id, participant.pk]),
        "field_name": RosterForm.field_name(participant.pk),
        "added_id": None,
        "links": [],
        "undo": undo,
        "error": error,
        "saved": saved,
    }


def _undo(status: str) -> dict:
    return {"status": status, "label": STATUS_LABELS.get(status, _("Unmarked")), "fields": []}


def _day_counts(activity: Activity) -> list[dict]:
    by = dict(activity.participants.filter(answer=Answer.GOING).values_list("attendance").annotate(n=Count("pk")))
    return [
        {"key": "present", "label": _("Present"), "value": by.get(AttendanceStatus.PRESENT, 0)},
        {"key": "late", "label": _("Late"), "value": by.get(AttendanceStatus.LATE, 0)},
        {"key": "left_early", "label": _("Left early"), "value": by.get(AttendanceStatus.LEFT_EARLY, 0)},
        {"key": "absent_notice", "label": _("Absent (notice)"), "value": by.get(AttendanceStatus.ABSENT_NOTICE, 0)},
        {"key": "absent", "label": _("Absent (no notice)"), "value": by.get(AttendanceStatus.ABSENT, 0)},
        {"key": "unmarked", "label": _("Unmarked"), "value": by.get(UNMARKED, 0)},
    ]


def _day_common(activity: Activity) -> dict:
    return {
        "activity": activity,
        "editable": not activity.is_cancelled,
        "show_notes": False,
        "statuses": _statuses(),
        "bulk_form_id": DAY_OF_FORM_ID,
        "counts_id": DAY_OF_COUNTS_ID,
        "counts": _day_counts(activity),
        "oob": False,
    }


def _going(activity: Activity) -> list[Participant]:
    going = list(participants_of(activity).filter(answer=Answer.GOING))
    for participant in going:
        participant.activity = activity
        participant.full_name = participant.display_name  # the label RosterForm gives each radio group
    return sorted(going, key=lambda p: (ROLE_ORDER[p.role], display_kana(p)))


def _day_context(activity: Activity, *, errors: dict[int, str] | None = None) -> dict:
    errors = errors or {}
    context = _day_common(activity)
    context["rows"] = [_day_row(p, error=errors.get(p.pk, "")) for p in _going(activity)]
    context["is_future"] = activity.date > timezone.localdate()
    return context


@rules.role_required(*MANAGERS)
def day_of(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: who is going, one row each with one-tap buttons. POST (no JavaScript): every row at once."""
    activity = activity_for(request, pk)
    if request.method == "POST":
        return _day_save_all(request, activity)
    return render_fragment(request, DAY_OF_TEMPLATE, _day_context(activity), partial="body")


def _day_save_all(request: HttpRequest, activity: Activity) -> HttpResponse:
    going = _going(activity)
    form = RosterForm(request.POST, students=going, statuses=AttendanceStatus.choices)
    form.is_valid()
    errors: dict[int, str] = {}
    for participant in going:
        target = form.status_of(participant.pk)
        if target is None or target == (participant.attendance or UNMARKED):
            continue
        try:
            participant_attendance_set(participant=participant, status=target, by=request.user)
        except DomainError as exc:
            errors[participant.pk] = str(exc)
    for name, field_errors in form.errors.items():
        errors.setdefault(int(name.removeprefix("status-")), str(field_errors[0]))
    if errors:
        return render(request, DAY_OF_TEMPLATE, _day_context(activity, errors=errors))
    messages.success(request, _("Attendance saved."))
    return redirect("activities:activity_day_of", pk=activity.pk)


@rules.role_required(*MANAGERS)
@require_POST
def attendance_set_view(request: HtmxHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """One tap: the participant's target status. Answers the row and the counts (out of band)."""
    activity = activity_for(request, pk)
    participant = _participant(activity, participant_pk)
    before = participant.attendance or UNMARKED
    form = AttendanceForm(request.POST, row=participant_pk)
    error = ""
    if not form.is_valid():
        error = form.first_error()
    else:
        try:
            participant_attendance_set(participant=participant, status=form.cleaned_data["status"], by=request.user)
        except DomainError as exc:
            error = str(exc)
    if not request.htmx:
        if error:
            return render(request, DAY_OF_TEMPLATE, _day_context(activity, errors={participant.pk: error}))
        return redirect(reverse("activities:activity_day_of", args=[activity.pk]) + f"#roster-row-{participant.pk}")
    after = participant.attendance or UNMARKED
    if after != before:
        undo = _undo(before)
    elif form.is_valid() and form.has_undo:  # a retry keeps the way back the row offered
        undo = _undo(form.cleaned_data["undo_status"])
    else:
        undo = None
    context = _day_common(activity)
    context.update({"row": _day_row(participant, undo=undo, error=error, saved=not error and after != before),
                    "oob": True})
    return render(request, DAY_OF_TEMPLATE + "#tap", context)
