from django.contrib import admin

from common.admin import ViewOnlyAdmin
from couples.models import Agreement, Boundary, Couple, Invite, Membership, SpacePeriod


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    readonly_fields = ("user", "joined_at", "left_at")
    can_delete = False


@admin.register(Couple)
class CoupleAdmin(admin.ModelAdmin):
    """Operators see that a couple exists and when; its content is for coaches with consent
    (a later issue), never a list page of private text."""

    list_display = ("id", "created_at", "ended_at")
    readonly_fields = ("id", "created_at", "updated_at", "ended_at", "ended_by")
    inlines = [MembershipInline]


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
