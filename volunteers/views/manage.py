"""Managing volunteers (staff and coordinators): list, page, create and edit, availability
exceptions, pairing preferences (staff only), deactivation."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from classroom import extensions, rules
from classroom.exceptions import DomainError
from classroom.models import ClassDay, TutoringRecord
from classroom.services.edit_guards import AlreadySubmitted, EditConflict, create_once
from classroom.views.edit_guards import earlier_submission, submitted_response
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.listing import prepare_table
from lib.localtime import long_date
from lib.names import person_name
from volunteers import hours
from volunteers.filters import VolunteerFilter
from volunteers.forms.manage import AvailabilityExceptionForm, PairingPreferenceForm, VolunteerForm
from volunteers.models import AvailabilityException, PairingPreference, SignUp, Volunteer, VolunteerAttendance
from volunteers.services import manage as services
from volunteers.tables import VolunteerTable, paperwork_state, teaching_display

PER_PAGE = 25
RECENT = 10
SIGN_UPS = 5
MANAGERS = (rules.STAFF, rules.COORDINATOR)


def _volunteer(request, pk: int) -> Volunteer:
    return get_object_or_404(Volunteer.objects.visible_to(request.user).select_related("user"), pk=pk)


# --- List ------------------------------------------------------------------------------------
@rules.role_required(*MANAGERS)
def volunteer_list(request: HtmxHttpRequest):
    today = timezone.localdate()
    queryset = (Volunteer.objects.visible_to(request.user).select_related("user")
                .prefetch_related("teaching", "sites"))
    filterset = VolunteerFilter(request.GET, queryset=queryset, request=request)
    table = prepare_table(request, VolunteerTable(filterset.qs, today=today), per_page=PER_PAGE)
    context = {"filter": filterset, "table": table, "sort": request.GET.get(table.prefixed_order_by_field, ""),
               "list_links": extensions.links(extensions.VOLUNTEER_LIST_PAGE, request.user)}
    return render_fragment(request, "volunteers/manage/list.html", context, partial="table", target="volunteer-table")


# --- Page ------------------------------------------------------------------------------------
def _exceptions_context(volunteer: Volunteer, form=None) -> dict:
    return {
        "exceptions": list(volunteer.exceptions.filter(date__gte=timezone.localdate())),
        "exception_form": form or AvailabilityExceptionForm(),
    }


def _preferences_context(request, volunteer: Volunteer, form=None) -> dict:
    return {
        "preferences": list(volunteer.pairing_preferences.select_related("student").order_by(
            "student__family_name_kana", "student__given_name_kana")),
        "preference_form": form or PairingPreferenceForm(volunteer=volunteer, user=request.user),
    }


@rules.role_required(*MANAGERS)
def volunteer_detail(request, pk: int):
    user = request.user
    volunteer = get_object_or_404(
        Volunteer.objects.visible_to(user).select_related("user").prefetch_related("teaching", "sites"), pk=pk)
    today = timezone.localdate()
    visible_days = ClassDay.objects.visible_to(user)
    sign_ups = (SignUp.objects.filter(volunteer=volunteer, class_day__in=visible_days)
                .select_related("class_day__site"))
    records = list(
        TutoringRecord.objects.visible_to(user).filter(tutor_id=volunteer.user_id)
        .select_related("class_day", "student").order_by("-class_day__date", "-class_day__start_time")[:RECENT]
    )
    attendance = VolunteerAttendance.objects.filter(volunteer=volunteer, class_day__in=visible_days)
    summary = hours.summary(attendance, today)
    context = {
        "volunteer": volunteer,
        "name": person_name(volunteer.user),
        "teaching": teaching_display(volunteer),
        "pledge_state": paperwork_state(volunteer.pledge_signed_on, today, expiry=False),
        "insurance_state": paperwork_state(volunteer.insurance_expires_on, today, expiry=True),
        "upcoming_sign_ups": list(sign_ups.filter(class_day__date__gte=today).order_by("class_day__date")[:SIGN_UPS]),
        "recent_sign_ups": list(sign_ups.filter(class_day__date__lt=today).order_by("-class_day__date")[:SIGN_UPS]),
        "records": records,
        "hours_month": hours.format_hours(summary["month"]),
        "hours_year": hours.format_hours(summary["fiscal_year"]),
        "can_edit_preferences": rules.can_edit_pairing_preferences(user),
        "today": today,
        **_exceptions_context(volunteer),
    }
    if context["can_edit_preferences"]:
        context.update(_preferences_context(request, volunteer))
    return render(request, "volunteers/manage/detail.html", context)


# --- Create and edit ------------------------------------------------------------------------
@rules.role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def volunteer_create(request):
    return _volunteer_form(request, Volunteer())


@rules.role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def volunteer_edit(request, pk: int):
    volunteer = get_object_or_404(
        Volunteer.objects.visible_to(request.user).select_related("user").prefetch_related("teaching", "sites"), pk=pk)
    return _volunteer_form(request, volunteer)


def _volunteer_form(request, volunteer: Volunteer):
    creating = volunteer.pk is None
    form = VolunteerForm(request.POST if request.method == "POST" else None, instance=volunteer, user=request.user)
    if creating and (earlier := earlier_submission(request, form, url_name="volunteers:volunteer_detail", fallback="volunteers:volunteer_list")):
        return earlier
    if form.is_valid():
        def save():
            return services.volunteer_save(
                volunteer=form.save(commit=False), user=form.filled_account(), teaching=form.cleaned_data["teaching"],
                sites=form.cleaned_data["sites"], keep_sites=form.kept_sites(),
                password=form.cleaned_data.get("password"), version=form.expected_version,
            )

        try:
            volunteer = create_once(user=request.user, token=form.create_token, create=save) if creating else save()
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="volunteers:volunteer_detail", fallback="volunteers:volunteer_list")
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            name = person_name(volunteer.user)
            if creating:
                messages.success(request, _("%(name)s was registered as a volunteer.") % {"name": name})
            else:
                messages.success(request, _("%(name)s was updated.") % {"name": name})
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(request, "volunteers/manage/form.html", {
        "form": form, "volunteer": volunteer, "creating": creating,
        "name": "" if creating else person_name(volunteer.user), "discard_url": request.path,
    })


@rules.role_required(*MANAGERS)
@require_POST
def volunteer_set_active(request, pk: int):
    volunteer = _volunteer(request, pk)
    active = request.POST.get("active") == "1"
    released = services.volunteer_set_active(volunteer=volunteer, active=active)
    name = person_name(volunteer.user)
    if active:
        messages.success(request, _("%(name)s is active again.") % {"name": name})
    else:
        messages.success(request, _("%(name)s was deactivated. The history is kept.") % {"name": name})
    if released.total:
        messages.info(request, _("Removed from the coming days: %(pairs)s planned pairs, %(sign_ups)s answers and "
                                 "%(others)s offers to help at activities. The coordinators were told which class "
                                 "days to plan again.") % {"pairs": released.pairs, "sign_ups": released.sign_ups,
                                                           "others": released.elsewhere})
    return redirect("volunteers:volunteer_detail", pk=volunteer.pk)


# --- Availability exceptions (HTMX on the page) ------------------------------------------------
def _exceptions_response(request, volunteer: Volunteer, form=None, *, announce: str = ""):
    """The exceptions' section; ``announce`` (what was saved) is read once by the live region (swap-focus.js)."""
    context = {"volunteer": volunteer, "announce": announce, **_exceptions_context(volunteer, form)}
    return render(request, "volunteers/manage/detail.html#exceptions", context)


@rules.role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def availability_exception_add(request: HtmxHttpRequest, pk: int):
    volunteer = _volunteer(request, pk)
    form = AvailabilityExceptionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        services.availability_exception_set(volunteer=volunteer, date=data["date"], available=data["available"],
                                            note=data["note"])
        if request.htmx:
            return _exceptions_response(request, volunteer, announce=(
                _("Saved: can come on %(date)s") if data["available"] else _("Saved: cannot come on %(date)s"))
                % {"date": long_date(data["date"])})
        messages.success(request, _("The availability exception was saved."))
        return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    if request.htmx:
        return _exceptions_response(request, volunteer, form)
    return render(request, "volunteers/manage/add_form.html", {
        "volunteer": volunteer, "name": person_name(volunteer.user), "form": form,
        "heading": _("Dates that differ from the usual weekdays")})


@rules.role_required(*MANAGERS)
@require_POST
def availability_exception_remove(request: HtmxHttpRequest, pk: int, exception_pk: int):
    volunteer = _volunteer(request, pk)
    removed = AvailabilityException.objects.filter(volunteer=volunteer, pk=exception_pk).first()
    services.availability_exception_remove(volunteer=volunteer, pk=exception_pk)
    if request.htmx:
        return _exceptions_response(request, volunteer, announce=_("Removed: the exception on %(date)s")
                                    % {"date": long_date(removed.date)} if removed else "")
    messages.success(request, _("The availability exception was removed."))
    return redirect("volunteers:volunteer_detail", pk=volunteer.pk)


# --- Pairing preferences (staff only) ------------------------------------------------------------
def _preferences_response(request, volunteer: Volunteer, form=None, *, announce: str = ""):
    """The preferences' section; ``announce`` (what was saved) is read once by the live region (swap-focus.js)."""
    context = {"volunteer": volunteer, "can_edit_preferences": True, "announce": announce,
               **_preferences_context(request, volunteer, form)}
    return render(request, "volunteers/manage/detail.html#preferences", context)


@rules.role_required(rules.STAFF)
@require_http_methods(["GET", "POST"])
def pairing_preference_add(request: HtmxHttpRequest, pk: int):
    volunteer = _volunteer(request, pk)
    form = PairingPreferenceForm(request.POST if request.method == "POST" else None, volunteer=volunteer,
                                 user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.pairing_preference_set(volunteer=volunteer, student=data["student"], kind=data["kind"],
                                            note=data["note"], by=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if request.htmx:
                return _preferences_response(request, volunteer, announce=_("Saved: %(kind)s %(name)s") % {
                    "kind": PairingPreference.Kind(data["kind"]).label, "name": data["student"].full_name})
            messages.success(request, _("The pairing preference was saved."))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    if request.htmx:
        return _preferences_response(request, volunteer, form)
    return render(request, "volunteers/manage/add_form.html", {
        "volunteer": volunteer, "name": person_name(volunteer.user), "form": form, "heading": _("Pairing preferences")})


@rules.role_required(rules.STAFF)
@require_POST
def pairing_preference_remove(request: HtmxHttpRequest, pk: int, preference_pk: int):
    volunteer = _volunteer(request, pk)
    removed = PairingPreference.objects.select_related("student").filter(volunteer=volunteer, pk=preference_pk).first()
    services.pairing_preference_remove(volunteer=volunteer, pk=preference_pk)
    if request.htmx:
        return _preferences_response(request, volunteer, announce=_("Removed: %(kind)s %(name)s") % {
            "kind": removed.get_kind_display(), "name": removed.student.full_name} if removed else "")
    messages.success(request, _("The pairing preference was removed."))
    return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
