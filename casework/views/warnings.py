"""Early warning: the list of children to look at, and the thresholds of a site. Staff only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework import warnings
from casework.forms.warnings import WarningFilterForm, WarningSettingsForm
from casework.services import warnings as services
from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import Site
from classroom.services.edit_guards import EditConflict
from lib.htmx import HtmxHttpRequest, render_fragment


def _chosen_site(sites: list[Site], value) -> Site:
    """The site asked for (404 when it is not the user's), else the user's first."""
    if not sites:
        raise Http404
    if value in (None, ""):
        return sites[0]
    try:
        return next(s for s in sites if s.pk == int(value))
    except (StopIteration, TypeError, ValueError):
        raise Http404 from None


@rules.role_required(rules.STAFF)
def warning_list(request: HtmxHttpRequest):
    """The staff member's sites together (or the one chosen), grouped by kind; ``?kind=`` keeps one kind."""
    sites = list(Site.objects.visible_to(request.user))
    if not sites:
        raise Http404
    value = request.GET.get("site")
    site = _chosen_site(sites, value) if value or len(sites) == 1 else None
    form = WarningFilterForm(request.GET or None, sites=Site.objects.filter(pk__in=[s.pk for s in sites]),
                             initial={"site": site.pk if site else None})
    kind = request.GET.get("kind", "")
    if kind not in warnings.KINDS:
        kind = ""
    report = warnings.compute([site] if site else sites, timezone.localdate())
    groups = [
        {"kind": k, "label": warnings.KIND_LABELS[k], "entries": report.of_kind(k)}
        for k in warnings.KINDS if not kind or k == kind
    ]
    context = {
        "form": form,
        "site": site,
        "site_query": f"site={site.pk}&" if site and len(sites) > 1 else "",
        "many_sites": len(sites) > 1,
        "kind": kind,
        "counts": [(k, warnings.KIND_LABELS[k], n) for k, n in report.counts().items()],
        "groups": groups,
        "total": sum(len(g["entries"]) for g in groups),
        "thresholds": report.thresholds[site.pk] if site else None,
        "today": report.today,
    }
    return render_fragment(request, "casework/warnings/list.html", context, partial="results",
                           page_on_history_restore=True)


@rules.role_required(rules.STAFF)
@require_http_methods(["GET", "POST"])
def warning_settings(request):
    sites = list(Site.objects.visible_to(request.user))
    site = _chosen_site(sites, request.POST.get("site") or request.GET.get("site"))
    current = services.warning_settings_for(site=site)
    form = WarningSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.warning_settings_save(site=site, by=request.user, version=form.expected_version, **{
                name: form.cleaned_data[name] for name in WarningSettingsForm.Meta.fields})
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The early-warning settings of %(site)s were saved.") % {"site": site.name})
            return redirect(f"{request.path}?site={site.pk}")
    return render(request, "casework/warnings/settings.html", {
        "form": form, "site": site, "sites": sites, "many_sites": len(sites) > 1,
        "discard_url": f"{request.path}?site={site.pk}",
    })
