"""The languages Haven ships, and the message catalogues that carry them.

A shipped language is one in `settings.LANGUAGES` (today English and Spanish). Each has a
complete catalogue in `locale/<code>/LC_MESSAGES/django.po`, written by people and kept in
git; the compiled `.mo` files are not: `compile_catalogues` makes them from the `.po` with
Babel, in pure Python, so `make run`, `make test` and a deployment need no GNU gettext
(`manage.py compilemessages` is this, see `common/management/commands/compilemessages.py`).
Extracting new messages (`make messages`, Django's `makemessages`) does need GNU gettext;
that is a developer's tool only.

`catalogue_problems` is what the completeness test asks of every shipped language: every
message translated, none fuzzy, and the same placeholders (`%(name)s`, `%s`, `{name}`) on
both sides, so a translation can never drop or rename what the code fills in."""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation.template import templatize

DOMAIN = "django"

# `%(name)s`, `%s`, `%d`, `%%` and `{name}` / `{0}` / `{}`; `{{` is a literal brace.
_PLACEHOLDER = re.compile(
    r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]"
    r"|(?<!\{)\{[A-Za-z_0-9]*(?:[.:!][^{}]*)?\}(?!\})"
)


class _LanguageChoices:
    """`settings.LANGUAGES`, read when iterated (the OpenAPI schema's `LanguageEnum`)."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(settings.LANGUAGES)


LANGUAGE_CHOICES = _LanguageChoices()


def shipped_languages() -> tuple[str, ...]:
    """The language codes Haven ships, English (the source) first."""
    return tuple(code for code, _name in settings.LANGUAGES)


def translated_languages() -> tuple[str, ...]:
    """The shipped languages that have a catalogue (all but the source language)."""
    return tuple(code for code in shipped_languages() if code != settings.LANGUAGE_CODE)


def language_of(person: Any) -> str:
    """The language everything sent to `person` is written in: their own `locale` when
    Haven ships it, else English. Never the server's active language."""
    locale = getattr(person, "locale", "") or ""
    return locale if locale in shipped_languages() else settings.LANGUAGE_CODE


def catalogue_path(language: str, locale_dir: Path | None = None) -> Path:
    base = locale_dir or Path(settings.LOCALE_PATHS[0])
    return base / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, ignore_obsolete=True, abort_invalid=True)


def placeholders(text: str) -> Counter[str]:
    """The placeholders in one message, counted (`%%` is a literal percent, not one)."""
    return Counter(found for found in _PLACEHOLDER.findall(text) if found != "%%")


def _as_tuple(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def catalogue_problems(catalog: Catalog) -> list[str]:
    """What keeps a catalogue from shipping, one line per message: untranslated, fuzzy,
    or placeholders that differ from the source. Empty when it is complete."""
    problems: list[str] = []
    for message in catalog:
        if not message.id:  # the header
            continue
        sources = _as_tuple(message.id)
        label = repr(sources[0][:60])
        if message.fuzzy:
            problems.append(f"fuzzy: {label}")
        translations = _as_tuple(message.string or "")
        if not all(translations) or not translations:
            problems.append(f"untranslated: {label}")
            continue
        # Plural forms may say the number or not ("one hour" for 1); the singular's and the
        # plural's named placeholders together are what a translation may use.
        wanted = placeholders(sources[0])
        allowed = set(wanted) | {p for source in sources for p in placeholders(source)}
        for translation in translations:
            found = placeholders(translation)
            if len(sources) == 1 and found != wanted:
                problems.append(
                    f"placeholders differ: {label}: {sorted(wanted.elements())} "
                    f"vs {sorted(found.elements())}"
                )
            elif len(sources) > 1 and not set(found) <= allowed:
                problems.append(f"unknown placeholder in plural: {label}: {sorted(found)}")
    return problems


def compile_catalogues(
    languages: Iterable[str] | None = None,
    locale_dirs: Iterable[Path] | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Compile each `.po` into its `.mo` beside it (Babel, no GNU gettext), skipping those
    already newer than their source unless `force`. Fuzzy entries are left out, as msgfmt
    does. Each file is written whole and then moved into place, so parallel test workers
    or a reader never see half a catalogue. Returns the `.mo` files written."""
    wanted = set(languages) if languages is not None else None
    written: list[Path] = []
    for locale_dir in locale_dirs or [Path(p) for p in settings.LOCALE_PATHS]:
        for po_path in sorted(Path(locale_dir).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            language = po_path.parent.parent.name
            if wanted is not None and language not in wanted:
                continue
            mo_path = po_path.with_suffix(".mo")
            if (
                not force
                and mo_path.exists()
                and mo_path.stat().st_mtime >= po_path.stat().st_mtime
            ):
                continue
            catalog = read_catalogue(po_path, language)
            fd, temp_name = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)
                os.replace(temp_name, mo_path)
            except BaseException:
                Path(temp_name).unlink(missing_ok=True)
                raise
            written.append(mo_path)
    return written


# What `make messages` reads, and what it leaves out (migrations keep their historical words;
# tests, benchmarks and scripts speak to developers).
_NOT_EXTRACTED = {".venv", "tests", "bench", "scripts", "var", "artifacts", "migrations", "locale"}
_KEYWORDS: dict[str, Any] = {
    **DEFAULT_KEYWORDS,
    "_": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def source_messages(base_dir: Path | None = None) -> set[str]:
    """Every message the code and templates mark for translation (the singular of a plural),
    found in pure Python the way `makemessages` finds them (templates go through Django's own
    `templatize`), so a test can tell a catalogue that lags the code without GNU gettext."""
    base = base_dir or Path(settings.BASE_DIR)
    found: set[str] = set()
    for path in sorted(base.rglob("*")):
        relative = path.relative_to(base).parts
        if _NOT_EXTRACTED.intersection(relative) or not path.is_file():
            continue
        if path.suffix == ".py":
            source = path.read_bytes()
        elif path.suffix in {".html", ".txt"} and "templates" in relative:
            source = templatize(path.read_text(), origin=str(path)).encode()
        else:
            continue
        for _line, message, _comments, _context in extract(
            "python", io.BytesIO(source), keywords=_KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def catalogue_messages(catalog: Catalog) -> set[str]:
    """The source messages a catalogue holds (the singular of a plural)."""
    return {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalog
        if message.id
    }
