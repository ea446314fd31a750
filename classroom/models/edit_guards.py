"""What keeps edits from being lost and creates from being doubled.

Every edited record carries a ``version`` that each save increments: a form remembers the
version it was opened at, and a save from an older version is refused instead of silently
overwriting someone else's change (``classroom.services.edit_guards``). Every create form
carries a token: the first post with it makes the record and claims the token here, a
repeat post (a double tap, a back-and-resubmit, two requests at once) finds the record the
first one made. The database's unique constraint decides, so concurrent posts are safe.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class VersionedModel(models.Model):
    """A record edited through forms: ``version`` goes up by one with every save of a form."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class FormSubmission(models.Model):
    """A create form's token, once used by a user, and the record its first post created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="unique_form_submission")]

    def __str__(self):
        return f"{self.user_id} {self.token}"

    @property
    def target(self) -> models.Model | None:
        """The record the first post created, or None when it has been deleted since."""
        if self.content_type_id is None or self.object_id is None:
            return None
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_id).first() if model else None
