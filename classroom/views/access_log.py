"""The access log of reads: who read or changed sensitive records, and when. Staff only.

The rows are those ``rules.access_log_scope`` lets the user read; one child's rows when the query
string names a child the user sees (anyone else's child: 404).
"""

from __future__ import annotations

from django.core.paginator import Paginator

from classroom import extensions, rules
from classroom.models import AccessLog
from classroom.views.students import student_from_query
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name

PER_PAGE = 50


@rules.role_required(rules.STAFF)
def access_log(request: HtmxHttpRequest):
    user = request.user
    student = student_from_query(request)
    queryset = AccessLog.objects.select_related("user", "student")
    if student is not None:
        queryset = queryset.filter(student=student)
    else:
        queryset = queryset.filter(rules.access_log_scope(user))
    page = Paginator(queryset.order_by("-at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    for entry in page:
        entry.user_name = person_name(entry.user)
    return render_fragment(request, "classroom/access_log.html", {
        "page": page, "student": student, "query": f"student={student.pk}" if student else "",
        "breadcrumb": extensions.links(extensions.ACCESS_LOG_PAGE),
    }, partial="results", target="log-results")
