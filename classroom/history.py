"""The change history of every record that holds personal data (issue 14): who, when, through which
screen or API, and the values before and after.

django-simple-history keeps one historical table per model (``HistoricalStudent``...) with a full
snapshot of the record per change, so "before and after" is the difference of two rows, and the rows
stay when the record is deleted. Each historical row also carries, from ``HistoryBase``:

- ``history_via``: how the change came: ``screen <url name>``, ``API <METHOD> <path>``, ``admin``,
  ``import``, ``command <name>``;
- ``history_user_label``: who made it, as named then (the account may be deleted later: the
  ``history_user`` link is set to null, the label stays);
- ``history_sites``: the sites the record belonged to (",1,3,"), which is what a staff administrator's
  reading of the history is scoped by (``rules.history_scope``), also once the record is gone.

``track()`` builds the ``HistoricalRecords`` field every such model declares; ``history_via`` names the
channel of writes outside a request (imports, commands); ``bulk_history`` writes the rows of bulk
inserts and updates, which send no signal.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from lib.names import person_name

_via: contextvars.ContextVar[str] = contextvars.ContextVar("yorisoi_history_via", default="")
_by: contextvars.ContextVar = contextvars.ContextVar("yorisoi_history_by", default=None)



class HistoryBase(models.Model):
    """The fields every historical row adds to the snapshot of its record."""

    history_via = models.CharField(_("changed through"), max_length=200, blank=True)
    history_user_label = models.CharField(_("changed by"), max_length=150, blank=True)
    history_sites = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        abstract = True


def track(*, excluded_fields: list[str] | None = None) -> HistoricalRecords:
    """The history of a model holding personal data. ``history_user`` is set to null when the account is
    deleted (simple-history's default); ``history_user_label`` keeps who it was."""
    return HistoricalRecords(bases=[HistoryBase], excluded_fields=excluded_fields or [],
                             cascade_delete_history=False)


@contextlib.contextmanager
def history_via(label: str, by=None):
    """Writes inside this block record ``label`` as their channel ("import #12"), and ``by`` as who made
    them when no signed-in request says it."""
    token, token_by = _via.set(label), _by.set(by)
    try:
        yield
    finally:
        _via.reset(token)
        _by.reset(token_by)


def current_via() -> str:
    """The channel of a write now: the block's label, else the request's screen or API call, else the command."""
    if label := _via.get():
        return label
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        path = request.path
        if path.startswith("/api/"):
            return f"API {request.method} {path}"[:200]
        if path.startswith("/admin/"):
            return "admin"
        match = getattr(request, "resolver_match", None)
        return f"screen {match.view_name if match else path}"[:200]
    argv = sys.argv
    if len(argv) > 1 and argv[0].endswith(("manage.py", "django-admin")):
        return f"command {argv[1]}"[:200]
    return "system"


# How each channel reads on the history's pages (the stored text stays as written: "screen <url name>").
CHANNELS = {
    "screen": pgettext_lazy("history channel", "Screen"),
    "API": pgettext_lazy("history channel", "API"),
    "import": pgettext_lazy("history channel", "Import"),
    "command": pgettext_lazy("history channel", "Command"),
    "admin": pgettext_lazy("history channel", "Django administration"),
    "system": pgettext_lazy("history channel", "System"),
}


def via_label(via: str) -> str:
    """A stored channel in the reader's language: "screen classroom:student_edit" reads 「画面 classroom:student_edit」."""
    kind, _space, rest = (via or "").partition(" ")
    if kind not in CHANNELS:
        return via or ""
    return f"{CHANNELS[kind]} {rest}".strip()


def user_label(user) -> str:
    if user is None or not getattr(user, "pk", None):
        return ""
    return person_name(user)[:150]


def sites_of(instance) -> str:
    """",1,3,": the sites of the record, by its model's ``history_site_path`` (the ORM path to its site).

    A path through a foreign key is asked of the related record (so a deleted record still answers);
    one through a reverse or many-to-many relation is asked of the record's own row.
    """
    model = type(instance)
    path = getattr(model, "history_site_path", "site")
    first, _, rest = path.partition("__")
    field = model._meta.get_field(first)
    ids: list = []
    if field.many_to_one or (field.one_to_one and field.concrete):
        value = getattr(instance, field.attname)
        if value is None:
            ids = []
        elif not rest:
            ids = [value]
        elif rest == "site" and field.is_cached(instance):
            ids = [getattr(instance, first).site_id]
        else:
            ids = list(field.related_model._base_manager.filter(pk=value).values_list(rest, flat=True))
    elif instance.pk is not None:
        ids = list(model._base_manager.filter(pk=instance.pk).values_list(path, flat=True))
    ids = sorted({i for i in ids if i is not None})
    return f",{','.join(map(str, ids))}," if ids else ""


def fill(row, instance, user=None, sites: str | None = None) -> None:
    """Set the added fields of a historical row of ``instance``."""
    if row.history_user_id is None and user is None and _by.get() is not None:
        row.history_user = user = _by.get()
    row.history_via = current_via()
    row.history_user_label = user_label(user if user is not None else row.history_user)
    row.history_sites = sites_of(instance) if sites is None else sites
    if not row.history_sites and row.history_type == "-":
        # Deleted: the record cannot be asked any more, its previous row knows its sites.
        id_name = type(instance)._meta.pk.attname
        row.history_sites = (type(row)._default_manager.filter(**{id_name: instance.pk})
                             .order_by("-history_date", "-history_id").values_list("history_sites", flat=True)
                             .first()) or ""


def _on_historical_record(sender, instance, history_instance, **kwargs) -> None:
    fill(history_instance, instance)


pre_create_historical_record.connect(_on_historical_record, dispatch_uid="yorisoi_history_fields")


def bulk_history(model, objs, *, update: bool = False, by=None) -> None:
    """The historical rows of records just written by ``bulk_create`` (or ``bulk_update``: ``update``),
    in one insert, filled as the signal fills those of single saves."""
    objs = [o for o in objs if o.pk is not None]
    if not objs:
        return
    history = model.history.model
    request = getattr(HistoricalRecords.context, "request", None)
    if by is None and request is not None and getattr(request.user, "is_authenticated", False):
        by = request.user
    by = by or _by.get()
    now = timezone.now()
    path = getattr(model, "history_site_path", "site")
    sites: dict = {}
    if path != "site":  # one query for every record's sites
        for pk, site_id in model._base_manager.filter(pk__in=[o.pk for o in objs]).values_list("pk", path):
            if site_id is not None:
                sites.setdefault(pk, set()).add(site_id)
    rows = []
    for obj in objs:
        row = history(history_date=now, history_type="~" if update else "+", history_user=by,
                      history_change_reason="",
                      **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields})
        ids = sorted(sites.get(obj.pk, ())) if path != "site" else [obj.site_id]
        fill(row, obj, by, sites=f",{','.join(map(str, ids))}," if ids else "")
        rows.append(row)
    history.objects.bulk_create(rows, batch_size=500)


def tracked_models() -> list:
    """Every model that keeps a history, in the order of the apps and their models."""
    from django.apps import apps

    return [m for m in apps.get_models() if getattr(m._meta, "simple_history_manager_attribute", None)
            and hasattr(m, "history_site_path")]
