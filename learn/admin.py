"""The lesson library in the admin, curated by coaches as they curate prompts: add, edit,
retire (never delete). An edit never overwrites words people have read: it writes a new
version (`LessonVersion`) with its English text, and the lesson points at it; texts in other
languages are carried over to the new version until someone edits them side by side.

What people do with lessons (progress, reflections, offers, shares) has no admin page at all:
a coach sees nothing of who read what, and a reflection is its author's alone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from learn.models import Lesson
from learn.selectors import english_text_of
from learn.services import lesson_version_write

TEXT_FIELDS = ("title", "body", "for_space", "for_closeness", "try_today", "reflection_question")


class LessonForm(forms.ModelForm):
    """The lesson's settings and its English words; saving changed words writes a version."""

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
        text = None if new else english_text_of(self.instance)
        if text is not None:
            for name in TEXT_FIELDS:
                self.initial.setdefault(name, getattr(text, name))
        if not new:
            # Apps and the rule table know a lesson by its slug: it never changes.
            self.fields["slug"].disabled = True

    def words(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in TEXT_FIELDS}


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
            _("English words (saving a change writes a new version)"),
            {"fields": TEXT_FIELDS},
        ),
        (None, {"fields": ("created_at", "updated_at")}),
    )

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
        lesson_version_write(lesson=obj, words=form.words())

    @admin.action(description=_("Offer the selected lessons again"))
    def make_active(self, request: HttpRequest, queryset) -> None:
        queryset.update(is_active=True)

    @admin.action(description=_("Retire the selected lessons"))
    def make_inactive(self, request: HttpRequest, queryset) -> None:
        queryset.update(is_active=False)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # What people did with a lesson points at it; retiring is the way to stop offering it.
        return False
