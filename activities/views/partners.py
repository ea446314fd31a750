"""Partners: shops, farms, companies and others the classroom plans activities with."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from activities.filters import PartnerFilter
from activities.forms.activities import PartnerForm
from activities.models import Partner
from activities.services import activities as services
from activities.tables import PartnerTable
from activities.views.activities import MANAGERS
from classroom import extensions, rules
from classroom.services.edit_guards import AlreadySubmitted, EditConflict, create_once
from classroom.views.edit_guards import earlier_submission, submitted_response
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.listing import prepare_table

PER_PAGE = 50


@rules.role_required(*MANAGERS)
def partner_list(request: HtmxHttpRequest):
    partners = Partner.objects.visible_to(request.user).annotate(activity_count=Count("activities"))
    filterset = PartnerFilter(request.GET, queryset=partners, request=request)
    table = prepare_table(request, PartnerTable(filterset.qs, order_by="name"), per_page=PER_PAGE)
    context = {"filter": filterset, "table": table, "sort": request.GET.get(table.prefixed_order_by_field, ""),
               "list_links": extensions.links(extensions.PARTNER_LIST_PAGE, request.user)}
    return render_fragment(request, "activities/partners/list.html", context, partial="table", target="partner-table")


@rules.role_required(*MANAGERS)
def partner_detail(request, pk: int):
    partner = get_object_or_404(Partner.objects.visible_to(request.user), pk=pk)
    activities = services.with_counts(partner.activities.all()).order_by("-date", "-start_time", "pk")
    return render(request, "activities/partners/detail.html", {"partner": partner, "activities": activities})


def _form(request: HtmxHttpRequest, form, partner=None):
    return render_fragment(request, "activities/partners/form.html", {
        "form": form, "partner": partner, "action": request.get_full_path(), "discard_url": request.path,
    }, partial="form")


def _saved(request: HtmxHttpRequest, partner):
    url = reverse("activities:partner_detail", args=[partner.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@rules.role_required(*MANAGERS)
def partner_create(request):
    form = PartnerForm(request.POST or None)
    if earlier := earlier_submission(request, form, url_name="activities:partner_detail", fallback="activities:partner_list"):
        return earlier
    if request.method == "POST" and form.is_valid():
        try:
            partner = create_once(user=request.user, token=form.create_token,
                                  create=lambda: services.partner_save(partner=form.save(commit=False)))
        except AlreadySubmitted as done:
            return submitted_response(request, done.target, url_name="activities:partner_detail", fallback="activities:partner_list")
        messages.success(request, _("The partner was saved."))
        return _saved(request, partner)
    return _form(request, form)


@rules.role_required(*MANAGERS)
def partner_edit(request, pk: int):
    partner = get_object_or_404(Partner.objects.visible_to(request.user), pk=pk)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_save(partner=form.save(commit=False), version=form.expected_version)
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, _("The partner was saved."))
            return _saved(request, partner)
    return _form(request, form, partner)
