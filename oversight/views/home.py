"""The staff administrator's landing: where the accounts, the access log and the change history are."""

from __future__ import annotations

from django.shortcuts import render

from classroom import rules


@rules.staff_admin_required
def home(request):
    return render(request, "oversight/home.html", {"sites": rules.account_sites(request.user).order_by("name")})
