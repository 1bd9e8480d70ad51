"""Print the README's "Your data" tables from the registry (accounts.data_rights): per model,
its export section and deletion rule; per deletion rule, what it keeps and why."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.data_rights import (
    deletion_rules,
    exemptions,
    export_sections,
    models_referring_to_a_person,
)


class Command(BaseCommand):
    help = "Print the per-model export/deletion table for the README's Your data section."

    def handle(self, *args, **options) -> None:
        sections = {m: s.name for s in export_sections() for m in s.models}
        rules = {m: r.name for r in deletion_rules() for m in r.models}
        exempt = {e.model: e.reason for e in exemptions()}
        self.stdout.write("| model | export section | deletion rule |")
        self.stdout.write("|---|---|---|")
        for model in models_referring_to_a_person():
            section = f"`{sections[model]}`" if model in sections else "—"
            rule = f"`{rules[model]}`" if model in rules else exempt.get(model, "—")
            self.stdout.write(f"| {model._meta.label} | {section} | {rule} |")
        self.stdout.write("")
        self.stdout.write("| deletion rule | what stays, and why |")
        self.stdout.write("|---|---|")
        for deletion in deletion_rules():
            keeps = deletion.keeps or "Nothing: deleted."
            self.stdout.write(f"| `{deletion.name}` | {keeps} |")
