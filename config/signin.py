"""The page a locked-out sign-in gets (django-axes calls ``locked_out`` through AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """429 with the reason in the user's language: how many wrong passwords, and for how long
    signing in to that account from this address is paused. Says nothing about whether the account
    exists: an unknown username is counted and locked out the same way."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    return render(request, "registration/locked_out.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}, status=429)
