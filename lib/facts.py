"""Derived rows kept in step with the rows they are derived from, whatever path writes them.

A model whose rows feed per-owner facts (a child's last attended class day, last visit...) uses
``FactsQuerySet`` and ``FactsModel``: every write the ORM can make to it (``save``, ``delete``,
``QuerySet.update``/``delete``/``bulk_create``, the managers' shortcuts) refreshes the facts of
the owners it touched, in the same transaction, before the write returns. The model names how
(``refresh_facts``), which owners a set of its rows touches (``fact_owners``) and which columns
matter (``FACT_FIELDS``: an update of other columns refreshes nothing).

Why at the ORM and not only in the services: facts that are wrong are worse than slow, and the
rows are also written by the admin, the API, the demo seed, factories and data fixes; at this
level none of them can forget. ``deferred()`` gathers the refreshes of a multi-row write (a
visit and its follow-ups, a seed) and runs each refresher once, for every owner, at its end.

``lib`` knows nothing of children: the owners are ids, the refresh a callable of the model.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator

from django.db import connections, models, router, transaction

_pending = threading.local()


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Inside, refreshes are collected; on the way out each refresher runs once (same transaction)."""
    outer = getattr(_pending, "queue", None)
    if outer is not None:  # nested: the outermost block refreshes
        yield
        return
    _pending.queue = {}
    try:
        with transaction.atomic():
            yield
            while _pending.queue:
                refresher, ids = _pending.queue.popitem()
                refresher(ids)
    finally:
        _pending.queue = None


def refresh(refresher, owner_ids: Iterable[int | None]) -> None:
    """Run ``refresher(ids)`` now, or at the end of the ``deferred()`` block around this call."""
    ids = {pk for pk in owner_ids if pk is not None}
    if not ids:
        return
    queue = getattr(_pending, "queue", None)
    if queue is not None:
        queue.setdefault(refresher, set()).update(ids)
    else:
        refresher(ids)


def _touches(fields: Iterable[str], watched: frozenset[str]) -> bool:
    return bool(set(fields) & watched)


class FactsQuerySet(models.QuerySet):
    """A queryset whose writes refresh the facts of the owners of the rows they touch."""

    def _owners(self) -> set[int]:
        return self.model.fact_owners(self)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            made = super().bulk_create(objs, *args, **kwargs)
            refresh(self.model.refresh_facts, self.model.fact_owners_of(objs))
        return made

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if not _touches(fields, self.model.FACT_FIELDS):
            return super().bulk_update(objs, fields, *args, **kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            owners = self.model.fact_owners(self.model._default_manager.filter(pk__in=[o.pk for o in objs]))
            done = super().bulk_update(objs, fields, *args, **kwargs)
            refresh(self.model.refresh_facts, owners | self.model.fact_owners_of(objs))
        return done

    def update(self, **kwargs):
        if not _touches(kwargs, self.model.FACT_FIELDS):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            owners = self._owners()  # before: the update may take the rows out of this filter
            done = super().update(**kwargs)
            owners |= self.model.fact_owners_after_update(kwargs)
            refresh(self.model.refresh_facts, owners)
        return done

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            owners = self._owners()
            done = super().delete()
            refresh(self.model.refresh_facts, owners)
        return done

    delete.alters_data = True


class FactsModel(models.Model):
    """A model whose rows feed facts: ``save`` and ``delete`` refresh them (see the module).

    A subclass names ``refresh_facts(owner_ids)``, the class method that recomputes the owners' facts.
    """

    FACT_FIELDS: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is not None and not _touches(fields, self.FACT_FIELDS):
            return super().save(*args, **kwargs)
        with transaction.atomic(savepoint=False):
            before = self.fact_owners(type(self)._default_manager.filter(pk=self.pk)) if self.pk else set()
            super().save(*args, **kwargs)
            refresh(self.refresh_facts, before | self.fact_owners_of([self]))

    def delete(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            owners = self.fact_owners(type(self)._default_manager.filter(pk=self.pk))
            done = super().delete(*args, **kwargs)
            refresh(self.refresh_facts, owners)
        return done

    @classmethod
    def fact_owners(cls, queryset) -> set[int]:
        """The owners whose facts the rows of ``queryset`` feed (a query)."""
        return set(queryset.values_list("student_id", flat=True))

    @classmethod
    def fact_owners_of(cls, objs) -> set[int]:
        """The owners of unsaved or just saved instances (no query)."""
        return {obj.student_id for obj in objs}

    @classmethod
    def fact_owners_after_update(cls, values: dict) -> set[int]:
        """Owners an ``update(**values)`` moves rows to (a changed owner)."""
        owner = values.get("student", values.get("student_id"))
        return {getattr(owner, "pk", owner)} if owner is not None else set()


def lock_owners(owner_model, owner_ids) -> None:
    """Lock the owners' rows (in id order), so that a refresh beside another write of the same owner
    reads that write once it is committed. Only where the database has row locks: SQLite lets one
    writer at a time hold the database from its first write to its commit, which serialises the same."""
    db = router.db_for_write(owner_model)
    if connections[db].features.has_select_for_update:
        list(owner_model._default_manager.select_for_update().filter(pk__in=sorted(owner_ids)).order_by("pk")
             .values_list("pk", flat=True))


def upsert_from(facts_model, source, columns: dict[str, str]) -> None:
    """One ``INSERT INTO facts SELECT ... FROM (source) ON CONFLICT (pk) DO UPDATE``: the facts of
    every row of ``source`` (a values() queryset whose first column is the owner's id, named
    ``owner``) computed and written by the database in a single statement.

    ``columns`` maps each facts column to an SQL expression over ``src``, the source's columns.
    """
    db = router.db_for_write(facts_model)
    connection = connections[db]
    qn = connection.ops.quote_name
    sql, params = source.query.get_compiler(db).as_sql()
    pk = facts_model._meta.pk.column
    names = [pk, *columns]
    select = ", ".join(['src."owner"', *columns.values()])
    updates = ", ".join(f"{qn(name)} = excluded.{qn(name)}" for name in columns)
    statement = (f"INSERT INTO {qn(facts_model._meta.db_table)} ({', '.join(qn(n) for n in names)}) "
                 f"SELECT {select} FROM ({sql}) src WHERE 1 = 1 "  # WHERE: SQLite's parser needs it before ON CONFLICT
                 f"ON CONFLICT ({qn(pk)}) DO UPDATE SET {updates}")
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
