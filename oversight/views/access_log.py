"""The access log of reads: who read or changed sensitive records, when and from where. Staff
administrators only (issue 14: they search it by user, child and date and export it); plain staff and
everyone else get 404. Reading the log is itself an entry (``LOG_VIEW``), as is its download.

The rows are those ``rules.access_log_scope`` lets the user read; one child's rows when the query
string names a child the user sees (anyone else's child: 404); narrowed by who (a colleague), and a
first and last day (Japan time). The same rows download as CSV or XLSX, and the download is itself logged.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import rules
from classroom.access_log import EXPORT, LOG_VIEW, action_label, log_access
from classroom.models import AccessLog
from classroom.views.students import student_from_query
from lib import exports, localtime, plausible
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name

PER_PAGE = 50



@rules.staff_admin_required
def access_log_moved(request):
    """The log's old address (``/visits/access-log/``, in classroom): moved here for good."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(reverse("oversight:access_log") + (f"?{query}" if query else ""))


@rules.staff_admin_required
def access_log(request: HtmxHttpRequest):
    user = request.user
    student = student_from_query(request)
    queryset = AccessLog.objects.select_related("user", "student")
    if student is not None:
        queryset = queryset.filter(student=student)
    else:
        queryset = queryset.filter(rules.access_log_scope(user))
    colleagues = list(rules.colleagues(user).order_by("last_name", "first_name", "username"))
    who = next((c for c in colleagues if str(c.pk) == request.GET.get("who", "")), None)
    first, last = plausible.date_param(request.GET.get("from")), plausible.date_param(request.GET.get("to"))
    if who is not None:
        queryset = queryset.filter(user=who)
    queryset = queryset.filter(localtime.within_days("at", first, last))
    queryset = queryset.order_by("-at", "-pk")
    filters = {k: v for k, v in (("student", student and student.pk), ("who", who and who.pk),
                                  ("from", first and first.isoformat()), ("to", last and last.isoformat())) if v}
    export_format = request.GET.get("format")
    if export_format:
        if export_format not in ("csv", "xlsx"):
            raise Http404
        return _export(request, queryset, export_format)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    for entry in page:
        entry.user_name = person_name(entry.user)
        entry.action_label = action_label(entry.action)
    log_access(request, student, LOG_VIEW)
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return render_fragment(request, "oversight/access_log.html", {
        "page": page, "student": student, "query": query, "colleagues": colleagues, "who": who,
        "first": first, "last": last,
    }, partial="results", target="log-results")


def _export(request, queryset, export_format: str):
    """The entries the filters select, every page of them; the download is an entry of its own."""
    rows = [[_("Date and time"), _("Who"), _("Action"), _("Student"), _("Record number"), _("Page"), _("Connected from")]]
    for entry in queryset.iterator(chunk_size=2000):
        child = entry.student.full_name if entry.student else entry.student_label
        rows.append([localtime.stamp(entry.at), person_name(entry.user) or entry.user.get_username(),
                     action_label(entry.action), child, entry.student_id or "", entry.path,
                     entry.address or ""])
    log_access(request, None, EXPORT)
    return exports.rows_response(rows, export_format=export_format, title=_("Access log"),
                                 filename=f"access-log-{timezone.localdate():%Y%m%d}")
