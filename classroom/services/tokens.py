"""Personal API tokens: made, named and revoked by their user on the profile page; checked on each API call.

A key is ``ysk_`` and 43 random characters from ``secrets``; only its SHA-256 is stored, and it is
compared with ``hmac.compare_digest``. A token carries its user's own access and no more: the API
then asks the same rules as the screens, as that user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.contrib.auth.base_user import AbstractBaseUser as User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import ApiToken

KEY_START = "ysk_"
PREFIX_LENGTH = 12  # "ysk_" and 8 characters of the secret: enough to tell one's tokens apart
DEFAULT_DAYS = 90
MAX_DAYS = 366
MAX_TOKENS = 20  # per user, not revoked and not expired
LAST_USED_EVERY = dt.timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, expires_on: dt.date, today: dt.date | None = None) -> tuple[ApiToken, str]:
    """Make a token for ``user`` valid to the end of ``expires_on`` (Japan time); returns it and its key.

    The key is returned only here: it is not stored and cannot be shown again. Raises
    ``DomainError`` for an expiry not within a year from today, or past the user's token limit.
    """
    today = today or timezone.localdate()
    if not today < expires_on <= today + dt.timedelta(days=MAX_DAYS):
        raise DomainError(_("Choose an expiry date after today and at most a year ahead."))
    if ApiToken.objects.filter(user=user).usable().count() >= MAX_TOKENS:
        raise DomainError(_("You have %(count)s tokens in use: revoke one first.") % {"count": MAX_TOKENS})
    key = KEY_START + secrets.token_urlsafe(32)
    end = timezone.make_aware(dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time()))
    token = ApiToken.objects.create(user=user, name=name.strip(), prefix=key[:PREFIX_LENGTH], key_hash=_hash(key),
                                    expires_at=end)
    return token, key


def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke ``token`` from now on (idempotent: a revoked token keeps its first revocation time)."""
    if token.user_id != by.pk:
        raise DomainError(_("This token is not yours."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def token_user(key: str) -> User | None:
    """The user a key acts as, or None: unknown, revoked or expired key, inactive user, or a user with
    no role they may act in now (a volunteer whose access ended, and nothing else)."""
    if not key.startswith(KEY_START) or len(key) > 100:
        return None
    digest = _hash(key)
    now = timezone.now()
    found = None
    for token in ApiToken.objects.usable(now).filter(prefix=key[:PREFIX_LENGTH]).select_related("user"):
        if hmac.compare_digest(token.key_hash, digest):
            found = token
    if found is None or not found.user.is_active:
        return None
    user = found.user
    if rules.has_role(user, rules.VOLUNTEER) and not (rules.acting_roles(user) or rules.is_superuser(user)):
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return user
