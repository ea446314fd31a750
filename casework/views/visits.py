"""Home visits, other contacts, follow-up actions and information shares: staff only.

Every read and write here is written to the access log. Anyone but staff of the child's site gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.forms.visits import (
    ContactFollowUpFormSet,
    ContactForm,
    FollowUpDoneForm,
    FollowUpFilter,
    ShareForm,
    VisitFilter,
    VisitFollowUpFormSet,
    VisitForm,
)
from casework.models import Contact, FollowUpAction, HomeVisit, InformationShare, RecordStatus, VisitPurpose
from casework.services import visits as services
from classroom import rules
from classroom.access_log import CREATE, UPDATE, VIEW, log_access, log_list_access
from classroom.exceptions import DomainError
from classroom.forms.edit_guards import TOKEN_FIELD, VERSION_FIELD, conflict_rows, formset_conflict_row
from classroom.models import Student
from classroom.services.edit_guards import AlreadySubmitted, EditConflict, create_once, submission_target
from classroom.views.edit_guards import earlier_submission, submitted_response, used_form_tokens
from classroom.views.students import student_from_query
from lib import localtime
from lib.hostile import safe_next
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name

PER_PAGE = 25
staff_only = rules.role_required(rules.STAFF)


def _visits(user):
    return HomeVisit.objects.visible_to(user).select_related("student", "student__site")


def _names(users) -> str:
    return "、".join(person_name(u) for u in users)


# --- Visit list ----------------------------------------------------------------------------------
@staff_only
def visit_list(request: HtmxHttpRequest):
    queryset = _visits(request.user).prefetch_related("staff")
    student = student_from_query(request, "student_id")
    if student is not None:
        queryset = queryset.filter(student=student)
    filterset = VisitFilter(request.GET, queryset=queryset)
    rows = filterset.qs.order_by("-status", "-visited_at", "-pk")  # "draft" sorts after "done": drafts first
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for visit in page:
        visit.staff_names = _names(visit.staff.all())
    log_list_access(request, [v.student_id for v in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render_fragment(request, "casework/visits/list.html", {
        "filter": filterset, "page": page, "student": student, "query": query.urlencode(), "today": timezone.localdate(),
    }, partial="results", target="visit-results")


# --- Visit create, edit, page ---------------------------------------------------------------------------
@staff_only
@require_http_methods(["GET", "POST"])
def visit_create(request):
    student = student_from_query(request)
    if student is not None and request.method == "GET":
        draft = services.visit_draft_for(student=student, by=request.user)
        if draft is not None:
            messages.info(request, _("You already have a draft visit for %(name)s: continue it here.")
                          % {"name": student.full_name})
            return redirect("casework:visit_edit", pk=draft.pk)
    visit = HomeVisit(student=student) if student is not None else HomeVisit()
    purpose = request.GET.get("purpose", "")
    if purpose in VisitPurpose.values:
        visit.purpose = purpose
    return _visit_form(request, visit, student=student)


@staff_only
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk: int):
    visit = get_object_or_404(_visits(request.user), pk=pk)
    return _visit_form(request, visit, student=visit.student)


def _visit_form(request, visit: HomeVisit, *, student: Student | None):
    user = request.user
    data = request.POST if request.method == "POST" else None
    creating = visit.pk is None
    finishing = data is not None and (data.get("action") == "finish" or not visit.is_draft)
    form = VisitForm(data, instance=visit, user=user, student=student, finishing=finishing)
    follow_ups = VisitFollowUpFormSet(
        data, instance=visit, prefix="followups",
        form_kwargs={"staff_queryset": form.fields["staff"].queryset, "user": user},
    )
    if creating and data is not None:  # sent again after it was finished: show that visit, never a second
        earlier = submission_target(user=user, token=data.get(TOKEN_FIELD))
        if earlier is not None and not (earlier.target is not None and earlier.target.is_draft):
            return submitted_response(request, earlier.target, url_name="casework:visit_detail", fallback="casework:visit_list")
    if data is not None and form.is_valid() & follow_ups.is_valid():
        visit = form.save(commit=False)
        try:
            services.visit_save(
                visit=visit, staff=form.cleaned_data["staff"], by=user, finish=finishing,
                follow_ups=follow_ups.save(commit=False), removed_follow_ups=follow_ups.deleted_objects,
                version=form.expected_version, token=form.create_token if creating else None,
            )
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="casework:visit_detail", fallback="casework:visit_list")
        except EditConflict as conflict:
            log_access(request, visit.student, VIEW)  # the saved version is shown beside the form
            form.show_conflict(conflict, extra_rows=follow_up_conflict_rows(follow_ups, conflict.current))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            log_access(request, visit.student, CREATE if creating else UPDATE)
            if visit.is_draft:
                messages.success(request, _("The draft was saved. You can finish it later."))
            else:
                messages.success(request, _("The visit was saved."))
            return redirect("casework:visit_detail", pk=visit.pk)
    if not creating:
        log_access(request, visit.student, VIEW)
    return render(request, "casework/visits/form.html", {
        "visit": visit, "creating": creating, "form": form, "follow_ups": follow_ups, "student": student,
        "local_key": f"visit:{visit.pk}" if visit.pk else f"visit:new:{student.pk if student else ''}",
        "server_saved": int(visit.updated_at.timestamp() * 1000) if visit.updated_at else 0,
        "autosave_url": reverse("casework:visit_autosave", args=[visit.pk]) if visit.pk else reverse("casework:visit_autosave_new"),
        "can_autosave": visit.is_draft,
        "discard_url": reverse("casework:visit_edit", args=[form.conflict_record.pk]) if form.conflict_record else "",
    })


def follow_up_conflict_rows(formset, current: HomeVisit | Contact) -> list[dict]:
    """The follow-up actions typed against those saved now: one row when they differ."""
    def describe(value):
        owner = value("owner")
        return " / ".join(str(p) for p in (
            value("description"), person_name(owner) if owner else "", localtime.stamp(value("due_on")),
        ) if p)

    return formset_conflict_row(_("Follow-up actions"), formset, current.follow_ups.select_related("owner")
                                .order_by("due_on", "pk"), describe)


@staff_only
def visit_detail(request, pk: int):
    visit = get_object_or_404(_visits(request.user).select_related("created_by").prefetch_related("staff"), pk=pk)
    follow_ups = list(visit.follow_ups.select_related("owner").order_by("done_on", "due_on", "pk"))
    _annotate_follow_ups(follow_ups)
    log_access(request, visit.student, VIEW)
    return render(request, "casework/visits/detail.html", {
        "visit": visit, "staff_names": _names(visit.staff.all()), "follow_ups": follow_ups,
        "created_by_name": person_name(visit.created_by), "clear_keys": f"visit:{visit.pk} visit:new:{visit.student_id}",
        "used_tokens": used_form_tokens(request, visit),
    })


@staff_only
@require_POST
def visit_autosave(request, pk: int | None = None):
    """Save the draft as it is typed: partial data, no validation errors, never a second draft."""
    user = request.user
    visit = get_object_or_404(_visits(user), pk=pk) if pk is not None else None
    student = visit.student if visit is not None else None
    form = VisitForm(request.POST, instance=HomeVisit(), user=user, student=student)  # a scratch instance: the draft keeps what was not sent
    values = form.draft_values()
    if VERSION_FIELD in form.errors or TOKEN_FIELD in form.errors:  # never saved without knowing what it stands on
        return JsonResponse({"saved": False, "message": form.errors.get(VERSION_FIELD, form.errors.get(TOKEN_FIELD))[0]},
                            status=409)
    if student is None:
        student = form.cleaned_data.get("student")
        if student is None:
            return JsonResponse({"saved": False, "message": _("Choose a student: the draft is kept on this device until then.")})
    staff = form.cleaned_data.get("staff") if "staff" not in form.errors and "staff" in request.POST else None
    try:
        visit = services.visit_autosave(visit=visit, student=student, values=values, staff=staff, by=user,
                                        version=form.expected_version, token=form.create_token)
    except EditConflict as conflict:
        current = conflict.current
        log_access(request, current.student, VIEW)  # the saved version is shown beside the typed one
        return JsonResponse({
            "saved": False, "conflict": True, "message": str(conflict),
            "rows": conflict_rows(form, form.saved_values(current)),
            "version": current.version, "pk": current.pk,
            "edit_url": reverse("casework:visit_edit", args=[current.pk]),
            "autosave_url": reverse("casework:visit_autosave", args=[current.pk]),
            "local_key": f"visit:{current.pk}",
        }, status=409)
    except DomainError as error:
        return JsonResponse({"saved": False, "message": str(error)}, status=409)
    log_access(request, visit.student, UPDATE if pk else CREATE)
    return JsonResponse({
        "saved": True,
        "pk": visit.pk,
        "edit_url": reverse("casework:visit_edit", args=[visit.pk]),
        "autosave_url": reverse("casework:visit_autosave", args=[visit.pk]),
        "local_key": f"visit:{visit.pk}",
        "version": visit.version,
        "updated_at": int(visit.updated_at.timestamp() * 1000),
        "message": _("Draft saved at %(time)s") % {"time": localtime.hm(visit.updated_at)},
    })


# --- Follow-ups ----------------------------------------------------------------------------------
def _annotate_follow_ups(follow_ups) -> None:
    today = timezone.localdate()
    for action in follow_ups:
        action.owner_name = person_name(action.owner)
        action.is_overdue = action.done_on is None and action.due_on < today


@staff_only
def followup_list(request: HtmxHttpRequest):
    queryset = (
        FollowUpAction.objects.visible_to(request.user).open()
        .select_related("student", "owner").order_by("due_on", "pk")
    )
    filterset = FollowUpFilter(request.GET, queryset=queryset, request=request)
    page = Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    _annotate_follow_ups(page)
    log_list_access(request, [a.student_id for a in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render_fragment(request, "casework/visits/followups.html", {
        "filter": filterset, "page": page, "query": query.urlencode(), "today": timezone.localdate(),
        "next": request.get_full_path(),
    }, partial="results", target="followup-results")


def _follow_up_response(request: HtmxHttpRequest, pk: int, *, done: bool):
    action = get_object_or_404(FollowUpAction.objects.visible_to(request.user).select_related("student", "owner"), pk=pk)
    form = FollowUpDoneForm(request.POST)
    if form.is_valid():
        if done:
            action.done_on = services.follow_up_done(follow_up=action, on=form.cleaned_data["done_on"]).done_on
        else:
            services.follow_up_reopen(follow_up=action)
        log_access(request, action.student, UPDATE)
    next_url = safe_next(request, request.POST.get("next"))
    if request.htmx:
        _annotate_follow_ups([action])
        return render(request, "casework/visits/_followup.html", {
            "action": action, "next": next_url, "show_student": request.POST.get("in_list") == "1",
            "followup_saved": form.is_valid(),
        })
    return redirect(next_url or reverse("casework:followup_list"))


@staff_only
@require_POST
def followup_done(request, pk: int):
    return _follow_up_response(request, pk, done=True)


@staff_only
@require_POST
def followup_reopen(request, pk: int):
    return _follow_up_response(request, pk, done=False)


# --- Other contacts ------------------------------------------------------------------------------
def _contacts(user):
    return Contact.objects.visible_to(user).select_related("student", "student__site", "staff")


@staff_only
def contact_list(request: HtmxHttpRequest):
    queryset = _contacts(request.user)
    student = student_from_query(request, "student_id")
    if student is not None:
        queryset = queryset.filter(student=student)
    page = Paginator(queryset.order_by("-contacted_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    for contact in page:
        contact.staff_name = person_name(contact.staff)
    log_list_access(request, [c.student_id for c in page])
    return render_fragment(request, "casework/visits/contact_list.html", {
        "page": page, "student": student, "query": f"student_id={student.pk}" if student else "",
    }, partial="results", target="contact-results")


@staff_only
@require_http_methods(["GET", "POST"])
def contact_create(request):
    student = student_from_query(request)
    return _contact_form(request, Contact(student=student) if student else Contact(), student=student)


@staff_only
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    contact = get_object_or_404(_contacts(request.user), pk=pk)
    return _contact_form(request, contact, student=contact.student)


def _contact_form(request, contact: Contact, *, student: Student | None):
    user = request.user
    data = request.POST if request.method == "POST" else None
    creating = contact.pk is None
    form = ContactForm(data, instance=contact, user=user, student=student)
    site_staff = VisitForm(user=user, student=student).fields["staff"].queryset
    follow_ups = ContactFollowUpFormSet(data, instance=contact, prefix="followups",
                                        form_kwargs={"staff_queryset": site_staff, "user": user})
    if creating and (earlier := earlier_submission(request, form, url_name="casework:contact_detail", fallback="casework:contact_list")):
        return earlier
    if data is not None and form.is_valid() & follow_ups.is_valid():
        def save():
            return services.contact_save(
                contact=form.save(commit=False), by=user, follow_ups=follow_ups.save(commit=False),
                removed_follow_ups=follow_ups.deleted_objects, version=form.expected_version,
            )

        try:
            contact = create_once(user=user, token=form.create_token, create=save) if creating else save()
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="casework:contact_detail", fallback="casework:contact_list")
        except EditConflict as conflict:
            log_access(request, contact.student, VIEW)
            form.show_conflict(conflict, extra_rows=follow_up_conflict_rows(follow_ups, conflict.current))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            log_access(request, contact.student, CREATE if creating else UPDATE)
            messages.success(request, _("The contact was saved."))
            return redirect("casework:contact_detail", pk=contact.pk)
    if not creating:
        log_access(request, contact.student, VIEW)
    return render(request, "casework/visits/contact_form.html", {
        "contact": contact, "creating": creating, "form": form, "follow_ups": follow_ups, "student": student,
        "discard_url": request.path,
    })


@staff_only
def contact_detail(request, pk: int):
    contact = get_object_or_404(_contacts(request.user), pk=pk)
    follow_ups = list(contact.follow_ups.select_related("owner").order_by("done_on", "due_on", "pk"))
    _annotate_follow_ups(follow_ups)
    log_access(request, contact.student, VIEW)
    return render(request, "casework/visits/contact_detail.html", {
        "contact": contact, "staff_name": person_name(contact.staff), "follow_ups": follow_ups,
        "used_tokens": used_form_tokens(request, contact),
    })


# --- Information sharing ---------------------------------------------------------------------------
def _shares(user):
    return InformationShare.objects.visible_to(user).select_related(
        "student", "student__site", "shared_by", "consent", "consent__guardian", "recipient"
    )


@staff_only
@require_http_methods(["GET", "POST"])
def share_create(request):
    student = student_from_query(request)
    if student is None:
        raise Http404
    form = ShareForm(request.POST if request.method == "POST" else None, student=student)
    if request.method == "GET":
        log_access(request, student, VIEW)  # the form shows the child's consents and household contacts
    if earlier := earlier_submission(request, form, url_name="casework:share_detail", fallback="casework:visit_list"):
        return earlier
    if form.is_valid():
        data = form.cleaned_data
        try:
            share = create_once(user=request.user, token=form.create_token, create=lambda: services.information_share_record(
                student=student, recipient=data["recipient"], recipient_kind=data["recipient_kind"],
                recipient_name=data["recipient_name"], what=data["what"], shared_at=data["shared_at"], basis=data["basis"], consent=data["consent"],
                exception_reason=data["exception_reason"], by=request.user,
            ))
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="casework:share_detail", fallback="casework:visit_list")
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            log_access(request, student, CREATE)
            messages.success(request, _("The information share was recorded."))
            return redirect("casework:share_detail", pk=share.pk)
    return render(request, "casework/visits/share_form.html", {"student": student, "form": form})


@staff_only
def share_detail(request, pk: int):
    share = get_object_or_404(_shares(request.user), pk=pk)
    log_access(request, share.student, VIEW)
    return render(request, "casework/visits/share_detail.html", {
        "share": share, "shared_by_name": person_name(share.shared_by),
    })


@staff_only
def share_list(request: HtmxHttpRequest, pk: int):
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("site"), pk=pk)
    if not rules.can_see_sensitive(request.user):
        raise Http404
    page = Paginator(_shares(request.user).filter(student=student).order_by("-shared_at", "-pk"), PER_PAGE) \
        .get_page(request.GET.get("page"))
    for share in page:
        share.shared_by_name = person_name(share.shared_by)
    log_access(request, student, VIEW)
    return render_fragment(request, "casework/visits/share_list.html", {"student": student, "page": page},
                   partial="results", target="share-results")


# --- The student page's staff section -------------------------------------------------------------------
def student_visit_summary(student: Student) -> dict:
    """Context for ``casework/visits/_student_section.html``: the latest finished visit, in one query."""
    latest = (
        HomeVisit.objects.filter(student=student, status=RecordStatus.DONE).order_by("-visited_at", "-pk")
        .only("pk", "visited_at", "concern_level", "next_visit_due", "student_id").first()
    )
    return {"latest_visit": latest, "today": timezone.localdate()}
