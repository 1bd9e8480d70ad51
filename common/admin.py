from django.contrib import admin


class ViewOnlyAdmin(admin.ModelAdmin):
    """For rows an operator may look at but never write: history, assignments, anything a
    person wrote that the admin must not alter."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Registered by importing the concept's own admin module.
from common.safety import admin as safety_admin  # noqa: E402, F401
