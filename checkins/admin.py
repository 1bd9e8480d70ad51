import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from checkins.models import CheckIn, Prompt, PromptAssignment
from common.admin import ViewOnlyAdmin, moment_display
from common.i18n import translated_languages
from couples.admin.panels import couple_page_panel
from couples.models import Couple, Membership


def _language_name(code: str) -> Any:
    return dict(settings.LANGUAGES)[code]


class PromptForm(forms.ModelForm):
    """The English and every other shipped language side by side, one box each: a coach
    writes or corrects a translation next to the text it translates. A box left empty
    means "not translated yet" (readers get the English)."""

    class Meta:
        model = Prompt
        fields = ("text", "depth", "theme", "is_active")
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 40})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing = (self.instance.translations or {}) if self.instance else {}
        for code in translated_languages():
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": _language_name(code)},
                max_length=300,
                required=False,
                initial=existing.get(code, ""),
                widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
            )

    def save(self, commit: bool = True) -> Prompt:
        prompt = super().save(commit=False)
        translations = dict(prompt.translations or {})
        for code in translated_languages():
            text = " ".join(self.cleaned_data.get(f"text_{code}", "").split())
            if text:
                translations[code] = text
            else:
                translations.pop(code, None)
        prompt.translations = translations
        if commit:
            prompt.save()
        return prompt


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    """The prompt library, curated by coaches (add, edit, retire), in every shipped
    language side by side. A prompt that is no longer wanted is retired (never served
    again) rather than deleted: dates it was given keep pointing at it."""

    form = PromptForm
    list_display = ("text", "translated", "depth", "theme", "is_active", "updated")
    list_filter = ("depth", "theme", "is_active")
    search_fields = ("text",)
    list_editable = ("is_active",)
    ordering = ("depth", "theme", "text")
    readonly_fields = ("id", "created", "updated")
    actions = ("make_active", "make_inactive")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        # The model's own fields; the form adds one box per translated language itself.
        kwargs["fields"] = PromptForm.Meta.fields
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Prompt | None = None) -> Any:
        side_by_side = ("text", *(f"text_{code}" for code in translated_languages()))
        return (
            (None, {"fields": (side_by_side, "depth", "theme", "is_active")}),
            (_("Dates"), {"fields": ("id", "created", "updated")}),
        )

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, prompt: Prompt) -> str:
        return moment_display(prompt.created_at)

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated(self, prompt: Prompt) -> str:
        return moment_display(prompt.updated_at)

    @admin.display(description=_("translated into"))
    def translated(self, prompt: Prompt) -> str:
        done = [code for code in translated_languages() if (prompt.translations or {}).get(code)]
        return ", ".join(done) or "—"

    @admin.action(description=_("Bring the selected prompts back"))
    def make_active(self, request, queryset) -> None:
        queryset.update(is_active=True)

    @admin.action(description=_("Retire the selected prompts"))
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


# --- The coach's couple page: shared check-ins over time ------------------------------------
# Registered into couples' couple page (couples never imports checkins). Server-rendered SVG,
# no script: mood (1-5) and the space↔closeness dial (-2..+2) of both partners' shared
# check-ins. Passes, unsent check-ins and private notes are never read.

CHART_DAYS = 42
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 140, 28
SERIES_COLOURS = ("#2f6f8f", "#c0623b")


def _chart(*, days: list[dt.date], series: list[dict], field: str, low: int, high: int) -> dict:
    span_x = CHART_WIDTH - 2 * CHART_PAD
    span_y = CHART_HEIGHT - 2 * CHART_PAD
    step = span_x / max(len(days) - 1, 1)
    index = {day: i for i, day in enumerate(days)}

    def y_of(value: int) -> float:
        return round(CHART_HEIGHT - CHART_PAD - (value - low) * span_y / (high - low), 1)

    lines = []
    for person in series:
        points = [
            {
                "x": round(CHART_PAD + index[c["local_date"]] * step, 1),
                "y": y_of(c[field]),
                "value": c[field],
                "date": c["local_date"],
            }
            for c in person["checkins"]
            if c[field] is not None
        ]
        lines.append(
            {**person, "points": points, "path": " ".join(f"{p['x']},{p['y']}" for p in points)}
        )
    ticks = [{"value": v, "y": y_of(v)} for v in range(low, high + 1)]
    return {"lines": lines, "ticks": ticks, "x0": CHART_PAD, "x1": CHART_WIDTH - CHART_PAD}


@couple_page_panel(order=10, name="checkins.chart")
def checkins_chart_panel(request: HttpRequest, couple: Couple) -> SafeString:
    last = timezone.now().date()
    days = [last - dt.timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
    members = list(
        Membership.objects.filter(couple=couple, left_at__isnull=True)
        .select_related("user")
        .order_by("joined_at", "user_id")
    )
    shared = (
        CheckIn.objects.filter(couple=couple, passed=False, is_shared=True, local_date__gte=days[0])
        .order_by("local_date")
        .values("author_id", "local_date", "mood", "dial")
    )
    by_author: dict = {m.user_id: [] for m in members}
    for checkin in shared:
        if checkin["author_id"] in by_author and checkin["local_date"] <= last:
            by_author[checkin["author_id"]].append(checkin)
    series = [
        {"name": str(m.user), "colour": SERIES_COLOURS[i % 2], "checkins": by_author[m.user_id]}
        for i, m in enumerate(members)
    ]
    context = {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "first_day": days[0],
        "last_day": last,
        "series": series,
        "count": sum(len(s["checkins"]) for s in series),
        "mood": _chart(days=days, series=series, field="mood", low=1, high=5),
        "dial": _chart(days=days, series=series, field="dial", low=-2, high=2),
    }
    return SafeString(render_to_string("admin/checkins/couple_chart.html", context))
