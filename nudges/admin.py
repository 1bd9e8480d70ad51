from django.contrib import admin

from nudges.models import Delivery, Device


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "platform", "app_version", "is_active", "updated_at")
    list_filter = ("platform", "is_active")
    readonly_fields = ("token_hash", "created_at", "updated_at")
    exclude = ("token",)
    raw_id_fields = ("user",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """What an operator sees of push and email copies: states, attempts and error codes,
    never the words (those are in the recipient's inbox, for them alone)."""

    list_display = ("id", "channel", "state", "attempts", "last_error", "next_attempt_at")
    list_filter = ("channel", "state", "last_error")
    readonly_fields = [field.name for field in Delivery._meta.fields]
    raw_id_fields = ("nudge", "device")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
