"""Crisis lines in the admin: operators (superusers) add, change and verify them; nobody
else sees them here (coaches have no business with them, and the public reads the API)."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from common.safety.models import CrisisLine


@admin.register(CrisisLine)
class CrisisLineAdmin(admin.ModelAdmin):
    list_display = ("country", "kind", "name", "phone", "text_number", "verified_on")
    list_filter = ("kind", ("verified_on", admin.EmptyFieldListFilter), "country")
    search_fields = ("country", "name", "phone")
    ordering = ("country", "kind", "position")
    readonly_fields = ("created_at", "updated_at")
    # An address typed without a scheme is the organisation's secure site.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _operator(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._operator(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._operator(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._operator(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._operator(request)
