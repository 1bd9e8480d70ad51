"""The lesson library in the admin, curated by coaches as they curate prompts: add, edit,
retire (never delete), with every shipped language side by side (the English box, then one
box per translated language, field by field). An edit in any language never overwrites words
people have read: it writes a new version (`LessonVersion`) with the words of every language,
and the lesson points at it. A language whose boxes are all left empty is not translated
(its readers get the English).

What people do with lessons (progress, reflections, offers, shares) has no admin page at all:
a coach sees nothing of who read what, and a reflection is its author's alone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.forms.utils import pretty_name
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.i18n import translated_languages
from learn.models import ENGLISH, Lesson
from learn.selectors import english_text_of, texts_of
from learn.services import lesson_version_write

TEXT_FIELDS = ("title", "body", "for_space", "for_closeness", "try_today", "reflection_question")


class LessonForm(forms.ModelForm):
    """The lesson's settings and its words in every shipped language; saving changed words
    writes a version."""

    title = forms.CharField(max_length=120)
    body = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text=_("A 60-90 second read: plain words, our own, no labels for anyone."),
    )
    for_space = forms.CharField(
        label=_("If you need space"), max_length=800, widget=forms.Textarea(attrs={"rows": 3})
    )
    for_closeness = forms.CharField(
        label=_("If you want closeness"), max_length=800, widget=forms.Textarea(attrs={"rows": 3})
    )
    try_today = forms.CharField(
        label=_("One small thing to try today"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reflection_question = forms.CharField(max_length=300)

    class Meta:
        model = Lesson
        fields = ("slug", "position", "feature", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new lesson already has its UUID: `_state.adding` is what tells it from a saved one.
        new = self.instance._state.adding
        texts = {} if new else texts_of(self.instance)
        names = dict(settings.LANGUAGES)
        for code in translated_languages():
            for name in TEXT_FIELDS:
                english = self.fields[name]
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=format_lazy("{} ({})", english.label or pretty_name(name), names[code]),
                    max_length=english.max_length,  # type: ignore[attr-defined]
                    required=False,
                    widget=english.widget.__class__(attrs=english.widget.attrs),
                )
        for name in TEXT_FIELDS:
            label = self.fields[name].label or pretty_name(name)
            self.fields[name].label = format_lazy("{} ({})", label, names[ENGLISH])
        for code, text in texts.items():
            suffix = "" if code == ENGLISH else f"_{code}"
            for name in TEXT_FIELDS:
                if f"{name}{suffix}" in self.fields:
                    self.initial.setdefault(f"{name}{suffix}", getattr(text, name))
        if not new:
            # Apps and the rule table know a lesson by its slug: it never changes.
            self.fields["slug"].disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for code in translated_languages():
            boxes = [f"{name}_{code}" for name in TEXT_FIELDS]
            filled = [box for box in boxes if (cleaned.get(box) or "").strip()]
            if filled and len(filled) < len(boxes):
                for box in set(boxes) - set(filled):
                    self.add_error(
                        box, _("Fill in every box of a language, or leave them all empty.")
                    )
        return cleaned

    def words(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in TEXT_FIELDS}

    def translations(self) -> dict[str, dict[str, str] | None]:
        """The words of each translated language; None where every box was left empty."""
        result: dict[str, dict[str, str] | None] = {}
        for code in translated_languages():
            words = {name: self.cleaned_data.get(f"{name}_{code}", "") for name in TEXT_FIELDS}
            result[code] = words if any(value.strip() for value in words.values()) else None
        return result


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    form = LessonForm
    list_display = ("slug", "title", "feature", "position", "is_active", "version", "updated_at")
    list_filter = ("feature", "is_active")
    search_fields = ("slug",)
    ordering = ("position", "slug")
    readonly_fields = ("version", "created_at", "updated_at")
    actions = ("make_active", "make_inactive")
    fieldsets = (
        (None, {"fields": ("slug", "position", "feature", "is_active", "version")}),
        (
            _("Words in every language, side by side (saving a change writes a new version)"),
            {"fields": TEXT_FIELDS},
        ),
        (None, {"fields": ("created_at", "updated_at")}),
    )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        # The model's own fields; the form adds the words of every language itself.
        kwargs["fields"] = LessonForm.Meta.fields
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Lesson | None = None) -> Any:
        side_by_side = tuple(
            (name, *(f"{name}_{code}" for code in translated_languages())) for name in TEXT_FIELDS
        )
        settings_, words, dates = self.fieldsets
        return (settings_, (words[0], {"fields": side_by_side}), dates)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("current_version")

    @admin.display(description=_("title"))
    def title(self, lesson: Lesson) -> str:
        text = english_text_of(lesson)
        return text.title if text else ""

    @admin.display(description=_("version"))
    def version(self, lesson: Lesson) -> int | None:
        return lesson.current_version.number if lesson.current_version else None

    def save_model(self, request: HttpRequest, obj: Lesson, form: LessonForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        lesson_version_write(lesson=obj, words=form.words(), translations=form.translations())

    @admin.action(description=_("Offer the selected lessons again"))
    def make_active(self, request: HttpRequest, queryset) -> None:
        queryset.update(is_active=True)

    @admin.action(description=_("Retire the selected lessons"))
    def make_inactive(self, request: HttpRequest, queryset) -> None:
        queryset.update(is_active=False)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # What people did with a lesson points at it; retiring is the way to stop offering it.
        return False
