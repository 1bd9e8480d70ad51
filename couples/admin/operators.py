"""What operators (superusers) see of couples' data: that things exist, their state and
dates; never the words people wrote."""

from django.contrib import admin
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.admin import ViewOnlyAdmin
from couples.invite_codes import invite_code_display
from couples.models import (
    Agreement,
    Boundary,
    CoachAccess,
    CoachGrant,
    CoachProfile,
    Invite,
    Membership,
    SpacePeriod,
)


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ("id", "inviter", "status", "expires_at", "created_at")
    list_filter = ("status",)
    exclude = ("code",)
    readonly_fields = ("inviter", "status", "expires_at", "responded_at", "responded_by", "couple")


@admin.register(SpacePeriod)
class SpacePeriodAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at", "ends_at", "ended_at")
    exclude = ("reassurance_text",)
    readonly_fields = ("user", "couple", "ends_at", "check_back_at", "reassurance", "ended_at")


@admin.register(Boundary)
class BoundaryAdmin(ViewOnlyAdmin):
    """Operators see that a boundary exists, its kind and dates; never its words (a private
    boundary is for its owner alone), and they cannot change it: only the owner does."""

    list_display = (
        "id",
        "owner_id",
        "kind",
        "visibility",
        "version",
        "revisit_on",
        "created_at",
        "retired_at",
    )
    list_filter = ("kind", "visibility")
    fields = (
        "id",
        "owner_id",
        "kind",
        "visibility",
        "version",
        "revisit_on",
        "created_at",
        "updated_at",
        "retired_at",
    )
    readonly_fields = fields


# Agreements: operators see that one exists and its state, never its words.


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("id", "couple", "state", "review_on", "archived_at", "created_at")
    list_filter = ("state",)
    fields = ("id", "couple", "state", "review_on", "archived_at", "created_at", "updated_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agreement]:
        # A couple is named by its partners: fetch them for the whole page at once.
        members = Membership.objects.select_related("user")
        return (
            super()
            .get_queryset(request)
            .select_related("couple")
            .prefetch_related(Prefetch("couple__memberships", queryset=members))
        )


# Coaching: grants and the audit log are for operators; a coach's own code is for the coach.


@admin.register(CoachGrant)
class CoachGrantAdmin(ViewOnlyAdmin):
    list_display = ("id", "couple_id", "coach", "status", "activated_at", "expires_at")
    list_filter = ("status",)
    list_select_related = ("coach",)
    fields = (
        "id",
        "couple",
        "coach",
        "status",
        "round",
        "created_at",
        "activated_at",
        "expires_at",
        "revoked_at",
        "ended_at",
    )
    readonly_fields = fields


@admin.register(CoachAccess)
class CoachAccessAdmin(ViewOnlyAdmin):
    """The audit log of coach views. Superusers read it; nobody edits or deletes it (the
    partners see their own couple's entries through the API)."""

    list_display = ("created_at", "coach_name", "couple_id", "what")
    list_filter = ("what",)
    date_hierarchy = "created_at"
    fields = ("created_at", "coach", "coach_name", "couple", "what")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(CoachProfile)
class CoachProfileAdmin(ViewOnlyAdmin):
    """A coach finds here the code to give to couples; operators see every coach's."""

    list_display = ("user", "coach_code", "created_at")
    list_select_related = ("user",)
    fields = ("user", "coach_code", "created_at")
    readonly_fields = fields

    @admin.display(description=_("coach code"))
    def coach_code(self, profile: CoachProfile) -> str:
        return invite_code_display(profile.code)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user=request.user)
