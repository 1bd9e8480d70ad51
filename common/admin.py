import datetime as dt

from django.contrib import admin
from django.utils import formats, timezone


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


def moment_display(moment: dt.datetime | None) -> str:
    """A moment in an admin column or read-only field computed by a method (which the admin
    does not format itself): in the reader's language's format and the server's time zone,
    as the admin shows model fields; a dash when there is none yet."""
    if moment is None:
        return "-"
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
