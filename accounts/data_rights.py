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


_sections: dict[str, ExportSection] = {}
_rules: dict[str, DeletionRule] = {}


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
