"""The import screens (staff only): upload, match columns, preview, confirm, the record of past imports."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import rules
from classroom.access_log import EXPORT, log_access
from classroom.exceptions import DomainError
from dataio.forms.imports import ImportMappingForm, ImportUploadForm
from dataio.models import ImportKind, ImportRun, ImportStatus
from dataio.services import imports as service
from dataio.services import imports_columns as cols
from dataio.services import imports_files

PER_PAGE = 100
RUNS_PER_PAGE = 30


def _run(request, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun.objects.visible_to(request.user).select_related("site", "created_by",
                                                                                       "confirmed_by"), pk=pk)


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=imports_files.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@rules.role_required(rules.STAFF)
def import_list(request):
    runs = ImportRun.objects.visible_to(request.user).select_related("site", "created_by").defer("rows", "plan")
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dataio/imports/list.html", {"page": page, "kinds": ImportKind.choices})


@rules.role_required(rules.STAFF)
def import_new(request):
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in ImportKind.values else {}
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = service.import_upload(kind=form.cleaned_data["kind"], site=form.cleaned_data["site"],
                                        file_name=upload.name, data=upload.read(), by=request.user)
        except DomainError as error:
            form.add_error("file", str(error))
        else:
            if cols.missing(run.kind, run.mapping):
                return redirect("dataio:import_columns", run.pk)
            return redirect("dataio:import_detail", run.pk)
    return render(request, "dataio/imports/new.html", {"form": form, "kinds": ImportKind.choices})


@rules.role_required(rules.STAFF)
def import_template(request, kind: str):
    if kind not in ImportKind.values:
        raise Http404
    label = {ImportKind.STUDENTS: "生徒", ImportKind.VOLUNTEERS: "ボランティア", ImportKind.PARTNERS: "協力先"}[kind]
    return _download(imports_files.template_workbook(kind), f"yorisoi-{kind}-template-{label}.xlsx")


@rules.role_required(rules.STAFF)
def import_columns(request, pk: int):
    run = _run(request, pk)
    if run.status != ImportStatus.PREVIEW:
        return redirect("dataio:import_detail", run.pk)
    form = ImportMappingForm(request.POST or None, run=run)
    if request.method == "POST" and form.is_valid():
        service.import_map(run=run, mapping=form.cleaned_data, user=request.user)
        if not cols.missing(run.kind, run.mapping):
            return redirect("dataio:import_detail", run.pk)
    return render(request, "dataio/imports/columns.html", {
        "run": run, "form": form, "missing": cols.missing(run.kind, run.mapping)})


@rules.role_required(rules.STAFF)
def import_detail(request, pk: int):
    run = _run(request, pk)
    show = request.GET.get("show", "")
    rows = [{"plan": plan, "cells": cells} for cells, plan in zip(run.rows, run.plan, strict=True)
            if not show or plan["action"] == show]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for row in page:
        row["errors"] = [{"column": run.headings[col] if col is not None and col < len(run.headings) else "",
                          "letter": _letter(col), "message": message} for col, message in row["plan"]["errors"]]
    mapped = {int(i): key for i, key in run.mapping.items() if key}
    return render(request, "dataio/imports/detail.html", {
        "run": run, "page": page, "show": show, "missing": cols.missing(run.kind, run.mapping),
        "ignored": [h for i, h in enumerate(run.headings) if i not in mapped],
        "filters": [("", _("All")), (service.NEW, _("New")), (service.UPDATE, _("Update")),
                    (service.UNCHANGED, _("Unchanged")), (service.ERROR, _("Error"))],
    })


def _letter(index: int | None) -> str:
    if index is None:
        return ""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@rules.role_required(rules.STAFF)
@require_POST
def import_confirm(request, pk: int):
    run = _run(request, pk)
    if run.status != ImportStatus.PREVIEW:
        messages.info(request, _("This import was already confirmed or discarded: nothing more was written."))
        return redirect("dataio:import_detail", run.pk)
    if cols.missing(run.kind, run.mapping):
        return redirect("dataio:import_columns", run.pk)
    try:
        run, written = service.import_confirm(run_id=run.pk, user=request.user)
    except service.ImportChanged as error:
        messages.warning(request, str(error))
    else:
        if not written:
            messages.info(request, _("This import was already confirmed or discarded: nothing more was written."))
        else:
            messages.success(request, _("Imported: %(new)s new, %(update)s updated, %(unchanged)s unchanged, "
                                        "%(error)s not imported (errors).") % {
                "new": run.new_count, "update": run.update_count, "unchanged": run.unchanged_count,
                "error": run.error_count})
    return redirect("dataio:import_detail", run.pk)


@rules.role_required(rules.STAFF)
@require_POST
def import_discard(request, pk: int):
    run = service.import_discard(run=_run(request, pk))
    messages.info(request, _("The preview was discarded: nothing was imported."))
    return redirect("dataio:import_list") if run.status == ImportStatus.CANCELLED else redirect(
        "dataio:import_detail", run.pk)


@rules.role_required(rules.STAFF)
def import_errors(request, pk: int):
    run = _run(request, pk)
    if not run.error_count or not run.rows:
        raise Http404
    stamp = timezone.localtime(run.created_at).strftime("%Y%m%d-%H%M")
    workbook = imports_files.errors_workbook(run)
    log_access(request, None, EXPORT)  # the failed rows, names and addresses with them, leave as a file
    return _download(workbook, f"yorisoi-import-errors-{stamp}.xlsx")
