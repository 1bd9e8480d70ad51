"""`manage.py compilemessages`, without GNU gettext: Haven's catalogues (`locale/*/…/django.po`)
compiled to `.mo` with Babel (`common.i18n.compile_catalogues`). It stands in for Django's
command of the same name (an installed app's command wins over Django's own), so the usual
deployment step works on a machine with nothing but Python. `make run` and `make test` run it.

Only Haven's own `LOCALE_PATHS` are compiled: Django's and the libraries' catalogues ship
compiled in their wheels. It refuses a catalogue that would not ship (missing, fuzzy or
mis-placeheld messages) only with `--check`; CI's completeness test is the gate."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.i18n import (
    catalogue_path,
    catalogue_problems,
    compile_catalogues,
    read_catalogue,
    translated_languages,
)


class Command(BaseCommand):
    help = "Compile Haven's message catalogues (.po to .mo) with Babel; no GNU gettext needed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locale", "-l", action="append", default=[], help="Only these languages."
        )
        parser.add_argument(
            "--force", action="store_true", help="Recompile even when the .mo is up to date."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail when a shipped language's catalogue is incomplete.",
        )
        # Accepted for compatibility with Django's command; Haven compiles only its own.
        parser.add_argument("--exclude", "-x", action="append", default=[], help="Skip these.")
        parser.add_argument("--ignore", "-i", action="append", default=[], help="Ignored.")
        parser.add_argument("--use-fuzzy", "-f", action="store_true", help="Ignored.")

    def handle(self, *args: Any, **options: Any) -> None:
        languages = set(options["locale"] or translated_languages()) - set(options["exclude"])
        if options["check"]:
            problems = [
                f"{language}: {problem}"
                for language in sorted(languages)
                for problem in catalogue_problems(
                    read_catalogue(catalogue_path(language), language)
                )
            ]
            if problems:
                raise CommandError("Incomplete catalogues:\n" + "\n".join(problems))
        written = compile_catalogues(languages, force=options["force"])
        if options["verbosity"] >= 1:
            for path in written:
                self.stdout.write(f"compiled {path}")
            if not written:
                self.stdout.write("catalogues up to date")
