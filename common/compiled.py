"""Hot lookups whose SQL Django composes once per database connection, not on every call.

Django builds and compiles a queryset's SQL in Python each time it runs: for the lookup of a
person's couple and partner (every couple screen, the home screen, every check-in write)
that was more time than PostgreSQL took to answer it (issue 17). A `CompiledLookup` builds
its queryset once per connection, with a stand-in for each value it takes, and keeps what
Django compiled: the SQL, its parameters, and how a row's columns map onto the model and the
models it `select_related`s. Each call then only swaps the stand-ins for the values asked
about (every parameter that is a stand-in, prepared as its field prepares it), runs the
statement (prepared by PostgreSQL once per connection, `config.settings.base.postgresql_tuned`)
and builds the instances the way a queryset does, converters and annotations included. Same
SQL, same objects: `tests/common/test_compiled.py` checks both against the queryset itself.

For lookups of one fixed shape whose only varying inputs are the values it is given (ids,
dates, moments, texts), each carried by the statement as a parameter of its own. A queryset
whose SQL depends on a value in any other way (an `IN` list of its length, a branch in
Python) needs one lookup per shape. Its rows are model instances, or the tuples of a
`values_list` of plain columns. A queryset that prefetches, or yields anything else, cannot
be replayed: its lookup answers by running the queryset itself, as before."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Field, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

_NOT_REPLAYABLE = object()


class CompiledLookup:
    """`first(**values)` and `all(**values)`: what `build(**values)` answers (its first row,
    or all its rows), composed once per connection. `fields` names the field whose value each
    argument is (a UUID, a date, a moment or a text). `build` must order the rows itself for
    `first`."""

    def __init__(self, name: str, build: Callable[..., QuerySet], **fields: Field) -> None:
        self.name = name
        self._build = build
        self._fields = fields
        self._stand_ins = {
            argument: _stand_in(name, field, index)
            for index, (argument, field) in enumerate(fields.items())
        }
        self._key = f"_compiled_lookup_{name}"
        self._database: str | None = None

    def first(self, **values: Any) -> Any:
        compiled = self._compiled()
        if compiled is _NOT_REPLAYABLE:
            return self._build(**values).first()
        rows = compiled.rows(values, limit_one=True)
        return rows[0] if rows else None

    def all(self, **values: Any) -> list[Any]:
        compiled = self._compiled()
        if compiled is _NOT_REPLAYABLE:
            return list(self._build(**values))
        return compiled.rows(values, limit_one=False)

    def _compiled(self) -> Any:
        if self._database is None:
            self._database = router.db_for_read(self._build(**self._stand_ins).model)
        connection = connections[self._database]
        compiled = connection.__dict__.get(self._key)
        if compiled is None:
            queryset = self._build(**self._stand_ins)
            compiled = (
                _Compiled(queryset, self._fields, self._stand_ins)
                if _replayable(queryset)
                else _NOT_REPLAYABLE
            )
            setattr(connection, self._key, compiled)
        return compiled


def _replayable(queryset: QuerySet) -> bool:
    """Whether the rows can be rebuilt from the statement alone: model instances (what a
    queryset yields), or the tuples of a `values_list` of plain columns in the order named."""
    if getattr(queryset, "_prefetch_related_lookups", ()):
        return False
    if queryset._iterable_class is ModelIterable:
        return True
    query, asked = queryset.query, getattr(queryset, "_fields", ())
    named = [*query.extra_select, *query.values_select, *query.annotation_select]
    return queryset._iterable_class is ValuesListIterable and bool(asked) and list(asked) == named


class _Compiled:
    """One connection's compiled statement and the recipe for its rows."""

    def __init__(
        self, queryset: QuerySet, fields: dict[str, Field], stand_ins: dict[str, Any]
    ) -> None:
        self.database = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.database)
        self.sql, params = self.compiler.as_sql()  # also fills select and klass_info
        connection = self.compiler.connection
        self.fields = fields
        self.params = list(params)
        self.slots: dict[str, list[int]] = {}
        for argument, field in fields.items():
            swapped = field.get_db_prep_value(stand_ins[argument], connection)
            self.slots[argument] = [i for i, p in enumerate(self.params) if p == swapped]
            if not self.slots[argument]:
                raise ValueError(f"the stand-in for {argument} is not among the parameters")
        select, klass_info = self.compiler.select, self.compiler.klass_info
        self.converters = self.compiler.get_converters(
            [column[0] for column in select[0 : self.compiler.col_count]]
        )
        self.tuples = queryset._iterable_class is ValuesListIterable
        if self.tuples:
            return
        self.model = klass_info["model"]
        columns = klass_info["select_fields"]
        self.own = slice(columns[0], columns[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.own]]
        # Django 5.2's signature (the stubs already describe a later one).
        self.populators = get_related_populators(klass_info, select, self.database)  # type: ignore[call-arg]
        self.annotations = dict(self.compiler.annotation_col_map or {})

    def rows(self, values: dict[str, Any], *, limit_one: bool) -> list[Any]:
        connection = self.compiler.connection
        params = list(self.params)
        for argument, field in self.fields.items():
            prepared = field.get_db_prep_value(values[argument], connection)
            for slot in self.slots[argument]:
                params[slot] = prepared
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchmany(1) if limit_one else cursor.fetchall()
        if self.converters:
            fetched = list(self.compiler.apply_converters(fetched, self.converters))
        if self.tuples:
            return [tuple(row) for row in fetched]
        instances = []
        for row in fetched:
            instance = self.model.from_db(self.database, self.init_list, row[self.own])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances


def _stand_in(name: str, field: Field, index: int) -> Any:
    """A value no real row holds, distinct from the lookup's other stand-ins."""
    kind = field.get_internal_type()
    if kind == "UUIDField":
        return uuid.uuid4()
    if kind == "DateField":
        return dt.date(1700 + index, 1 + index, 1 + index)
    if kind == "DateTimeField":
        return dt.datetime(1700 + index, 1 + index, 1 + index, 1 + index, tzinfo=dt.UTC)
    if kind == "CharField":
        return f"stand-in {index} of {name} {uuid.uuid4().hex}"
    raise TypeError(
        f"{name}: only a UUID, a date, a moment or a text can be swapped in, not a {kind}"
    )
