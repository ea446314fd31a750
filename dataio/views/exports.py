"""The data page (the staff administrator's home) and its two downloads: the full export of the
program's data, and one child's own data (a subject access request).

Only staff administrators (``rules.is_staff_admin``, active superusers too) open these; anyone else
signed in gets 404, as everywhere in Yorisoi. A staff administrator exports the whole program and
so any child, whatever their sites. Both downloads are built in a temporary file (memory bounded),
written to the access log as EXPORT and sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from typing import BinaryIO

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from classroom import rules
from classroom.access_log import EXPORT, log_access
from classroom.models import Student
from dataio.services.export_all import export_all, tables
from dataio.services.subject_access import subject_access_archive
from lib import localtime

SEARCH_MAX_LENGTH = 50
SEARCH_RESULTS = 20


def staff_admin_required(view: Callable) -> Callable:
    """Login first (redirect to the login page), then the staff administrator role (404 for anyone else)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not rules.is_staff_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _zip_download(build: Callable[[BinaryIO], object], filename: str) -> FileResponse:
    """Build the ZIP into a temporary file (gone once closed) and send it; never cached."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    try:
        build(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = FileResponse(file, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


@staff_admin_required
@require_GET
def data_home(request):
    """The data page: the full export, and a search for the child whose own data to export."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    children = None
    if query:
        words = query.replace("\u3000", " ").split()
        matches = Q()
        for word in words:
            matches &= (Q(family_name__icontains=word) | Q(given_name__icontains=word)
                        | Q(family_name_kana__icontains=word) | Q(given_name_kana__icontains=word)
                        | Q(nickname__icontains=word) | Q(external_id__iexact=word))
        children = list(Student.objects.filter(matches).select_related("site")
                        .order_by("family_name_kana", "given_name_kana", "pk")[:SEARCH_RESULTS])
    return render(request, "dataio/data_home.html", {
        "query": query,
        "children": children,
        "search_results": SEARCH_RESULTS,
        "table_count": len(tables()),
        "can_open_students": rules.can_manage_classroom(request.user),
    })


@staff_admin_required
@require_POST
def export_download(request):
    """The ZIP of every table of the program's data, with the uploaded files and a README."""
    response = _zip_download(lambda file: export_all(out=file, by=request.user.get_username()),
                             f"yorisoi-export-{localtime.local(timezone.now()):%Y%m%d-%H%M}.zip")
    log_access(request, None, EXPORT)
    return response


@staff_admin_required
@require_POST
def subject_access_download(request, pk: int):
    """One child's own data: JSON per kind of record and a page to read, in one ZIP."""
    student = get_object_or_404(Student.objects.all(), pk=pk)  # any child of the program (see the module)
    response = _zip_download(lambda file: subject_access_archive(student=student, out=file, by=request.user),
                             f"yorisoi-child-{student.pk}-{localtime.today():%Y%m%d}.zip")
    log_access(request, student, EXPORT)
    return response
