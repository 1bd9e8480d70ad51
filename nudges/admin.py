from django.contrib import admin

from nudges.models import Device


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "platform", "app_version", "is_active", "updated_at")
    list_filter = ("platform", "is_active")
    readonly_fields = ("token_hash", "created_at", "updated_at")
    exclude = ("token",)
    raw_id_fields = ("user",)
