"""Users and roles: the staff administrator's list of the accounts of their sites, a new account, and one
account's page (roles, sites, deactivation, the second factor).

Which accounts: ``rules.manageable_accounts`` (members of the administrator's sites and volunteers of
them; never a superuser); anyone else's account answers 404. Every read of the list or of an account, and
every change, is an entry of the access log (``classroom.access_log``'s ``ACCOUNT_*`` actions).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from classroom import rules
from classroom.access_log import (
    ACCOUNT_CHANGE,
    ACCOUNT_CREATE,
    ACCOUNT_DEACTIVATE,
    ACCOUNT_LIST,
    ACCOUNT_REACTIVATE,
    ACCOUNT_VIEW,
    TWO_FACTOR_RESET,
    log_access,
)
from classroom.exceptions import DomainError
from classroom.models import Site
from classroom.services import accounts
from classroom.services.edit_guards import AlreadySubmitted
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name
from oversight.forms.users import AccountCreateForm, AccountEditForm, AccountFilterForm

PER_PAGE = 50


def _roles_of(account) -> list[str]:
    return [g.name for g in account.groups.all() if g.name in rules.ROLES]


def _account(request, pk: int):
    """One account the administrator manages (anyone else's, a superuser's: 404)."""
    accounts = rules.manageable_accounts(request.user).prefetch_related("groups")  # their roles, read once
    return get_object_or_404(accounts, pk=pk)


@rules.staff_admin_required
def user_list(request: HtmxHttpRequest):
    form = AccountFilterForm(request.GET or None)
    users = (rules.manageable_accounts(request.user)
             .prefetch_related("groups", Prefetch("sites", queryset=Site.objects.order_by("name")),
                               Prefetch("volunteer__sites", queryset=Site.objects.order_by("name")))
             .order_by("-is_active", "last_name", "first_name", "username"))
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            users = users.filter(Q(username__icontains=q) | Q(last_name__icontains=q) | Q(first_name__icontains=q)
                                 | Q(email__icontains=q))
        if data["role"]:
            users = rules.accounts_holding(users, data["role"])
        if data["active"]:
            users = users.filter(is_active=data["active"] == "yes")
        query = "&".join(f"{k}={v}" for k, v in (("q", data["q"]), ("role", data["role"]),
                                                  ("active", data["active"])) if v)
    page = Paginator(users, PER_PAGE).get_page(request.GET.get("page"))
    two_factor = accounts.accounts_with_two_factor(page.object_list)
    for account in page:
        account.role_names = rules.role_labels(_roles_of(account))
        account.has_two_factor = account.pk in two_factor
        account.display_name = person_name(account) or account.username
        volunteer = getattr(account, "volunteer", None)
        names = [s.name for s in account.sites.all()] + ([s.name for s in volunteer.sites.all()] if volunteer else [])
        account.site_names = list(dict.fromkeys(names))
    log_access(request, None, ACCOUNT_LIST)
    return render_fragment(request, "oversight/users/list.html", {"form": form, "page": page, "query": query},
                           partial="results", target="user-results")


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


@rules.staff_admin_required
def user_create(request):
    form = AccountCreateForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = accounts.account_create(
                by=request.user, username=data["username"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], roles=data["roles"], sites=data["sites"],
                site_url=_site_url(request), token=form.create_token)
        except AlreadySubmitted as sent:
            if sent.target is not None:
                return redirect("oversight:user_detail", sent.target.pk)
            form.add_error(None, str(sent))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            log_access(request, None, ACCOUNT_CREATE)
            messages.success(request, _("The account was created. A mail with a link to set a password was sent to %(email)s.")
                             % {"email": account.email})
            return redirect("oversight:user_detail", account.pk)
    return render(request, "oversight/users/create.html", {"form": form})


def _detail_context(request, account, form=None) -> dict:
    from classroom.models import SignedInSession
    from classroom.services.two_factor import has_two_factor

    own = set(rules.account_sites(request.user).values_list("pk", flat=True))
    sites = list(account.sites.order_by("name"))
    if form is None:
        form = AccountEditForm(by=request.user, initial={
            "last_name": account.last_name, "first_name": account.first_name, "email": account.email,
            "roles": _roles_of(account), "sites": [s.pk for s in sites if s.pk in own],
            "state": accounts.account_state(account, by=request.user)})
    return {"account": account, "form": form, "account_name": person_name(account) or account.username, "role_names": rules.role_labels(_roles_of(account)),
            "own_sites": [s for s in sites if s.pk in own], "other_sites": [s for s in sites if s.pk not in own],
            "has_two_factor": has_two_factor(account),
            "sessions": SignedInSession.objects.filter(user=account).count(),
            "is_self": account.pk == request.user.pk}


@rules.staff_admin_required
def user_detail(request, pk: int):
    account = _account(request, pk)
    log_access(request, None, ACCOUNT_VIEW)
    return render(request, "oversight/users/detail.html", _detail_context(request, account))


@rules.staff_admin_required
def user_edit(request, pk: int):
    """GET: the account's page; POST: save names, email, roles and the administrator's sites."""
    account = _account(request, pk)
    if request.method != "POST":
        return redirect("oversight:user_detail", account.pk)
    form = AccountEditForm(request.POST, by=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            accounts.account_update(by=request.user, account=account, first_name=data["first_name"],
                                    last_name=data["last_name"], email=data["email"], roles=data["roles"],
                                    sites=data["sites"], expected=data["state"] or None)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            log_access(request, None, ACCOUNT_CHANGE)
            messages.success(request, _("The account was saved. A change of roles applies from the person's next page."))
            return redirect("oversight:user_detail", account.pk)
    account = _account(request, pk)
    return render(request, "oversight/users/detail.html", _detail_context(request, account, form))


def _confirm(request, account, *, action: str, template_context: dict):
    return render(request, "oversight/users/confirm.html", {
        "account": account, "action": action, "account_name": person_name(account) or account.username,
        **template_context})


@rules.staff_admin_required
def user_active(request, pk: int):
    """Deactivate or reactivate: GET asks to confirm, POST (``active`` = "1" or "0") does it."""
    account = _account(request, pk)
    if request.method != "POST":
        return _confirm(request, account, action="active", template_context={"is_self": account.pk == request.user.pk})
    value = request.POST.get("active")
    if value not in ("0", "1"):
        raise Http404
    active = value == "1"
    try:
        ended = accounts.account_active_set(by=request.user, account=account, active=active)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("oversight:user_detail", account.pk)
    log_access(request, None, ACCOUNT_REACTIVATE if active else ACCOUNT_DEACTIVATE)
    if active:
        messages.success(request, _("The account is active again: the person can sign in."))
    else:
        messages.success(request, _("The account is deactivated: the person can no longer sign in, and %(count)s "
                                    "signed-in session(s) ended.") % {"count": ended})
    return redirect("oversight:user_detail", account.pk)


@rules.staff_admin_required
def user_two_factor_reset(request, pk: int):
    """Delete the account's authenticator and recovery codes: GET asks to confirm, POST does it."""
    account = _account(request, pk)
    if request.method != "POST":
        return _confirm(request, account, action="two_factor", template_context={})
    try:
        accounts.account_two_factor_reset(by=request.user, account=account,
                                          keep_session=request.session.session_key)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("oversight:user_detail", account.pk)
    log_access(request, None, TWO_FACTOR_RESET)
    messages.success(request, _("The second factor was reset: the person sets up a new authenticator at their next sign-in."))
    return redirect("oversight:user_detail", account.pk)

