"""Two-factor sign-in (django-otp): an authenticator app's TOTP codes, and ten single-use recovery codes.

A user has at most one authenticator (a ``TOTPDevice`` named "authenticator") and one set of recovery
codes (a ``StaticDevice`` named "recovery"). Setting up makes an unconfirmed authenticator; the first
code it shows confirms it and makes the recovery codes. django-otp throttles wrong codes per device
(each wrong code doubles the wait).
"""

from __future__ import annotations

import unicodedata

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from classroom.exceptions import DomainError

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"
RECOVERY_CODES = 10


class TwoFactorError(DomainError):
    """A code was refused (wrong, used, or asked too soon after wrong ones)."""


def _clean(token: str) -> str:
    """Full-width digits (a Japanese input method's) become ASCII; spaces and hyphens go."""
    return "".join(unicodedata.normalize("NFKC", token or "").split()).replace("-", "").lower()[:32]


def has_two_factor(user) -> bool:
    """The user has a confirmed authenticator (recovery codes come with it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count()


@transaction.atomic
def two_factor_start(*, user) -> TOTPDevice:
    """The authenticator to set up: the user's unconfirmed one, or a new one with a new secret."""
    device = TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def _check(device, token: str) -> bool:
    allowed, data = device.verify_is_allowed()
    if not allowed:
        raise TwoFactorError(_("Too many wrong codes. Wait a little and try again."))
    return device.verify_token(token)


@transaction.atomic
def two_factor_confirm(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm ``device`` with the code it shows now; replaces any earlier authenticator and returns
    the new recovery codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not _check(device, _clean(token)):
        raise TwoFactorError(_("That code is not right. Enter the six digits the app shows now."))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """Ten new recovery codes; the earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_verify(*, user, token: str):
    """The device that accepts ``token`` (an authenticator's six digits, or a recovery code, used up),
    or a ``TwoFactorError``. Six digits are tried on the authenticator only and anything else on the
    recovery codes only, so that a recovery code never counts as a wrong authenticator code."""
    token = _clean(token)
    if not token:
        raise TwoFactorError(_("Enter the code."))
    kind = TOTPDevice if token.isascii() and token.isdigit() else StaticDevice
    # The devices are locked for verifying (select_for_update): read and checked in one transaction, so two
    # requests with the same code cannot both pass, and a wrong code's throttling count is committed.
    with transaction.atomic():
        matched = next((device for device in devices_for_user(user, confirmed=True, for_verify=True)
                        if isinstance(device, kind) and _check(device, token)), None)
    if matched is not None:
        return matched
    raise TwoFactorError(_("That code is not right. Enter the six digits the app shows now, or a recovery code."))


@transaction.atomic
def two_factor_turn_off(*, user) -> None:
    """Remove the authenticator and the recovery codes (only where two-factor is not required)."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
