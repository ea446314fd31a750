"""After the day: counts by role, reflection notes and photos (served only through a view that checks access)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from activities.forms.participants import PhotoUploadForm, ReflectionForm
from activities.models import Activity, ActivityPhoto, PhotoPolicy
from activities.services.participants import (
    activity_photo_delete,
    activity_photos_add,
    activity_reflection_save,
    report_counts,
)
from activities.views.participants import MANAGERS, activity_for
from classroom import rules
from classroom.services.edit_guards import EditConflict
from lib.htmx import HtmxHttpRequest, render_fragment

TEMPLATE = "activities/report/report.html"


def _context(activity: Activity, *, reflection_form: ReflectionForm | None = None,
             photo_form: PhotoUploadForm | None = None, saved: bool = False) -> dict:
    counts = report_counts(activity)
    return {
        "activity": activity,
        "counts": counts,
        "rows": [
            {"key": "students", "label": _("Students"), "value": counts.students},
            {"key": "guardians", "label": _("Guardians"), "value": counts.guardians},
            {"key": "siblings", "label": _("Siblings"), "value": counts.siblings},
            {"key": "others", "label": _("Others"), "value": counts.others},
        ],
        "photos": list(activity.photos.all()),
        "reflection_form": reflection_form or ReflectionForm(instance=activity),
        "photo_form": photo_form or PhotoUploadForm(),
        "saved": saved,
    }


@rules.role_required(*MANAGERS)
def report(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The report page; POST saves the reflection notes (htmx: the notes' fragment)."""
    activity = activity_for(request, pk)
    if request.method == "POST":
        form = ReflectionForm(request.POST, instance=activity)
        if form.is_valid():
            try:
                activity_reflection_save(activity=activity, reflection=form.cleaned_data["reflection"],
                                         by=request.user, version=form.expected_version)
            except EditConflict as conflict:
                form.show_conflict(conflict)
            else:
                if not request.htmx:
                    messages.success(request, _("Reflection notes saved."))
                    return redirect("activities:activity_report", pk=activity.pk)
                return render(request, TEMPLATE + "#reflection", _context(activity, saved=True))
        activity.refresh_from_db(fields=["reflection"])
        return render_fragment(request, TEMPLATE, _context(activity, reflection_form=form), partial="reflection")
    return render_fragment(request, TEMPLATE, _context(activity), partial="counts")


@rules.role_required(*MANAGERS)
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Images only (Pillow opens each), 5 MB each; several at once."""
    activity = activity_for(request, pk)
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid() and activity.photo_policy == PhotoPolicy.NONE:
        form.add_error(None, _("This activity's photo policy is no photos."))
    if form.errors:
        return render(request, TEMPLATE, _context(activity, photo_form=form))
    photos = activity_photos_add(activity=activity, images=form.cleaned_data["images"],
                                 caption=form.cleaned_data["caption"], by=request.user)
    messages.success(request, ngettext("Added %(count)d photo.", "Added %(count)d photos.", len(photos))
                     % {"count": len(photos)})
    return redirect("activities:activity_report", pk=activity.pk)


def _photo(request: HttpRequest, pk: int) -> ActivityPhoto:
    visible = Activity.objects.visible_to(request.user)
    return get_object_or_404(ActivityPhoto.objects.select_related("activity").filter(activity__in=visible), pk=pk)


def _serve(field) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, filename=field.name.rsplit("/", 1)[-1])
    # No Cache-Control here: like every page, a child's photo is never stored by the browser
    # (lib.middleware.PrivateResponseMiddleware answers no-store).
    response["X-Content-Type-Options"] = "nosniff"
    return response


@rules.role_required(*MANAGERS)
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """The image file, for signed-in staff and coordinators only: MEDIA_ROOT is never served as static."""
    return _serve(_photo(request, pk).image)


@rules.role_required(*MANAGERS)
def photo_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    """The small copy the report page shows (the photo itself for one uploaded before thumbnails existed)."""
    item = _photo(request, pk)
    return _serve(item.thumbnail or item.image)


@rules.role_required(*MANAGERS)
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _photo(request, pk)
    activity_photo_delete(photo=item, by=request.user)
    messages.success(request, _("Photo deleted."))
    return redirect("activities:activity_report", pk=item.activity_id)
