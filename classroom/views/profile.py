"""The user's own page: who they are, their roles and sites, where they are signed in, and their personal
API tokens."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from classroom import rules
from classroom.exceptions import DomainError
from classroom.forms.tokens import ApiTokenForm
from classroom.models import ApiToken, SignedInSession, Site
from classroom.services.edit_guards import AlreadySubmitted, create_once
from classroom.services.sessions import session_end, sessions_end
from classroom.services.tokens import token_create, token_revoke
from lib.middleware import quiet, session_time_left, session_touch
from lib.names import person_name

TEMPLATE = "classroom/profile.html"


def _context(request, form: ApiTokenForm, new_key: str = "") -> dict:
    user = request.user
    return {
        "name": person_name(user) or user.get_username(),
        "roles": rules.role_labels(rules.roles_of(user)),
        "sites": Site.objects.visible_to(user).order_by("name") if rules.can_manage_classroom(user) else [],
        "tokens": list(ApiToken.objects.filter(user=user)),
        "sessions": list(SignedInSession.objects.filter(user=user)),
        "this_session": request.session.session_key,
        "form": form,
        "new_key": new_key,
    }


@login_required
@require_safe
def profile(request):
    return render(request, TEMPLATE, _context(request, ApiTokenForm()))


@login_required
@require_POST
def token_create_view(request):
    """Make a token and show its key once, in this answer only (it is not stored)."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token = create_once(user=request.user, token=form.create_token, create=lambda: _made(request, form))
        except AlreadySubmitted:
            messages.info(request, _("This form was already sent: the token was made once, and its key shown once."))
            return redirect("classroom:profile")
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The token “%(name)s” was made.") % {"name": token.name})
            return render(request, TEMPLATE, _context(request, ApiTokenForm(), new_key=token.key_shown))
    return render(request, TEMPLATE, _context(request, form))


def _made(request, form: ApiTokenForm) -> ApiToken:
    token, key = token_create(user=request.user, name=form.cleaned_data["name"],
                              expires_on=form.cleaned_data["expires_on"])
    token.key_shown = key
    return token


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request, pk: int):
    """Ask, then revoke one of the user's own tokens (anyone else's: 404)."""
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    if request.method == "POST":
        token_revoke(token=token, by=request.user)
        messages.success(request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name})
        return redirect("classroom:profile")
    return render(request, "classroom/token_revoke.html", {"token": token})


@login_required
@require_POST
def session_end_view(request, pk: int):
    """End one of the user's own sessions (another browser, a lost phone); another user's: 404."""
    record = get_object_or_404(SignedInSession, user=request.user, pk=pk)
    if record.session_key == request.session.session_key:
        return redirect("logout")  # the page offers sign-out for this one; never reached from it
    session_end(user=request.user, pk=record.pk)
    messages.success(request, _("That session has ended: the browser there must sign in again."))
    return redirect("/accounts/profile/#sessions")


@login_required
@require_POST
def sessions_end_others_view(request):
    count = sessions_end(user=request.user, keep=request.session.session_key)
    messages.success(request, _("Every other session has ended (%(count)s).") % {"count": count})
    return redirect("/accounts/profile/#sessions")


@quiet
@login_required
@require_safe
def session_status(request):
    """How long this session has left, in whole seconds, as the server counts it: ``idle`` until the
    idle timeout, ``absolute`` until the session's lifetime ends. Asking is not activity (a quiet request,
    lib/middleware.py): the page asks it before warning that the session is about to end
    (static/js/session-timeout.js, JIS X 8341-3 / WCAG 2.2.1). Signed out: the sign-in redirect."""
    idle, absolute = session_time_left(request)
    # Rounded up: 0 only once the session has ended (the page then shows "signed out").
    return JsonResponse({"idle": max(0, math.ceil(idle)), "absolute": max(0, math.ceil(absolute))})


@login_required
@require_POST
def session_keepalive(request):
    """The person pressed "stay signed in": the idle count starts again now (the absolute lifetime does not)."""
    session_touch(request)
    return HttpResponse(status=204)
