"""The outbox: mail that could not be sent yet, or was given up on, with a retry. Staff only."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import rules
from classroom.exceptions import DomainError
from classroom.models import MessageStatus, OutgoingMessage
from classroom.services.outbox import error_explain, message_retry

SHOWN = 100


def attention_count(user) -> int:
    """How many of the user's messages need a look (for the staff home card)."""
    return OutgoingMessage.objects.visible_to(user).needing_attention().count()


@rules.role_required(rules.STAFF)
def outbox(request):
    """Failed and waiting messages first (each with its error and a retry), then the last ones sent."""
    visible = OutgoingMessage.objects.visible_to(request.user).select_related("site")
    attention = visible.needing_attention().order_by("-created_at", "-pk")
    shown = list(attention[:SHOWN])
    for message in shown:
        message.error_explained = error_explain(message.last_error)
    return render(request, "classroom/outbox.html", {
        "attention": shown,
        "attention_count": attention.count(),
        "waiting_count": visible.filter(status=MessageStatus.PENDING, attempts=0).count(),
        "sent": list(visible.filter(status=MessageStatus.SENT).order_by("-sent_at", "-pk")[:20]),
    })


@rules.role_required(rules.STAFF)
@require_POST
def outbox_retry(request, pk: int):
    message = get_object_or_404(OutgoingMessage.objects.visible_to(request.user), pk=pk)
    try:
        message = message_retry(message=message, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if message.status == MessageStatus.SENT:
            messages.success(request, _("The message was sent."))
        else:
            messages.error(request, _("The message could not be sent again: %(error)s")
                           % {"error": error_explain(message.last_error)})
    return redirect("classroom:outbox")
