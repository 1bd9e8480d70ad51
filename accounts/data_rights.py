"""What each app adds to a person's export, and what it does when a person is deleted.

`accounts` owns export (`me/export`) and deletion (`DELETE me`, `/account/delete`) but imports no
other app. Each app registers, from its `AppConfig.ready`, one export section and one deletion
rule per concept it owns, naming the models each covers — the way apps register nudge kinds with
`nudges`. `tests/accounts/data_rights/` walks every installed model and fails when one that refers
to a person (directly, or through a couple membership) is covered by neither, so a new model can
never be forgotten.

    from accounts.data_rights import register_deletion, register_export

    @register_export("boundaries", models=(Boundary, BoundaryRevision))
    def export_boundaries(person):
        return [...]  # JSON-ready: what the person provided, never the partner's private words

    @register_deletion("boundaries", models=(Boundary, BoundaryRevision), keeps="")
    def delete_boundaries(person):
        Boundary.objects.filter(owner=person).delete()

Deletion rules run inside one transaction, lowest `order` first, before the person's own row is
removed; the couple's rule (ending it exactly as `couple/end` does) runs first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model

if TYPE_CHECKING:
    from accounts.models import User

Exporter = Callable[["User"], Any]
Deleter = Callable[["User"], None]
F = TypeVar("F", bound=Callable[..., Any])

# Order bands for deletion: end relationships first, then remove what they leave behind.
ORDER_END_RELATIONSHIPS = 10
ORDER_DEFAULT = 50
ORDER_ACCOUNT = 90


@dataclass(frozen=True)
class ExportSection:
    """One key of the export document, built for one person."""

    name: str
    models: tuple[type[Model], ...]
    build: Exporter
    order: int = ORDER_DEFAULT


@dataclass(frozen=True)
class DeletionRule:
    """What happens to one concept's rows when a person is deleted. `keeps` says, in a sentence
    for the README's "Your data" section, what stays and why ("" when nothing does)."""

    name: str
    models: tuple[type[Model], ...]
    run: Deleter
    keeps: str = ""
    order: int = ORDER_DEFAULT


@dataclass(frozen=True)
class Exemption:
    """A model that refers to a person but holds nothing of theirs to export or delete
    (the reason says why, for the README)."""

    model: type[Model]
    reason: str


_sections: dict[str, ExportSection] = {}
_rules: dict[str, DeletionRule] = {}
_exempt: dict[type[Model], Exemption] = {}


def _check_new(registry: dict[str, Any], name: str, what: str) -> None:
    if name in registry:
        raise ValueError(f"{what} {name!r} is registered twice")


def register_export(
    name: str, *, models: Iterable[type[Model]], order: int = ORDER_DEFAULT
) -> Callable[[F], F]:
    """Register `build(person)` as the export section `name`, covering `models`."""

    def decorator(build: F) -> F:
        _check_new(_sections, name, "export section")
        _sections[name] = ExportSection(name=name, models=tuple(models), build=build, order=order)
        return build

    return decorator


def register_deletion(
    name: str, *, models: Iterable[type[Model]], keeps: str = "", order: int = ORDER_DEFAULT
) -> Callable[[F], F]:
    """Register `run(person)` as the deletion rule `name`, covering `models`."""

    def decorator(run: F) -> F:
        _check_new(_rules, name, "deletion rule")
        _rules[name] = DeletionRule(
            name=name, models=tuple(models), run=run, keeps=keeps, order=order
        )
        return run

    return decorator


def export_sections() -> list[ExportSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


def deletion_rules() -> list[DeletionRule]:
    return sorted(_rules.values(), key=lambda r: (r.order, r.name))


def models_exported() -> set[type[Model]]:
    return {model for section in _sections.values() for model in section.models}


def models_with_deletion_rule() -> set[type[Model]]:
    return {model for rule in _rules.values() for model in rule.models}


def exempt(model: type[Model], reason: str) -> None:
    """Declare that `model` refers to a person yet needs neither an export section nor a
    deletion rule, and why (the model walk accepts it; the README lists the reason)."""
    _exempt[model] = Exemption(model=model, reason=reason)


def exemptions() -> list[Exemption]:
    return sorted(_exempt.values(), key=lambda e: e.model._meta.label)


def models_referring_to_a_person() -> list[type[Model]]:
    """Every installed model that refers to a person: an FK, one-to-one or many-to-many to
    the user model, or to a model that does (a couple through its memberships, a check-in
    through its author, a delivery through its nudge), followed to any depth. The user model
    itself is included. Models that name a person without a key (a username in a log) are
    registered by name in `NAMED_WITHOUT_A_KEY`."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    referring: set[type[Model]] = {user_model}
    # A couple refers to its two people through its memberships (a key pointing at it).
    referring |= {model for model in apps.get_models() if model._meta.label in THROUGH_A_COUPLE}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in referring:
                continue
            for field in model._meta.get_fields():
                if (
                    field.concrete
                    and (field.many_to_one or field.one_to_one or field.many_to_many)
                    and field.related_model in referring
                ):
                    referring.add(model)
                    changed = True
                    break
    named = {apps.get_model(label) for label in NAMED_WITHOUT_A_KEY}
    return sorted(referring | named, key=lambda model: model._meta.label)


# Models that refer to people through the keys that point at them.
THROUGH_A_COUPLE = ("couples.Couple",)

# Models that hold a person's email or session without a key to the user table.
NAMED_WITHOUT_A_KEY = (
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
)


def models_without_coverage() -> list[type[Model]]:
    """What the model walk fails on: models referring to a person with neither an export
    section nor a deletion rule (nor an exemption)."""
    covered = models_exported() | models_with_deletion_rule() | set(_exempt)
    return [model for model in models_referring_to_a_person() if model not in covered]
