"""Two-factor sign-in pages: the overview, setting up an authenticator, the code after the password,
the recovery codes (shown once), and turning it off where it is not required."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from classroom import rules
from classroom.services import two_factor as service
from classroom.two_factor import STATE, VERIFIED, pending_step

NEW_CODES = "yorisoi_new_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=40, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True,
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )


def _next(request, default="classroom:home"):
    """Where to go after the second factor: a path of this site (``/students/``), else ``default`` (a URL
    name). Anything else (another host, a bare word that ``redirect`` would take for a view name) is ignored."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (target.startswith("/") and not target.startswith("//")
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target
    return default


def _show_new_codes(request, codes: list[str]):
    request.session[NEW_CODES] = codes
    return redirect("classroom:two_factor_codes")


@login_required
def two_factor(request):
    return render(request, "classroom/two_factor/overview.html", {
        "enabled": service.has_two_factor(request.user),
        "required": rules.two_factor_required(request.user),
        "codes_left": service.recovery_codes_left(request.user),
    })


@login_required
def two_factor_setup(request):
    user = request.user
    if service.has_two_factor(user) and request.session.get(STATE) != VERIFIED:
        return redirect("classroom:two_factor_verify")  # a password alone never replaces an authenticator
    device = service.two_factor_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = service.two_factor_confirm(user=user, device=device, token=form.cleaned_data["code"])
        except service.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            otp_login(request, device)
            request.session[STATE] = VERIFIED
            messages.success(request, _("Two-factor sign-in is on. Keep the recovery codes somewhere safe."))
            request.session["yorisoi_after_codes"] = _next(request, "")
            return _show_new_codes(request, codes)
    uri = device.config_url
    return render(request, "classroom/two_factor/setup.html", {
        "form": form, "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(_base32(device)[i:i + 4] for i in range(0, len(_base32(device)), 4)),
        "required": rules.two_factor_required(user), "next": _next(request, ""),
    })


def _base32(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


@login_required
def two_factor_verify(request):
    if pending_step(request) != "verify":
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = service.two_factor_verify(user=request.user, token=form.cleaned_data["code"])
        except service.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            otp_login(request, device)
            request.session[STATE] = VERIFIED
            if device.name == service.RECOVERY:
                messages.warning(request, _("You signed in with a recovery code; %(left)s are left.")
                                 % {"left": service.recovery_codes_left(request.user)})
            return redirect(_next(request))
    return render(request, "classroom/two_factor/verify.html", {"form": form, "next": _next(request, "")})


@login_required
def two_factor_codes(request):
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("classroom:two_factor")
    return render(request, "classroom/two_factor/codes.html",
                  {"codes": codes, "next": request.session.pop("yorisoi_after_codes", "")})


@login_required
@require_POST
def two_factor_recovery_renew(request):
    if not service.has_two_factor(request.user):
        return redirect("classroom:two_factor")
    return _show_new_codes(request, service.recovery_codes_renew(user=request.user))


@login_required
@require_POST
def two_factor_turn_off(request):
    if rules.two_factor_required(request.user):
        messages.error(request, _("Your role signs in with two factors: it cannot be turned off."))
    else:
        service.two_factor_turn_off(user=request.user)
        request.session[STATE] = "none"
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("classroom:two_factor")
