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
from typing import Any, cast

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.db.models import Field, Model, Q, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import (
    ModelIterable,
    RelatedPopulator,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.query_utils import DeferredAttribute

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
        self._model_class: type[Model] | None = None

    def only_argument(self) -> str:
        """The name of the one value this lookup takes (a lookup read beside a sign-in takes
        the person's id alone)."""
        (argument,) = self._fields
        return argument

    def _model(self) -> type[Model]:
        if self._model_class is None:
            self._model_class = self._build(**self._stand_ins).model
        return self._model_class

    def first(self, **values: Any) -> Any:
        compiled = self._compiled()
        if compiled is _NOT_REPLAYABLE:
            return self._build(**values).first()
        rows = compiled.rows(values, limit_one=True)
        return rows[0] if rows else None

    def first_beside(
        self, values: dict[str, Any], beside: CompiledLookup, beside_values: dict[str, Any]
    ) -> tuple[Any, Any]:
        """(`self.first(**values)`, `beside.first(**beside_values)`) in one statement on
        PostgreSQL: `beside`'s first row (or nothing) joined to this one's, so a request that
        reads both pays one round trip (issue 17: the sign-in and the caller's couple). No
        row of this lookup means (None, None); the statements are the ones each lookup
        compiled, unchanged, so each answers exactly what it would alone. Anywhere else, or
        for a lookup that cannot be replayed, the two run one after the other."""
        pair = self._compiled_beside(beside)
        if pair is None:
            found = self.first(**values)
            return found, (beside.first(**beside_values) if found is not None else None)
        return pair.first(values, beside_values)

    def _compiled_beside(self, beside: CompiledLookup) -> _CompiledBeside | None:
        mine, theirs = self._compiled(), beside._compiled()
        if (
            mine is _NOT_REPLAYABLE
            or theirs is _NOT_REPLAYABLE
            or mine.tuples
            or theirs.tuples
            or mine.database != theirs.database
            or mine.compiler.connection.vendor != "postgresql"
        ):
            return None
        pairs = mine.compiler.connection.__dict__.setdefault("_compiled_lookups_beside", {})
        pair = pairs.get((self.name, beside.name))
        if pair is None:
            pair = pairs[(self.name, beside.name)] = _CompiledBeside(mine, theirs)
        return pair

    def all(self, **values: Any) -> list[Any]:
        compiled = self._compiled()
        if compiled is _NOT_REPLAYABLE:
            return list(self._build(**values))
        return compiled.rows(values, limit_one=False)

    def queryset(self, *, compiled: bool = True, **values: Any) -> Any:
        """What `build(**values)` answers, for a list and its paginator: ordering, filters on
        the model's own columns and a slice are recorded, not built, and the page is read with
        the statement compiled once per connection for that shape (`CompiledQuerySet`). With
        `compiled=False`, the queryset `build` makes, for callers that chain it further."""
        if not compiled:
            return self._build(**values)
        return CompiledQuerySet(self, values)

    def _compiled(self, shape: tuple = (), recorded: tuple = ()) -> Any:
        if self._database is None:
            self._database = router.db_for_read(self._build(**self._stand_ins).model)
        connection = connections[self._database]
        shapes = connection.__dict__.setdefault(self._key, {})
        compiled = shapes.get(shape)
        if compiled is None:
            if len(shapes) >= MAX_SHAPES:  # a page size or offset never seen: run it as is
                return _NOT_REPLAYABLE
            fields, stand_ins = dict(self._fields), dict(self._stand_ins)
            queryset = self._build(**self._stand_ins)
            for index, (kind, *arguments) in enumerate(recorded):
                if kind == "filter":
                    q, op_fields, _values = arguments
                    names = [f"~{index}.{n}" for n in range(len(op_fields))]
                    first = len(stand_ins)
                    for n, (name, field) in enumerate(zip(names, op_fields, strict=True)):
                        fields[name] = field
                        stand_ins[name] = _stand_in(self.name, field, first + n)
                    arguments = [_with_values(q, [stand_ins[name] for name in names])]
                queryset = _replay(queryset, kind, arguments)
            try:
                compiled = (
                    _Compiled(queryset, fields, stand_ins)
                    if _replayable(queryset)
                    else _NOT_REPLAYABLE
                )
            except ValueError:
                if not recorded:  # the lookup's own value is not in its statement: a bug
                    raise
                compiled = _NOT_REPLAYABLE  # a recorded value Django did not carry as is
            shapes[shape] = compiled
        return compiled


# Statement shapes one lookup keeps per connection (each page size and cursor kind is one).
MAX_SHAPES = 32
# What a filter recorded by `CompiledQuerySet` may ask of one of the model's own columns.
_RECORDED_LOOKUPS = frozenset({"exact", "lt", "gt", "lte", "gte"})


class CompiledQuerySet:
    """The queryset a `CompiledLookup` would build, standing in for it until it is needed.
    A list view hands it to its paginator, which orders it, filters it by the cursor's
    position and slices it: those steps are recorded with their values, and iterating reads
    the rows with the statement compiled for that shape, the values swapped in, so neither the
    queryset nor its SQL is built again for each request (issue 17). Anything else asked of it
    (`get`, `exists`, a filter across a relation or with an expression, `query`...) builds the
    real queryset, replays what was recorded, and answers from it, exactly as before."""

    def __init__(self, lookup: CompiledLookup, values: dict[str, Any], recorded=()) -> None:
        self._lookup = lookup
        self._values = values
        self._recorded: tuple = recorded
        self._real_queryset: QuerySet | None = None
        self._rows: list[Any] | None = None

    @property
    def model(self) -> type[Model]:
        return self._lookup._model()

    def order_by(self, *names: Any) -> Any:
        if not all(isinstance(name, str) for name in names):
            return self._real().order_by(*names)
        return self._then(("order_by", names))

    def filter(self, *args: Any, **kwargs: Any) -> Any:
        q = Q(*args, **kwargs)
        fields: list[Field] = []
        values: list[Any] = []
        if not _record(q, self._lookup._model(), fields, values):
            return self._real().filter(*args, **kwargs)
        return self._then(("filter", _with_values(q, [None] * len(values)), tuple(fields)), values)

    def __getitem__(self, key: Any) -> Any:
        sliced = any(step[0] == "slice" for step in self._recorded)
        plain = isinstance(key, slice) and key.step is None and not sliced
        if not (plain and all(type(b) in (int, type(None)) for b in (key.start, key.stop))):
            return self._real()[key]
        if (key.start or 0) < 0 or (key.stop is not None and key.stop < 0):
            return self._real()[key]  # Django refuses it, with its own message
        return self._then(("slice", key.start, key.stop))

    def __iter__(self):
        return iter(self._fetched())

    def __len__(self) -> int:
        return len(self._fetched())

    def __bool__(self) -> bool:
        return bool(self._fetched())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_lookup", "_values", "_recorded", "_real_queryset"):
            raise AttributeError(name)
        return getattr(self._real(), name)

    def _then(self, step: tuple, values: list[Any] | None = None) -> CompiledQuerySet:
        recorded = (*self._recorded, (*step, tuple(values or ())))
        return CompiledQuerySet(self._lookup, self._values, recorded)

    def _shape(self) -> tuple:
        return tuple(step[:-1] for step in self._recorded)

    def _fetched(self) -> list[Any]:
        if self._rows is None:
            compiled = self._lookup._compiled(self._shape(), self._recorded)
            if compiled is _NOT_REPLAYABLE:
                self._rows = list(self._real())
            else:
                values = dict(self._values)
                for index, step in enumerate(self._recorded):
                    if step[0] == "filter":
                        values.update((f"~{index}.{n}", v) for n, v in enumerate(step[-1]))
                self._rows = compiled.rows(values, limit_one=False)
        return self._rows

    def _real(self) -> QuerySet:
        if self._real_queryset is None:
            queryset = self._lookup._build(**self._values)
            for kind, *arguments, values in self._recorded:
                if kind == "filter":
                    arguments = [_with_values(arguments[0], list(values))]
                queryset = _replay(queryset, kind, arguments)
            self._real_queryset = queryset
        return self._real_queryset


def _replay(queryset: QuerySet, kind: str, arguments: list[Any]) -> QuerySet:
    if kind == "order_by":
        return queryset.order_by(*arguments[0])
    if kind == "filter":
        return queryset.filter(arguments[0])
    return queryset[arguments[0] : arguments[1]]


def _record(q: Q, model: type[Model], fields: list[Field], values: list[Any]) -> bool:
    """Whether every condition of `q` compares one of the model's own columns with a plain
    value (so the SQL's shape cannot depend on the value); their fields and values, in
    order, into `fields` and `values`."""
    for child in q.children:
        if isinstance(child, Q):
            if not _record(child, model, fields, values):
                return False
            continue
        if not isinstance(child, tuple):
            return False
        key, value = child
        name, _, lookup = key.partition("__")
        if lookup and lookup not in _RECORDED_LOOKUPS:
            return False
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        plain = isinstance(value, str | uuid.UUID | dt.date)  # datetimes are dates
        if field is None or field.is_relation or not field.concrete or not plain:
            return False
        try:
            _stand_in("recorded", cast(Field, field), 0)
        except TypeError:
            return False
        fields.append(cast(Field, field))
        values.append(value)
    return True


def _with_values(q: Q, values: list[Any]) -> Q:
    """`q` with its conditions' values replaced, in order, by `values`."""
    remaining = iter(values)

    def rebuilt(node: Q) -> Q:
        copy = Q()
        copy.connector, copy.negated = node.connector, node.negated
        copy.children = [
            rebuilt(child) if isinstance(child, Q) else (cast(tuple, child)[0], next(remaining))
            for child in node.children
        ]
        return copy

    return rebuilt(q)


def _replayable(queryset: QuerySet) -> bool:
    """Whether the rows can be rebuilt from the statement alone: model instances (what a
    queryset yields, then what its iterable class's `finish(instances)` adds, if it has
    one), or the tuples of a `values_list` of plain columns in the order named."""
    if getattr(queryset, "_prefetch_related_lookups", ()):
        return False
    iterable = queryset._iterable_class
    if iterable is ModelIterable or (
        issubclass(iterable, ModelIterable) and callable(getattr(iterable, "finish", None))
    ):
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
        self.width = len(select)  # the columns of each row
        self.tuples = queryset._iterable_class is ValuesListIterable
        if self.tuples:
            return
        self.model = klass_info["model"]
        columns = klass_info["select_fields"]
        self.own = slice(columns[0], columns[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.own]]
        self.make = instance_maker(self.model)
        # Django 5.2's signature (the stubs already describe a later one).
        self.populators = [
            _Populator(populator)
            for populator in get_related_populators(klass_info, select, self.database)  # type: ignore[call-arg]
        ]
        # A related model's columns are converted (a profile's JSON read, say) when its
        # instance is made, once a related row (`_Populator`), not again on every row.
        self.converters = _hand_over(self.converters, self.populators, connection)
        self.annotations = dict(self.compiler.annotation_col_map or {})
        self.finish = getattr(queryset._iterable_class, "finish", None)

    def params_for(self, values: dict[str, Any]) -> list[Any]:
        """The statement's parameters with `values` swapped in for the stand-ins."""
        connection = self.compiler.connection
        params = list(self.params)
        for argument, field in self.fields.items():
            prepared = field.get_db_prep_value(values[argument], connection)
            for slot in self.slots[argument]:
                params[slot] = prepared
        return params

    def rows(self, values: dict[str, Any], *, limit_one: bool) -> list[Any]:
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, self.params_for(values))
            fetched = cursor.fetchmany(1) if limit_one else cursor.fetchall()
        return self.build(fetched)

    def build(self, fetched: list[Any]) -> list[Any]:
        """The rows (instances or tuples) made from the statement's fetched rows."""
        if self.converters:
            fetched = list(self.compiler.apply_converters(fetched, self.converters))
        if self.tuples:
            return [tuple(row) for row in fetched]
        instances = []
        made: dict[Any, Model] = {}  # each related row made once a statement (`_Populator`)
        for row in fetched:
            instance = self.make(self.database, self.init_list, row[self.own])
            for populator in self.populators:
                populator.populate(row, instance, made)
            for name, position in self.annotations.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        if self.finish is not None:
            self.finish(instances)
        return instances


class _CompiledBeside:
    """Two compiled statements as one: every row of the first with the first row of the
    second beside it, or NULLs where it has none (a LEFT JOIN of the two as they are, each
    with its own parameters, in order). Each side's columns are made into rows by its own
    recipe."""

    def __init__(self, first: _Compiled, beside: _Compiled) -> None:
        self.first_lookup, self.beside = first, beside
        self.connection = first.compiler.connection
        # Both texts are SQL Django compiled, every value a parameter: nothing is spliced.
        self.sql = (
            f"SELECT * FROM ({first.sql}) AS haven_first LEFT JOIN "  # noqa: S608
            f"(SELECT * FROM ({beside.sql}) AS haven_beside_rows LIMIT 1) AS haven_beside ON TRUE"
        )

    def first(self, values: dict[str, Any], beside_values: dict[str, Any]) -> tuple[Any, Any]:
        params = self.first_lookup.params_for(values) + self.beside.params_for(beside_values)
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchmany(1)
        if not fetched:
            return None, None
        row, width = fetched[0], self.first_lookup.width
        (found,) = self.first_lookup.build([row[:width]])
        beside_row = row[width:]
        if all(value is None for value in beside_row):  # no row of its own: NULLs
            return found, None
        (beside,) = self.beside.build([beside_row])
        return found, beside


# Where `remember_beside` keeps rows read beside another one, on that row's own instance.
_BESIDE = "_compiled_lookups_read_beside"
# `taken_beside`'s answer when nothing was read beside the instance for that lookup.
NOT_READ_BESIDE = object()


def remember_beside(instance: Model, lookup: CompiledLookup, row: Any) -> None:
    """Keep `row` (what `lookup.first` answered, None included) on `instance`, which was read
    with it by `first_beside`, for `taken_beside` to hand out once."""
    instance.__dict__.setdefault(_BESIDE, {})[lookup.name] = row


def taken_beside(instance: Any, lookup: CompiledLookup) -> Any:
    """What `lookup.first` answered beside `instance` (None included), handed out once: a
    second asking reads afresh. NOT_READ_BESIDE when nothing was read beside it."""
    kept = getattr(instance, "__dict__", {}).get(_BESIDE)
    if not kept or lookup.name not in kept:
        return NOT_READ_BESIDE
    return kept.pop(lookup.name)


def instance_maker(model: type[Model]) -> Callable[[str | None, list[str], Any], Model]:
    """What makes `model`'s instance from a row's columns, as `model.from_db` does. For a
    model that adds nothing to Django's own construction, the instance is made directly: its
    columns put in place and its state marked as read from `db`, which is all `Model.__init__`
    does with a row beyond its general checks, in a fifth of the time (~1.5 against ~8 µs an
    instance, issue 17; a page of 20 check-ins with their reactions and authors is ~60 of
    them). A column not read (`defer`) is left out, so it loads when first read, as ever.
    Any model that could do more (its own `__init__`, `from_db` or `__setattr__`, a field
    whose descriptor is not Django's plain one, a `pre_init` or `post_init` receiver) is made
    by its own `from_db`. `tests/common/test_compiled.py` holds every hot lookup's instances
    to the queryset's own, attribute by attribute."""
    if not _made_as_django_makes_it(model):
        return model.from_db
    every_column = [field.attname for field in model._meta.concrete_fields]
    new = object.__new__

    def make(db: str | None, field_names: list[str], values: Any) -> Model:
        instance = new(model)
        attributes = instance.__dict__
        state = attributes["_state"] = ModelState()
        state.adding = False
        state.db = db
        # As Model.__init__: a full row is in the model's column order, else in field_names'.
        names = every_column if len(values) == len(every_column) else field_names
        attributes.update(zip(names, values, strict=True))
        return instance

    return make


def _made_as_django_makes_it(model: type[Model]) -> bool:
    if (
        model.__init__ is not Model.__init__
        or model.__setattr__ is not Model.__setattr__
        or getattr(model.from_db, "__func__", None) is not Model.from_db.__func__  # type: ignore[attr-defined]
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
    ):
        return False
    plain = (DeferredAttribute, ForeignKeyDeferredAttribute)
    return all(
        type(model.__dict__.get(field.attname, getattr(model, field.attname, None))) in plain
        for field in model._meta.concrete_fields
    )


class _Populator:
    """Django's `RelatedPopulator` (what `select_related` fills each row's related objects
    with), making its instances with `instance_maker`. Its `populate` is Django 5.2's, except
    that a related row met again in the same statement is the instance already made for it
    (`made`, one statement's), with what hangs on it: the pacing week's sixteen check-ins of
    two people hold two authors, not sixteen, as Django's `prefetch_related` hands one
    instance to every row it relates to (issue 17; one statement reads one snapshot, so the
    rows are the same row)."""

    def __init__(self, django: RelatedPopulator) -> None:
        self.db = django.db
        self.reorder_for_init = django.reorder_for_init
        self.columns = (
            None if django.reorder_for_init else slice(django.cols_start, django.cols_end)  # type: ignore[attr-defined]
        )
        self.init_list = django.init_list
        self.pk_idx = django.pk_idx
        self.make = instance_maker(django.model_cls)
        self.related_populators = [_Populator(p) for p in django.related_populators]
        self.local_setter = django.local_setter
        self.remote_setter = django.remote_setter
        # Its own columns' converters, by position among them (`_hand_over`).
        self.converters: list[tuple[int, tuple[list[Any], Any]]] = []
        self.connection: Any = None

    def populate(self, row: Any, from_obj: Model, made: dict[Any, Model]) -> None:
        obj_data = self.reorder_for_init(row) if self.reorder_for_init else row[self.columns]
        pk = obj_data[self.pk_idx]
        if pk is None:
            obj = None
        else:
            key = (self, pk)
            obj = made.get(key)
            if obj is None:
                if self.converters:
                    obj_data = _converted(obj_data, self.converters, self.connection)
                obj = made[key] = self.make(self.db, self.init_list, obj_data)
                for related in self.related_populators:
                    related.populate(row, obj, made)
        self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)


def _hand_over(converters: dict[int, Any], populators: list[_Populator], connection: Any) -> dict:
    """Each populator (nested ones too) takes the converters of its own columns; what is left
    (the model's own columns, annotations, and any populator's that reorders its columns)
    is converted on every row, as Django converts it."""
    left = dict(converters)

    def take(populator: _Populator) -> None:
        if populator.columns is not None:
            start, stop = populator.columns.start, populator.columns.stop
            populator.converters = [
                (position - start, left.pop(position))
                for position in sorted(left)
                if start <= position < stop
            ]
            populator.connection = connection
        for related in populator.related_populators:
            take(related)

    for populator in populators:
        take(populator)
    return left


def _converted(values: Any, converters: list[tuple[int, Any]], connection: Any) -> list[Any]:
    """Django's `apply_converters` on one row's values (each converter of a column in turn)."""
    values = list(values)
    for position, (functions, expression) in converters:
        value = values[position]
        for convert in functions:
            value = convert(value, expression, connection)
        values[position] = value
    return values


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
