"""Accounts and their roles, managed by a staff administrator on Yorisoi's own screens (oversight).

Every write here is checked against the rules first (``rules.account_access``, ``rules.locks_out``,
``rules.account_sites``): a staff administrator changes only the accounts of their own sites, only
their own sites' memberships, never a superuser, and never locks themselves out. Each write carries
the state it wants, so a double submit changes nothing the second time; an edit also carries the
state the form was opened at (``account_state``), so two administrators never overwrite each other.

A new account gets no password anyone knows: the person sets their own through a link mailed to
them after the commit (Django's password-reset link, valid for ``PASSWORD_RESET_TIMEOUT``). The
administrator never sees or types it, so every entry of the access log is the person's own.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from classroom import rules
from classroom.exceptions import DomainError
from classroom.services.edit_guards import create_once
from classroom.services.sessions import sessions_end

logger = logging.getLogger("yorisoi.accounts")
User = get_user_model()


class AccountError(DomainError):
    """A change to an account was refused; nothing was changed."""


def _roles(roles: Iterable[str]) -> set[str]:
    wanted = set(roles)
    if not wanted <= set(rules.ROLES):
        raise AccountError(_("Choose roles from the list."))
    return wanted


def _own_sites(by, sites: Iterable) -> set[int]:
    """The ids of ``sites``, all of them the administrator's own (anything else: refused)."""
    ids = {getattr(s, "pk", s) for s in sites}
    own = set(rules.account_sites(by).values_list("pk", flat=True))
    if not ids <= own:
        raise AccountError(_("Choose sites from the list: only your own sites."))
    return ids


def account_state(account, *, by) -> str:
    """A short fingerprint of what the edit form shows of ``account`` (names, email, roles, the
    administrator's sites it belongs to, active or not): the form's version."""
    own, _others = rules.account_memberships(by, account)
    parts = [account.first_name, account.last_name, account.email, str(account.is_active),
             ",".join(sorted(rules.account_roles(account))), ",".join(str(pk) for pk in sorted(own))]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _check(by, account) -> None:
    if not rules.account_access(by, account).change:
        raise AccountError(_("You do not manage this account."))


def _set_roles(account, roles: set[str]) -> None:
    keep = [group for group in account.groups.all() if group.name not in rules.ROLES]
    groups = [Group.objects.get_or_create(name=name)[0] for name in sorted(roles)]
    account.groups.set([*keep, *groups])


def _set_sites(account, *, by, site_ids: set[int]) -> None:
    """The administrator's own sites become ``site_ids``; memberships of other sites stay as they are."""
    _own, others = rules.account_memberships(by, account)
    account.sites.set(others | site_ids)


def invitation_link(account, *, site_url: str) -> str:
    from django.urls import reverse

    uid = urlsafe_base64_encode(force_bytes(account.pk))
    return site_url.rstrip("/") + reverse("password_reset_confirm", kwargs={
        "uidb64": uid, "token": default_token_generator.make_token(account)})


def _send_invitation(pk: int, site_url: str) -> None:
    """After the commit: the mail with the link to set a first password. A failure is logged, never an
    error page (the person can ask for a link on the sign-in page, "Forgotten your password?")."""
    account = User.objects.filter(pk=pk).first()
    if account is None or not account.email:
        return
    body = render_to_string("registration/account_invitation_email.txt", {
        "user": account, "link": invitation_link(account, site_url=site_url), "site_url": site_url,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600})
    try:
        send_mail(_("Your Yorisoi account"), body, None, [account.email])
    except Exception:  # noqa: BLE001 - a mail server's failure must not undo the saved account
        logger.warning("The invitation to account %s could not be sent.", pk, exc_info=True)


@transaction.atomic
def account_create(*, by, username: str, first_name: str, last_name: str, email: str, roles: Iterable[str],
                   sites: Iterable, site_url: str, token: str | None = None):
    """Create an account at the administrator's own sites, with ``roles``; mail the person a link to set
    their first password (after the commit). Once per form token: a double submit creates one account
    (``AlreadySubmitted``)."""
    if not rules.is_staff_admin(by):
        raise AccountError(_("You do not manage accounts."))
    wanted, site_ids = _roles(roles), _own_sites(by, sites)
    if not wanted:
        raise AccountError(_("Choose at least one role."))
    if not site_ids:
        raise AccountError(_("Choose at least one site."))
    if not email:
        raise AccountError(_("Enter an email address: the person sets their password from the mail."))

    def create():
        if User.objects.filter(username__iexact=username).exists():
            raise AccountError(_("That username is taken. Choose another."))
        account = User(username=username, first_name=first_name, last_name=last_name, email=email)
        # A password nobody knows (the person sets theirs from the mail); usable, so that "Forgot your
        # password?" on the sign-in page also works for them if the mail's link has expired.
        account.set_password(secrets.token_urlsafe(32))
        account.save()
        _set_roles(account, wanted)
        account.sites.set(site_ids)
        return account

    account = create_once(user=by, token=token, create=create)
    transaction.on_commit(partial(_send_invitation, account.pk, site_url))
    return account


@transaction.atomic
def account_update(*, by, account, first_name: str, last_name: str, email: str, roles: Iterable[str],
                   sites: Iterable, expected: str | None = None):
    """Set the account's names, email, roles and the administrator's sites it belongs to.

    Idempotent (the request carries the target state). ``expected``: the ``account_state`` the form was
    opened at; if someone changed the account since, nothing is saved (unless it already is as asked).
    A role change takes effect on the person's next request.
    """
    account = User.objects.select_for_update().get(pk=account.pk)
    _check(by, account)
    wanted, site_ids = _roles(roles), _own_sites(by, sites)
    if rules.locks_out(by, account, roles=wanted, active=account.is_active, sites=site_ids):
        raise AccountError(_("You cannot remove your own staff administrator role or leave all your sites: "
                             "ask another staff administrator."))
    before = account_state(account, by=by)
    account.first_name, account.last_name, account.email = first_name, last_name, email
    account.save(update_fields=["first_name", "last_name", "email"])
    _set_roles(account, wanted)
    _set_sites(account, by=by, site_ids=site_ids)
    after = account_state(account, by=by)
    if expected and expected != before and after != before:
        raise AccountError(_("Someone changed this account after you opened it. Nothing was saved: "
                             "check it as it is now and change it again."))
    return account


@transaction.atomic
def account_active_set(*, by, account, active: bool) -> int:
    """Deactivate (ending every session at once, wherever the person is signed in) or reactivate the
    account. Idempotent; returns how many sessions ended."""
    account = User.objects.select_for_update().get(pk=account.pk)
    _check(by, account)
    if rules.locks_out(by, account, roles={rules.STAFF_ADMIN}, active=active):
        raise AccountError(_("You cannot deactivate your own account: ask another staff administrator."))
    if account.is_active != active:
        account.is_active = active
        account.save(update_fields=["is_active"])
    return 0 if active else sessions_end(user=account)


@transaction.atomic
def account_two_factor_reset(*, by, account, keep_session: str | None = None) -> int:
    """Delete the account's authenticator and recovery codes (a lost phone) and end its sessions: the
    person sets up a new authenticator at their next sign-in. Idempotent; returns the devices deleted."""
    account = User.objects.select_for_update().get(pk=account.pk)
    _check(by, account)
    deleted = 0
    for device in list(devices_for_user(account, confirmed=None)):
        device.delete()
        deleted += 1
    sessions_end(user=account, keep=keep_session if account.pk == by.pk else None)
    return deleted


def accounts_with_two_factor(accounts: Iterable) -> set[int]:
    """The ids among ``accounts`` with a confirmed authenticator (one query)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return set(TOTPDevice.objects.filter(user__in=[a.pk for a in accounts], confirmed=True)
               .values_list("user_id", flat=True))

