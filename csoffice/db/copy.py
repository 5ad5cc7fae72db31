"""Copying a whole database to another one: SQLite to PostgreSQL when an office grows to
several desks, and back. Counts are compared table by table afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import peewee

from csoffice.db import migrations
from csoffice.db.bulk import execute_many
from csoffice.db.database import DatabaseTarget, connect, parse_target
from csoffice.db.models import ALL_MODELS, CustomerContact
from csoffice.errors import CsofficeError
from csoffice.i18n import _

BATCH = 2000


@dataclass
class CopyReport:
    """Rows per table in the source and in the copy."""

    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(source == copied for source, copied in self.counts.values())


def _self_references(model: type[peewee.Model]) -> list[peewee.ForeignKeyField]:
    return [f for f in model._meta.refs if f.rel_model is model]


def _reset_sequences(database: peewee.Database) -> None:
    if not isinstance(database, peewee.PostgresqlDatabase):
        return
    for model in ALL_MODELS:
        primary = model._meta.primary_key
        if isinstance(primary, peewee.AutoField):
            table = model._meta.table_name
            database.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX("id") FROM "{table}"), 0) + 1, false)'
            )


def copy_database(
    source_url: str, target_url: str, progress: Callable[[str, int], None] | None = None
) -> CopyReport:
    """Copy every table of the database at ``source_url`` into the empty one at ``target_url``.

    The target is created at the same schema version; it must hold no csoffice data yet.
    Rows keep their ids, so every link between records survives.
    """
    source_target, target_target = parse_target(source_url), parse_target(target_url)
    if source_target == target_target:
        raise CsofficeError(_("The source and the target are the same database."))
    source = connect(source_target)
    target = connect(target_target)
    try:
        version = migrations.current_version(source)
        if version != migrations.LATEST:
            raise CsofficeError(
                _("Open the source database with this csoffice once first, to bring it up to date.")
            )
        migrations.upgrade(
            target, DatabaseTarget(target_target.kind, target_target.path, target_target.url)
        )
        report = CopyReport()
        models = [
            model
            for model in peewee.sort_models(ALL_MODELS)  # pyright: ignore[reportAttributeAccessIssue]
            # Derived: the target's own triggers fill it as the contacts arrive.
            if model is not CustomerContact
        ]
        with target.bind_ctx(models):
            for model in models:
                if model.select().exists():
                    raise CsofficeError(_("The target database already holds csoffice data."))
        with target.atomic():
            for model in models:
                copied = _copy_table(model, source, target, progress)
                report.counts[model._meta.table_name] = copied
            _reset_sequences(target)
            report.counts[CustomerContact._meta.table_name] = _count(
                CustomerContact, source, target
            )
        target.execute_sql("ANALYZE")  # fresh statistics, or PostgreSQL plans searches blind
        return report
    finally:
        source.close()
        target.close()


def _count(
    model: type[peewee.Model], source: peewee.Database, target: peewee.Database
) -> tuple[int, int]:
    with source.bind_ctx([model]):
        in_source = model.select().count()
    with target.bind_ctx([model]):
        return in_source, model.select().count()


def _copy_table(
    model: type[peewee.Model],
    source: peewee.Database,
    target: peewee.Database,
    progress: Callable[[str, int], None] | None,
) -> tuple[int, int]:
    fields = list(model._meta.sorted_fields)
    names = [f.column_name for f in fields]
    # Positions by name: peewee fields overload ==, so list.index() cannot find them.
    deferred = [names.index(ref.column_name) for ref in _self_references(model)]
    primary = model._meta.primary_key
    assert isinstance(primary, peewee.Field)  # every model here has an id column
    key_index = names.index(primary.column_name)
    columns = ", ".join(f'"{name}"' for name in names)
    insert = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({", ".join([target.param] * len(names))})'
    later: list[tuple[object, ...]] = []
    total = 0
    with source.bind_ctx([model]):
        query = model.select(*fields).order_by(fields[key_index]).tuples()
        batch: list[list[object]] = []
        for row in query.iterator():
            values = [field.db_value(value) for field, value in zip(fields, row, strict=True)]
            for index in deferred:  # a row may point to one copied after it; linked afterwards
                if values[index] is not None:
                    later.append((values[index], values[key_index], names[index]))
                    values[index] = None
            batch.append(values)
            if len(batch) >= BATCH:
                execute_many(target, insert, batch)
                total += len(batch)
                batch.clear()
                if progress:
                    progress(model._meta.table_name, total)
        if batch:
            execute_many(target, insert, batch)
            total += len(batch)
        source_count = model.select().count()
    table = model._meta.table_name
    primary = names[key_index]
    for value, key, column in later:
        target.execute_sql(
            f'UPDATE "{table}" SET "{column}" = {target.param} WHERE "{primary}" = {target.param}',
            (value, key),
        )
    with target.bind_ctx([model]):
        copied_count = model.select().count()
    if progress:
        progress(table, total)
    return source_count, copied_count
