"""A hot lookup whose SQL Django composes once per database connection, not on every call.

Django builds and compiles a queryset's SQL in Python each time it runs: for the lookup of a
person's couple and partner (every couple screen, the home screen, every check-in write)
that was more time than PostgreSQL took to answer it (issue 17). A `CompiledLookup` builds
its queryset once per connection, for a stand-in value, and keeps what Django compiled: the
SQL, its parameters, and how the row's columns map onto the model and the models it
`select_related`s. Each call then only swaps the stand-in for the value asked about (every
parameter that is the stand-in, prepared as the field prepares it), runs the statement
(prepared by PostgreSQL once per connection, `config.settings.base.postgresql_tuned`) and
builds the instances the way a queryset does, converters included. Same SQL, same objects:
`tests/common/test_compiled.py` checks both against the queryset itself.

For lookups of one fixed shape whose only varying input is one value of one field (a
person's id): a queryset whose SQL depends on the value in any other way (an `IN` list of
its length, a branch in Python) must not use it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators


class CompiledLookup:
    """`first(value)`: what `build(value).first()` answers, composed once per connection.
    `build` must order the rows itself (as `first` would by primary key)."""

    def __init__(self, name: str, build: Callable[[Any], QuerySet], field: Field) -> None:
        self.name = name
        self._build = build
        self._field = field
        self._stand_in = field.to_python(uuid.uuid4().hex) if _is_uuid(field) else None
        if self._stand_in is None:
            raise TypeError(f"{name}: only a UUID field's value can be swapped in")
        self._key = f"_compiled_lookup_{name}"
        self._database: str | None = None

    def first(self, value: Any) -> Model | None:
        if self._database is None:
            self._database = router.db_for_read(self._build(self._stand_in).model)
        connection = connections[self._database]
        compiled = connection.__dict__.get(self._key)
        if compiled is None:
            compiled = _Compiled(self._build(self._stand_in)[:1], self._field, self._stand_in)
            setattr(connection, self._key, compiled)
        return compiled.first(value)


class _Compiled:
    """One connection's compiled statement and the recipe for its row."""

    def __init__(self, queryset: QuerySet, field: Field, stand_in: Any) -> None:
        self.database = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.database)
        self.sql, params = self.compiler.as_sql()  # also fills select and klass_info
        connection = self.compiler.connection
        self.field = field
        swapped = field.get_db_prep_value(stand_in, connection)
        self.params = list(params)
        self.slots = [i for i, param in enumerate(self.params) if param == swapped]
        if not self.slots:
            raise ValueError("the stand-in value is not among the statement's parameters")
        select, klass_info = self.compiler.select, self.compiler.klass_info
        self.model = klass_info["model"]
        columns = klass_info["select_fields"]
        self.own = slice(columns[0], columns[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.own]]
        # Django 5.2's signature (the stubs already describe a later one).
        self.populators = get_related_populators(klass_info, select, self.database)  # type: ignore[call-arg]
        self.annotations = dict(self.compiler.annotation_col_map or {})
        self.converters = self.compiler.get_converters(
            [column[0] for column in select[0 : self.compiler.col_count]]
        )

    def first(self, value: Any) -> Model | None:
        connection = self.compiler.connection
        params = list(self.params)
        prepared = self.field.get_db_prep_value(value, connection)
        for slot in self.slots:
            params[slot] = prepared
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            (row,) = self.compiler.apply_converters([row], self.converters)
        instance = self.model.from_db(self.database, self.init_list, row[self.own])
        for populator in self.populators:
            populator.populate(row, instance)
        for name, position in self.annotations.items():
            setattr(instance, name, row[position])
        return instance


def _is_uuid(field: Field) -> bool:
    return field.get_internal_type() == "UUIDField"
