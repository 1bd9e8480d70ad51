"""The couple pages of the admin, as a coach sees them: only the couples that consented
(`couples_visible_to_coach`, the one place that decides it), read-only, with shared content
only, and every view written to the audit log. Operators (superusers) see that a couple
exists and when, never its content."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.viewer import person_of
from common.admin import ViewOnlyAdmin, moment_display
from common.errors import ApplicationError
from couples.admin.panels import couple_page_panels_render
from couples.coach_lessons import lesson_choices
from couples.models import CoachAccess, Couple, Membership
from couples.selectors import couples_visible_to_coach
from couples.services.coaching import coach_accesses_record, coach_note_write


def is_coach_view(request: HttpRequest) -> bool:
    """Operators keep their operator views; everyone else on staff is scoped as a coach."""
    return not request.user.is_superuser


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "joined_at", "left_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CoachNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your note to both partners"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
    )
    lesson = forms.ChoiceField(
        label=_("A short read to go with it (optional)"),
        required=False,
        choices=lambda: [("", _("None")), *lesson_choices()],
        help_text=_("It becomes each partner's lesson of the day. You will not see who reads it."),
    )


class PairedOnFilter(admin.DateFieldListFilter):
    """The date filter on when a couple paired, titled in the reader's language (the field
    is the shared `created_at`, whose name is a developer's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = _("paired")


@admin.register(Couple)
class CoupleAdmin(ViewOnlyAdmin):
    list_display = ("__str__", "paired", "ended_at")
    list_filter = (("created_at", PairedOnFilter),)
    search_fields = ("memberships__user__display_name", "memberships__user__email")
    fields = ("id", "partners", "paired", "ended_at")
    readonly_fields = fields
    inlines = [MembershipInline]
    actions = ["leave_coach_note"]
    change_form_template = "admin/couples/couple/coach_change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Couple]:
        queryset = (
            Couple.objects.all()
            if not is_coach_view(request)
            else couples_visible_to_coach(person_of(request))
        )
        # The couple's name and `partners` both read these: a page costs no query per row.
        members = Membership.objects.select_related("user")
        return queryset.prefetch_related(Prefetch("memberships", queryset=members))

    def get_inlines(self, request: HttpRequest, obj=None):
        # A coach reads who is in the couple from `partners`; the membership rows (with
        # links to people's admin pages) are for operators.
        return [] if is_coach_view(request) else super().get_inlines(request, obj)

    @admin.display(description=_("paired"), ordering="created_at")
    def paired(self, couple: Couple) -> str:
        return moment_display(couple.created_at)

    @admin.display(description=_("partners"))
    def partners(self, couple: Couple) -> str:
        current = [m for m in couple.memberships.all() if m.left_at is None]
        return " & ".join(str(m.user) for m in sorted(current, key=lambda m: m.pk))

    # --- Every coach view is recorded --------------------------------------------------------

    def changelist_view(self, request: HttpRequest, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if is_coach_view(request) and changelist is not None:
            # Evaluates the page's rows once; the template reuses them.
            coach_accesses_record(
                coach=person_of(request),
                couples=list(changelist.result_list),
                what=CoachAccess.What.LIST_ROW,
            )
        return response

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        couple = self.get_object(request, unquote(object_id))
        if couple is None:
            # Not "it doesn't exist, back to the index": a couple outside the coach's scope
            # is simply not there.
            raise Http404
        extra_context = dict(extra_context or {})
        if is_coach_view(request):
            coach_accesses_record(
                coach=person_of(request), couples=[couple], what=CoachAccess.What.COUPLE_PAGE
            )
            extra_context["coach_view"] = True
            extra_context["couple_panels"] = couple_page_panels_render(request, couple)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id, extra_context=None):
        if is_coach_view(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    # --- Coach notes ------------------------------------------------------------------------

    def has_coach_note_permission(self, request: HttpRequest) -> bool:
        # Notes are a coach's words; operators do not write to couples.
        return is_coach_view(request) and request.user.has_perm("couples.add_coachnote")

    @admin.action(description=_("Leave a coach note"), permissions=["coach_note"])
    def leave_coach_note(self, request: HttpRequest, queryset: QuerySet[Couple]):
        couples = list(queryset)
        if len(couples) != 1:
            self.message_user(request, _("Choose one couple for a note."), messages.WARNING)
            return None
        couple = couples[0]
        form = CoachNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                coach_note_write(
                    coach=person_of(request),
                    couple=couple,
                    text=form.cleaned_data["text"],
                    lesson=form.cleaned_data["lesson"],
                )
            except ApplicationError as error:
                self.message_user(request, str(error.detail), messages.ERROR)
                return None
            self.message_user(request, _("Your note is on its way to both partners."))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Leave a coach note"),
            "opts": self.model._meta,
            "couple": couple,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/couples/couple/coach_note.html", context)
