"""Writes that never lose an edit and never double a create.

``version_claim`` is called by every service that saves an edited record: it moves the stored
version from the one the form was opened at to the next, in one ``UPDATE ... WHERE version =
expected`` that holds the row until the transaction ends, so of two saves from the same version
exactly one wins and the other raises ``EditConflict`` with the record as it is now.

``create_once`` wraps every create a form makes: the form's token is claimed in the same
transaction as the record, under a unique constraint, so a second post with the same token
(one after the other, or at the same moment) creates nothing and gets the first record back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from classroom.exceptions import DomainError
from classroom.models import FormSubmission

M = TypeVar("M", bound=models.Model)
TOKEN_PATTERN = re.compile(r"[0-9a-f]{32}")


class EditConflict(DomainError):
    """Someone saved the record after the form was opened. ``current`` is the record as saved now."""

    def __init__(self, current: models.Model, message: str | None = None):
        super().__init__(message or _(
            "Someone else saved this record after you opened it. Nothing was overwritten: what you typed is "
            "still in the form. Compare it with the saved version below, change what you need, and save again."
        ))
        self.current = current


class AlreadySubmitted(DomainError):
    """A create form's token was used before; ``target`` is the record its first post made (or None)."""

    def __init__(self, target: models.Model | None):
        super().__init__(_("This form was already sent: the record was created once and not again."))
        self.target = target


def version_claim(obj: models.Model, *, expected: int | None) -> None:
    """Move ``obj``'s stored version from ``expected`` to the next, or raise ``EditConflict``.

    Call inside the transaction that saves ``obj``. ``expected=None`` (a caller that never saw a
    version, such as a script) only increments. Sets ``obj.version`` to the new value, so a
    following ``obj.save()`` keeps it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("version_claim must run inside the transaction that saves the record.")
    manager = type(obj)._base_manager
    rows = manager.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if not rows.update(version=F("version") + 1):
        current = manager.filter(pk=obj.pk).first()
        if current is None:
            raise DomainError(_("This record was deleted by someone else while you were editing it."))
        raise EditConflict(current)
    obj.version = manager.filter(pk=obj.pk).values_list("version", flat=True).get()


def version_touch(obj: models.Model) -> None:
    """A change made without a form (a tap, a status step): the version moves on, so open forms notice."""
    version_claim(obj, expected=None)


def save_versioned(obj: M, *, expected: int | None, **save_kwargs) -> M:
    """Save ``obj``: a new one as it is, an existing one only from the version it was read at."""
    if obj.pk is not None and not obj._state.adding:
        version_claim(obj, expected=expected)
        if "update_fields" in save_kwargs:
            save_kwargs["update_fields"] = [*save_kwargs["update_fields"], "version"]
    obj.save(**save_kwargs)
    return obj


def submission_target(*, user, token: str | None) -> FormSubmission | None:
    """The earlier submission of this form by ``user``, if its token was used already."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token) or not getattr(user, "pk", None):
        return None
    return FormSubmission.objects.filter(user=user, token=token).select_related("content_type").first()


@transaction.atomic
def create_once(*, user, token: str | None, create: Callable[[], M]) -> M:
    """Run ``create`` once per (user, token); a repeat raises ``AlreadySubmitted`` with the first record.

    The token is claimed first, in this transaction: a concurrent post with the same token waits
    on the unique constraint (PostgreSQL) or the write lock (SQLite) until this one commits, then
    finds the claim. If ``create`` fails, the claim is rolled back with it and the form can be sent
    again. Without a token (a client that does not send one) ``create`` simply runs.
    """
    if not token or not getattr(user, "pk", None):
        return create()
    if not TOKEN_PATTERN.fullmatch(token):
        raise DomainError(_("This form is out of date. Open it again from the record's page."))
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(user=user, token=token)
    except IntegrityError:
        earlier = FormSubmission.objects.select_related("content_type").get(user=user, token=token)
        raise AlreadySubmitted(earlier.target) from None
    obj = create()
    claim.content_type = ContentType.objects.get_for_model(obj)
    claim.object_id = obj.pk
    claim.save(update_fields=["content_type", "object_id"])
    return obj


def submission_record(*, user, token: str | None, obj: models.Model) -> None:
    """Claim ``token`` for a record made some other way (an autosave's first save), if it is free."""
    if not token or not TOKEN_PATTERN.fullmatch(token) or not getattr(user, "pk", None):
        return
    with transaction.atomic():
        FormSubmission.objects.get_or_create(
            user=user, token=token,
            defaults={"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk},
        )


def used_tokens(*, user, obj: models.Model) -> list[str]:
    """The create-form tokens with which ``user`` made ``obj`` (a read, for the record's page)."""
    if not getattr(user, "pk", None) or obj.pk is None:
        return []
    return list(FormSubmission.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
    ).values_list("token", flat=True))
