from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, Consent, LoveLanguages, Preferences, User
from common.admin import ViewOnlyAdmin


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ("email",)
    list_display = ("email", "display_name", "time_zone", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "display_name")
    readonly_fields = ("id", "date_joined", "last_login", "updated_at")
    fieldsets = (
        (None, {"fields": ("email", "password", "id")}),
        (_("Profile"), {"fields": ("display_name", "time_zone", "locale")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined", "updated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


class _AboutOneselfAdmin(admin.ModelAdmin):
    """View-only, and metadata only: what a person writes here is meant for their partner (or
    for no one, once they stop sharing), not for staff or coaches browsing a list. Edits go
    through the person's own app."""

    list_display = ("user", "shared_with_partner", "updated_at")
    list_filter = ("shared_with_partner",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = ("user", "shared_with_partner", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LoveLanguages)
class LoveLanguagesAdmin(_AboutOneselfAdmin):
    pass


@admin.register(Preferences)
class PreferencesAdmin(_AboutOneselfAdmin):
    """Never shows the attachment style, shared or not: sharing is with the partner alone."""


class _OperatorsLogAdmin(ViewOnlyAdmin):
    """Read by superusers (operators answering a data request), changed by nobody."""

    list_select_related = ("user",)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)


@admin.register(AuditEvent)
class AuditEventAdmin(_OperatorsLogAdmin):
    """Exports, deletion links, deletions and consents: what and when, never what was in it.
    A deleted person's rows show the anonymous placeholder left of their account."""

    list_display = ("kind", "via", "user", "created_at")
    list_filter = ("kind", "via")
    search_fields = ("user__email",)
    fields = ("kind", "via", "user", "created_at")
    readonly_fields = fields


@admin.register(Consent)
class ConsentAdmin(_OperatorsLogAdmin):
    list_display = ("user", "notice_version", "sensitive_data", "age_confirmed", "accepted_at")
    list_filter = ("notice_version",)
    search_fields = ("user__email",)
    fields = ("user", "notice_version", "sensitive_data", "age_confirmed", "accepted_at")
    readonly_fields = fields
