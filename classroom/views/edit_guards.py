"""The view side of edit guards: a create form posted again answers with the record made the first time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from classroom.forms.edit_guards import TOKEN_FIELD
from classroom.services.edit_guards import submission_target, used_tokens


def submitted_response(request, target, *, url_name: str, fallback: str,
                       pk_of: Callable[[Any], int] = lambda target: target.pk) -> HttpResponse:
    """Go to the record the first post made (or the list, if it was deleted since), saying why.

    ``pk_of`` names the page's object when it is not the record itself (a consent: its student).
    """
    if target is not None:
        messages.info(request, _("This form was already sent: the record was created once and is shown here."))
        url = reverse(url_name, args=[pk_of(target)])
    else:
        messages.info(request, _("This form was already sent, and the record it created has since been deleted."))
        url = reverse(fallback)
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)


def earlier_submission(request, form, *, url_name: str, fallback: str,
                       pk_of: Callable[[Any], int] = lambda target: target.pk) -> HttpResponse | None:
    """A repeat of a create post (a double tap, back and send again): the first record, before any check runs."""
    if request.method != "POST":
        return None
    earlier = submission_target(user=request.user, token=request.POST.get(form.add_prefix(TOKEN_FIELD), ""))
    if earlier is None:
        return None
    return submitted_response(request, earlier.target, url_name=url_name, fallback=fallback, pk_of=pk_of)


def used_form_tokens(request, record) -> str:
    """The create tokens ``record`` was made with by this user, for its page's ``data-autosave-used-tokens``:
    the device's copy of that create form is then dropped, so the next new form starts empty."""
    return " ".join(used_tokens(user=request.user, obj=record))
