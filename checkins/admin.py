from django.contrib import admin

from checkins.models import Prompt, PromptAssignment
from common.admin import ViewOnlyAdmin


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    """The prompt library, curated by coaches. A prompt that is no longer wanted is made
    inactive (never chosen again) rather than deleted: dates it was given keep it."""

    list_display = ("text", "depth", "theme", "is_active", "updated_at")
    list_filter = ("depth", "theme", "is_active")
    search_fields = ("text",)
    list_editable = ("is_active",)
    ordering = ("depth", "theme", "text")
    readonly_fields = ("id", "created_at", "updated_at")
    actions = ("make_active", "make_inactive")

    @admin.action(description="Use the selected prompts again")
    def make_active(self, request, queryset) -> None:
        queryset.update(is_active=True)

    @admin.action(description="Stop using the selected prompts")
    def make_inactive(self, request, queryset) -> None:
        queryset.update(is_active=False)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Assigned prompts are protected; making them inactive is the way to retire one.
        return False


@admin.register(PromptAssignment)
class PromptAssignmentAdmin(ViewOnlyAdmin):
    """Which prompt a date was given, for tracing pacing questions. Written only by the
    app (a date's prompt never changes), so read-only here."""

    list_display = ("local_date", "prompt", "couple_id", "user_id", "created_at")
    list_filter = ("prompt__depth",)
    list_select_related = ("prompt",)
    date_hierarchy = "local_date"
    fields = ("local_date", "prompt", "couple", "user", "created_at")
    readonly_fields = fields
