"""Serializers every app shares: the tone helper's input and output, and the `tone_hints`
that a write taking free text returns to its author."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import re
from typing import Any, ClassVar, cast

from django.conf import settings
from django.db import models
from django.db.models import Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField, empty, get_attribute
from rest_framework.relations import ManyRelatedField, PKOnlyObject, RelatedField
from rest_framework.settings import api_settings
from rest_framework.utils.formatting import lazy_format
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from common.safety.serializers import SafetyOutput
from common.tone import MAX_SCAN_CHARS, TONE_CODES, tone_hints
from common.tone.fields import TONE_FIELD_CHOICES


class MomentField(serializers.DateTimeField):
    """An answer's moment, as DRF's own field writes it with the API's `DATETIME_FORMAT`
    (which ends in a literal Z: every moment the API writes is in UTC, and Haven activates
    no other time zone), converted to UTC directly instead of looking up the active time zone
    for each value (a quarter of a check-in list's serialising). Anything else (a naive or
    text value, another format or time zone given to the field) goes DRF's way."""

    def to_representation(self, value: Any) -> Any:
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        if (
            isinstance(value, dt.datetime)
            and value.tzinfo is not None
            and output_format == api_settings.DATETIME_FORMAT
            and output_format.endswith("Z")
            and not hasattr(self, "timezone")
        ):
            moment = value.astimezone(dt.UTC)
            if output_format == _MICROSECONDS_Z and moment.year >= 1000:
                # The same text as strftime's, in a third of the time (a list page writes
                # ~40 moments); strftime writes a year before 1000 without its zeros.
                return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
            return moment.strftime(output_format)
        return super().to_representation(value)


# The API's DATETIME_FORMAT (config.settings.base), which `isoformat` writes as well.
_MICROSECONDS_Z = "%Y-%m-%dT%H:%M:%S.%fZ"


class _FieldsOncePerClass:
    """`get_fields` worked out once per class; each instance gets its own copies
    (`OutputModelSerializer` says why and how, `InputSerializer` for a request's body)."""

    _fields_templates: ClassVar[dict[type, dict[str, serializers.Field]]] = {}

    def get_fields(self) -> dict[str, serializers.Field]:
        template = self._fields_templates.get(type(self))
        if template is None:
            template = self.template_fields()
            for field in template.values():
                _share_validators(field)
            self._fields_templates[type(self)] = template
        return {name: _field_copy(field) for name, field in template.items()}

    def template_fields(self) -> dict[str, serializers.Field]:
        """The class's fields, worked out once: DRF's `get_fields`. A class that adds a
        field DRF cannot declare (a Python keyword as its name) adds it here, to the
        template, rather than in `get_fields`."""
        return super().get_fields()  # type: ignore[misc]

    # Per class: what `_represent` does with each readable field (`_representation_plan`).
    _plans: ClassVar[dict[type, list[_Step]]] = {}

    def _represent(
        self, instance: Any, model: type[Model] | None, left_out: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """DRF's `Serializer.to_representation`, with a shorter way for the fields that
        read a value as it is and are written by one of DRF's own field types (the most of
        an answer's fields): the value is read straight from the instance (from its column,
        on a model's answer) and written by the class's template field: DRF's own field
        types write a value from their options alone, never from their binding, so these
        need no copy per instance; a value of exactly the type such a field hands back as
        it is (an int, a text, a flag) goes in without the call (`_WRITTEN_UNCHANGED`).
        DRF's own method field is its method, called with the answer, as DRF calls it.
        Every other field (a relation, a nested answer, a field type of our own) is this
        instance's own bound copy, made when first needed (`_bound_field`), and goes DRF's
        way; so does a plain field whose value is missing (DRF's default, or its error).
        The fields named in `left_out` are neither read nor answered."""
        plan = self._plans.get(type(self))
        if plan is None:
            plan = self._plans[type(self)] = _representation_plan(self, model)
        ret: dict[str, Any] = {}
        for name, source, write, unchanged in plan:
            if left_out and name in left_out:
                continue
            if write is not None:
                # The model's column, or what DRF's `get_attribute` reads along the source;
                # `_UNREAD` when missing, for the bound field to answer DRF's way (its
                # default, or its error). In line: ~280 times a list page.
                try:
                    value = (
                        getattr(instance, source)
                        if source.__class__ is str
                        else get_attribute(instance, source)
                    )
                except Exception:
                    value = _UNREAD
                if value is not _UNREAD:
                    if value is None:
                        ret[name] = None
                    elif value.__class__ is unchanged:
                        ret[name] = value
                    else:
                        ret[name] = write(value)
                    continue
            elif source is not None:  # DRF's own method field: its method, with the answer
                ret[name] = getattr(self, source)(instance)
                continue
            field = self._bound_field(name)
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret

    def _bound_field(self, name: str) -> serializers.Field:
        """This instance's field `name`: from `fields` once DRF built them all, else a copy
        of the class's template bound to this instance alone."""
        fields = self.__dict__.get("fields")
        template = self._fields_templates.get(type(self))
        if fields is not None or template is None or name not in template:
            return cast(serializers.Serializer, self).fields[name]
        bound = self.__dict__.setdefault("_bound_fields", {})
        field = bound.get(name)
        if field is None:
            field = bound[name] = _field_copy(template[name])
            field.bind(field_name=name, parent=cast(serializers.BaseSerializer, self))
        return field


_UNREAD = object()


class InputSerializer(_FieldsOncePerClass, serializers.Serializer):
    """A request body's serializer whose declared fields are made once per class, as an
    answer's are (`OutputModelSerializer`): DRF deep-copies every declared field for every
    instance, running each field's `__init__` again (its messages, validators and choices),
    ~75 of the ~110 µs a check-in write's body took to validate (issue 17). Each instance
    gets its own shallow copy of each plain field, with its own list of validators and its
    own messages (`_field_copy`), bound to it alone, so validating, binding and whatever an
    instance changes on its fields stay its own; a field holding fields (a list, a nested
    body) is copied deeply, as DRF copies it.

    For a body whose fields depend on the class alone (never on the instance, its context or
    the request); a field DRF cannot declare (a Python keyword as its name) is added in
    `template_fields`, not `get_fields`. The messages are lazy texts, so an error still
    speaks the language of the request that made it."""


# What `_MadeOncePerClass` never copies from a class's first instance: this instance's own.
_OWN_ATTRIBUTES = frozenset({"instance", "_context", "partial", "_args", "_kwargs"})
_OWN_ATTRIBUTES |= {"_creation_counter", "error_messages", "style"}


class _MadeOncePerClass:
    """An answer's serializer made as DRF's `__init__` makes it, without running it again: an
    answer is made with its instance and a context alone, and DRF's `Field.__init__` then sets
    the same attributes every time, but walks the class's whole MRO for error messages on
    the way (~4 µs of the ~6 a serializer took to make, issue 17). The first answer of a class
    is made by DRF and its attributes kept; the next ones take a copy of them (their own
    messages and style, the next creation number) and their own instance and context. Made
    any other way (with data, `partial`, `read_only`, a source...), DRF makes it."""

    # Per class: (the attributes DRF set, its error messages).
    _made_as_drf: ClassVar[dict[type, tuple[dict[str, Any], dict[str, Any]]]] = {}

    def __init__(self, instance: Any = None, data: Any = empty, **kwargs: Any) -> None:
        answer = data is empty and kwargs.keys() <= {"context"}
        made = self._made_as_drf.get(type(self)) if answer else None
        if made is None:
            super().__init__(instance, data, **kwargs)  # type: ignore[call-arg]
            if answer:
                kept = {k: v for k, v in self.__dict__.items() if k not in _OWN_ATTRIBUTES}
                messages = dict(self.error_messages)  # type: ignore[attr-defined]
                self._made_as_drf[type(self)] = (kept, messages)
            return
        kept, messages = made
        attributes = self.__dict__
        attributes.update(kept)
        attributes["instance"] = instance
        attributes["partial"] = False
        attributes["_context"] = kwargs.get("context", {})
        attributes["error_messages"] = dict(messages)
        attributes["style"] = {}
        field: Any = serializers.Field  # DRF's counter of fields made, as its `__init__` counts
        attributes["_creation_counter"] = field._creation_counter
        field._creation_counter += 1


class OutputSerializer(_MadeOncePerClass, _FieldsOncePerClass, serializers.Serializer):
    """An answer not read from one model (the home screen, the couple pages): its declared
    fields are copied for each instance as `OutputModelSerializer` copies its fields,
    shallowly for a plain field, instead of DRF's deep copy of each one, and only when the
    answer needs them (`_represent`). For output only, and for fields that depend on the
    class alone."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return self._represent(instance, None)


class OutputModelSerializer(_MadeOncePerClass, _FieldsOncePerClass, serializers.ModelSerializer):
    """A ModelSerializer for answers, whose fields are worked out from the model once per
    class instead of on every instance. DRF reads the model's fields, their verbose names and
    validators and the Meta options each time a serializer is made, which was a fifth of
    `GET me`'s profiled time (issue 17); here the first instance keeps what `get_fields`
    built as a template, and every instance gets fields of its own, so binding, context and
    `to_representation` are untouched.

    The copy is shallow for a plain field: a template field is never bound, and binding sets
    only the copy's own attributes (name, parent, source). DRF's deep copy calls every
    field's `__init__` again, which made the copies a tenth of the home screen's time (it
    builds three check-in answers). A field that holds fields of its own (a nested
    serializer, a list of fields) is still copied deeply, as DRF copies it, so that each
    copy's children are bound to that copy.

    `get_fields` must depend on the class alone (never on the instance, its context or the
    request's language), which holds for an answer's fields. A request's body has
    `InputSerializer`, which also gives each copy validators whose messages it writes in its
    own request's language."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: MomentField,
    }

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """DRF's own, with `_represent`'s shorter way for the fields that read one of the
        model's columns as is: the column's value is read straight from the instance
        instead of through `Field.get_attribute`, which asks on every row and field whether
        the value is a mapping or a callable (a column's never is). A field reading through
        a relation, an annotation or `*`, and any instance that is not the model's, goes
        DRF's way."""
        model = self.Meta.model
        if type(instance) is not model:
            return super().to_representation(instance)
        return self._represent(instance, model, self.fields_left_out(instance))

    def fields_left_out(self, instance: Any) -> frozenset[str]:
        """The fields this answer leaves out for `instance`, never read from it (another
        viewer's view of an author's own fields, say): none unless a class says so."""
        return frozenset()


def _writes_from_options(field: serializers.Field) -> bool:
    """Whether the field's type writes a value from the field's own options alone: DRF's own
    field types, and `MomentField` (which adds nothing else). One unbound template field then
    serves every instance of a class; any other type is bound per answer."""
    write = type(field).to_representation
    return write.__module__ == "rest_framework.fields" or write is MomentField.to_representation


# One readable field's step in `_FieldsOncePerClass._represent`: (name, where its value is,
# its template's `to_representation`, the type of value that it writes unchanged); for a
# DRF method field, (name, the method's name, None, None); (name, None, None, None) for a
# field bound to each answer.
_Step = tuple[str, Any, Any, type | None]

# DRF's own ways of writing a value that hand a value of one type back as it is: `int(3)`,
# `str("text")`, `bool`'s own two, `float(0.5)`. A value of exactly that type is put in the
# answer without the call (a check-in's moods, notes and flags; ~8 a check-in).
_WRITTEN_UNCHANGED = {
    serializers.IntegerField.to_representation: int,
    serializers.CharField.to_representation: str,
    serializers.BooleanField.to_representation: bool,
    serializers.FloatField.to_representation: float,
}


def _representation_plan(serializer: _FieldsOncePerClass, model: type[Model] | None) -> list[_Step]:
    """For each readable field, in order, its step (`_Step`): where its value is, when one
    of DRF's own field types writes a value read as it is (on a model's answer, one of the
    model's own columns, by its attname, or an attribute the model does not have, such as
    an annotation; on any other answer, by DRF's `get_attribute` along its source), with
    its template field's `to_representation`; the method's name for
    DRF's own method field; else nothing, and the field is bound to the answer
    (`_FieldsOncePerClass._represent`)."""
    fields = cast(serializers.Serializer, serializer).fields  # the template comes with them
    templates = serializer._fields_templates.get(type(serializer), {})
    columns = {field.attname for field in model._meta.concrete_fields} if model else set()
    plan: list[_Step] = []
    for field in fields.values():
        if field.write_only:
            continue
        name = str(field.field_name)
        attrs = field.source_attrs
        source: Any = None
        if (
            not isinstance(field, serializers.BaseSerializer | RelatedField | ManyRelatedField)
            and type(field).get_attribute is serializers.Field.get_attribute
            and _writes_from_options(field)
            and not any(hasattr(field, holder) for holder in ("child", "child_relation"))
            and name in templates
            and attrs
        ):
            if model is None:
                source = list(attrs)
            elif (
                len(attrs) == 1
                and attrs[0] in columns
                and not isinstance(getattr(model, attrs[0], None), property)
            ):
                source = attrs[0]
            elif len(attrs) == 1 and not hasattr(model, attrs[0]):
                # Not the model's at all: what the instance holds (an annotation, e.g. a
                # boundary's `is_mine`), read as DRF reads it (a callable is called).
                source = list(attrs)
        if type(field) is serializers.SerializerMethodField and field.source == "*":
            # DRF's own calls its serializer's method with the whole answer: called here.
            plan.append((name, field.method_name, None, None))
            continue
        if source is None:
            plan.append((name, None, None, None))
            continue
        write = type(templates[name]).to_representation
        plan.append(
            (name, source, templates[name].to_representation, _WRITTEN_UNCHANGED.get(write))
        )
    return plan


# What a serializer makes for itself once in use: its fields, its answer, its errors.
_MADE_PER_INSTANCE = ("fields", "_bound_fields", "_data", "_errors", "_validated_data")


def _field_copy(field: serializers.Field) -> serializers.Field:
    """An unbound copy of a template field (`OutputModelSerializer.get_fields`). A template
    is never bound and a nested answer's template never builds its fields (each copy does,
    from its own class's template), so a shallow copy is a fresh field, except for what a
    field holds already made: a list of answers holds its child, bound to the list at
    `__init__`, so the copy gets its own child bound to itself, and so does a field holding
    one (a `ListField`, a `DictField`; DRF deep-copied those, ~20 µs a home screen); a
    many-relation is copied deeply, as DRF copies it. Each copy
    has its own list of validators and its own messages, so what an instance adds to its
    field's never reaches the template; the validators themselves are shared, their messages
    written anew each time (`_share_validators`), except one whose message DRF would
    write once (`_own_validator`)."""
    if isinstance(field, serializers.BaseSerializer):
        copied = _shallow_copy(field)
        for made in _MADE_PER_INSTANCE:  # never on a template; dropped should one appear
            copied.__dict__.pop(made, None)
        made_child = getattr(field, "child", None)
        if isinstance(copied, serializers.ListSerializer) and made_child is not None:
            _own_child(copied, made_child)
        return copied
    if hasattr(field, "child_relation"):  # a many-relation: DRF's deep copy
        return copy.deepcopy(field)
    copied = _shallow_copy(field)
    made_child = getattr(field, "child", None)
    if isinstance(made_child, serializers.Field):  # a `ListField`, `DictField`: its own child
        _own_child(copied, made_child)
    made = copied.__dict__
    if "_validators" in made:
        made["_validators"] = [_own_validator(validator) for validator in made["_validators"]]
    made["error_messages"] = dict(made["error_messages"])
    return copied


def _own_child(copied: Any, made_child: Any) -> None:
    """A copy of `made_child` for `copied` alone, bound to it as DRF binds a list's child."""
    child = copied.child = _field_copy(made_child)
    child.source = made_child._kwargs.get("source")  # as made, before its binding
    child.bind(field_name="", parent=copied)


def _shallow_copy(thing: Any) -> Any:
    """What `copy.copy` makes of a field or a validator (a new instance of its class holding
    the same attributes; DRF's fields and serializers define no copying of their own but a
    deep one), without `copy`'s general way through `__reduce_ex__`: a fifth of the time.
    Anything with a copy of its own or with slots goes `copy`'s way."""
    kind: type = type(thing)
    if not _copied_plainly(kind):
        return copy.copy(thing)
    copied: Any = object.__new__(kind)
    copied.__dict__ = thing.__dict__.copy()
    return copied


@functools.cache
def _copied_plainly(kind: type) -> bool:
    """Whether `_shallow_copy` may copy an instance of `kind` itself: asked once per class,
    as a missing class attribute costs a raised and dropped error each time (~0.5 µs, four
    of them a field with two limits)."""
    return getattr(kind, "__copy__", None) is None and not getattr(kind, "__slots__", None)


class _FreshFormat(lazy_format):
    """A limit's message ("Ensure this value is greater than or equal to 1.") written each
    time it is read, in the language active then. DRF's `lazy_format` writes its text once
    and keeps it, so a validator holding one and shared by two requests would answer the
    second in the first one's language."""

    __slots__ = ()

    def __str__(self) -> str:
        return str(self.format_string).format(*self.args, **self.kwargs)


class _ProhibitSurrogates(ProhibitSurrogateCharactersValidator):
    """DRF's refusal of a lone surrogate (JSON can carry one, PostgreSQL cannot store it),
    with its message and code, found by one search instead of a Python step per character:
    ~30 µs for a 500-character note, ~1 µs here."""

    def __call__(self, value: Any) -> None:
        found = _SURROGATE.search(str(value))
        if found is not None:
            raise serializers.ValidationError(
                self.message.format(code_point=ord(found.group())), code=self.code
            )


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _share_validators(field: serializers.Field) -> None:
    """Readies a template field's validators (and its child's) to be shared by every copy
    of it: DRF makes each field's validators anew for each instance, and copying the ones
    with a message cost ~3 µs each, a third of a check-in body's validation. A limit's
    message is written afresh each time it is read (`_FreshFormat`), and DRF's surrogate
    check is the same check done faster (`_ProhibitSurrogates`)."""
    validators = field.__dict__.get("_validators", [])
    for index, validator in enumerate(validators):
        if type(validator) is ProhibitSurrogateCharactersValidator:
            validators[index] = validator = _ProhibitSurrogates()
        message = getattr(validator, "message", None)
        if type(message) is lazy_format and message.format_string is not None:
            validator.message = _FreshFormat(message.format_string, *message.args, **message.kwargs)
    child = getattr(field, "child", None)
    if isinstance(child, serializers.Field) and not isinstance(child, serializers.BaseSerializer):
        _share_validators(child)


def _own_validator(validator: Any) -> Any:
    """The validator itself, or, when its message is one of DRF's `lazy_format`s that a
    template did not get written afresh (`_share_validators`), a copy with a copy of
    that message, so the template's own message is never written."""
    message = getattr(validator, "message", None)
    if type(message) is not lazy_format:
        return validator
    own = _shallow_copy(validator)
    text = message.format_string  # None once written; a template's never is
    if text is not None:
        own.message = lazy_format(text, *message.args, **message.kwargs)
    return own


class _StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and other non-strings instead of converting them,
    so that a client bug shows up as a 400 rather than as hints about "42"."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class WholeItemSerializer(InputSerializer):
    """An item of a list is written whole, on a PATCH too. DRF lets a partial update skip the
    missing required fields of nested serializers as well, so a half item (a window without
    its start) reached `validate()` and the rules after it."""

    def to_internal_value(self, data: Any) -> Any:
        attrs = super().to_internal_value(data)
        missing = {
            name: [serializers.ErrorDetail(str(field.error_messages["required"]), code="required")]
            for name, field in self.fields.items()
            if field.required and not field.read_only and field.source not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class ToneCheckInput(InputSerializer):
    # Not trimmed: the spans in the answer must point into the text exactly as sent.
    text = _StrictCharField(max_length=MAX_SCAN_CHARS, allow_blank=True, trim_whitespace=False)
    field = serializers.ChoiceField(
        choices=TONE_FIELD_CHOICES,
        required=False,
        allow_null=True,
        default=None,
        help_text="The free-text field the draft is for, so that the check reads it the way "
        'the write will ("You need quiet evenings to recharge." is what '
        "`your_need_as_i_understand` asks for). Optional: without it every rule applies.",
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        allow_null=True,
        default=None,
        help_text="The language the draft is written in (never guessed from the text): it picks "
        "the tone rules and the danger table that read it. Optional: without it, the tone rules "
        "are those of the person's own `locale`, and every language's danger table reads it. "
        "The hints' suggestions are always in the person's own language.",
    )


class ToneHintOutput(serializers.Serializer):
    code = serializers.CharField(
        help_text="Stable, machine-readable kind of phrasing: " + ", ".join(TONE_CODES) + "."
    )
    start = serializers.IntegerField(
        help_text="Offset of the phrase in the text, in Unicode code points (inclusive)."
    )
    end = serializers.IntegerField(help_text="Offset just past the phrase (exclusive).")
    excerpt = serializers.CharField(help_text="The phrase itself: text[start:end].")
    suggestion = serializers.CharField(help_text="A gentle suggestion; translated.")
    i_statement = serializers.CharField(
        help_text="A shape for saying it as an I-statement, with … where the person's own "
        "words go; translated."
    )
    attr = serializers.CharField(
        allow_null=True,
        help_text="The field the phrase is in (`small_things.2` for an item of a list); in "
        "tone/check, the `field` sent, or null without one.",
    )


class ToneCheckOutput(serializers.Serializer):
    tone_hints = ToneHintOutput(many=True, help_text="Empty when nothing stood out.")
    # Added by common.safety.answer.SafetyMiddleware, never by this serializer; declared here
    # so the schema has the component every writer's answer refers to.
    # Not read_only: drf-spectacular makes every read-only field required in an answer.
    safety = SafetyOutput(
        required=False,
        help_text="Present only when the draft's words signal danger or crisis: where help "
        "is, for the writer alone. Never stored.",
    )


def tone_hints_data(
    text: str | None,
    field: str | None = None,
    *,
    item: int | None = None,
    language: str | None = None,
) -> list[dict[str, Any]]:
    """`tone_hints` for one free-text value, ready to put in a response. Blank or missing
    text has none. `field` names the free-text field the text came from (a name in
    `common.tone.TONE_FIELDS`): the rules read it as that field (a row can be off for it),
    and each hint's `attr` says it, with `.item` for one item of a list. The rules are those
    of `language`, else of the active language (the writer's locale in their request)."""
    if not text:
        return []
    attr = field if item is None else f"{field}.{item}"
    hints = [
        {**dataclasses.asdict(hint), "attr": attr}
        for hint in tone_hints(text, field=field, language=language)
    ]
    return list(ToneHintOutput(hints, many=True).data)


@extend_schema_field(ToneHintOutput(many=True))
class ToneHintsField(serializers.Field):
    """Read-only `tone_hints` for a write's output serializer, one list in text order per
    field: `tone_hints = ToneHintsField(fields=["note"])`; each hint's `attr` names its field,
    and each field is read by the same rules as `tone/check` with that `field`. The names are
    `common.tone.TONE_FIELDS` (a test checks every write's names are there).

    Use it only on the response to the author's own write: the hints are advice for the
    writer, and a partner never sees them (nothing labels a partner as the problem)."""

    def __init__(self, *, fields: list[str], **kwargs: Any) -> None:
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        self.text_fields = fields
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> list[dict[str, Any]]:
        hints: list[dict[str, Any]] = []
        for name in self.text_fields:
            text = getattr(value, name, None)
            if isinstance(text, list | tuple):  # a list of short texts: attr names the item
                for index, item in enumerate(text):
                    hints += tone_hints_data(item, name, item=index)
            else:
                hints += tone_hints_data(text, name)
        return hints
