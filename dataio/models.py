"""The records of data in and out: imports (who, when, which file, what it changed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from classroom import rules
from lib.names import person_name


class ImportKind(models.TextChoices):
    STUDENTS = "students", _("Students and households")
    VOLUNTEERS = "volunteers", _("Volunteers")
    PARTNERS = "partners", _("Partners")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Not confirmed")
    DONE = "done", _("Imported")
    CANCELLED = "cancelled", _("Discarded")


class ImportRunQuerySet(rules.SiteScopedQuerySet):
    """The staff of a site see the imports into it; nobody else sees any."""

    site_path = "site"
    readers = (rules.STAFF,)


class ImportRun(models.Model):
    """One upload: its parsed rows wait here between the preview and the confirmation.

    ``rows`` holds the file's cells as text (what the preview and the error file show); the
    counts are those of the last preview, then of the write. After the write the rows that
    went in are dropped (only the failed ones stay, for the error file); the counts stay.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    site = models.ForeignKey("classroom.Site", on_delete=models.PROTECT, related_name="import_runs",
                             verbose_name=_("site"))
    file_name = models.CharField(_("file name"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_runs",
                                   verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    headings = models.JSONField(default=list)  # the file's column headings, in order
    mapping = models.JSONField(default=dict)  # column index (as text) -> field key, "" to ignore
    first_row = models.PositiveIntegerField(default=2)  # the spreadsheet row number of rows[0]
    rows = models.JSONField(default=list)  # list of lists of cell text
    plan = models.JSONField(default=list)  # per row: {"action": ..., "errors": [[column, message]], "changes": [...]}
    # A digest of the records the plan was made against: the same at the confirmation, the rows are
    # written from the values kept in the plan; otherwise they are planned again ("" : always).
    state = models.CharField(max_length=64, blank=True, editable=False)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    update_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.file_name

    @property
    def uploaded_by_name(self) -> str:
        return person_name(self.created_by)

    @property
    def confirmed_by_name(self) -> str:
        return person_name(self.confirmed_by) if self.confirmed_by_id else ""

    @property
    def row_count(self) -> int:
        return self.new_count + self.update_count + self.unchanged_count + self.error_count


class ImportMapping(models.Model):
    """A column heading matched by hand to a field, remembered for the next import of the kind into the site."""

    site = models.ForeignKey("classroom.Site", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    heading = models.CharField(max_length=100)
    field = models.CharField(max_length=40, blank=True)  # "" : the column is ignored

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "kind", "heading"], name="unique_import_mapping")]

    def __str__(self):
        return f"{self.heading} -> {self.field or '-'}"
