"""Where a user is signed in, and ending it: at sign-out, from the profile page, and when the account is
deactivated (every session at once, wherever it is).

Sign-in and sign-out are Django's own flow, so ``classroom.apps`` records them through Django's
``user_logged_in`` / ``user_logged_out`` signals (the one place Yorisoi listens to a signal: the flow is
not ours); the session timeout middleware touches ``last_seen_at`` when it touches the session.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from classroom.models import SignedInSession

USER_AGENT_LENGTH = 200


def _store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def session_record(*, request, user) -> None:
    """At sign-in: the session the request now carries (its key changed at sign-in)."""
    if not request.session.session_key:
        request.session.save()
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "address": request.META.get("REMOTE_ADDR") or None,
                  "user_agent": (request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_LENGTH].replace("\x00", "")},
    )


def session_touch(*, session_key: str | None) -> None:
    """The session was used (asked at most once a minute by the session timeout middleware)."""
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).update(last_seen_at=timezone.now())


def session_forget(*, session_key: str | None) -> None:
    """At sign-out: the session itself is flushed by Django."""
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def session_end(*, user, pk: int) -> bool:
    """End one of ``user``'s own sessions (another user's: nothing happens, ``False``)."""
    record = SignedInSession.objects.select_for_update().filter(user=user, pk=pk).first()
    if record is None:
        return False
    _store(record.session_key).delete()
    record.delete()
    return True


def sessions_end(*, user, keep: str | None = None) -> int:
    """End every session of ``user`` (but ``keep``, the session key of the request asking): at once,
    wherever they are signed in. Returns how many ended."""
    ended = 0
    for record in SignedInSession.objects.filter(user=user).exclude(session_key=keep or ""):
        _store(record.session_key).delete()
        record.delete()
        ended += 1
    return ended
