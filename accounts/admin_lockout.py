"""django-axes guards the admin's session login, and only that. App sign-ins (allauth
headless, under /_allauth/) are limited by allauth (`accounts/adapter.py`); axes must neither
record nor lock them, or a few wrong passwords in the app would earn an HTML lockout page
that no phone can read. `AXES_ONLY_ADMIN_SITE` keeps axes from refusing other paths, but its
database handler still records their failures and marks them locked out; this handler passes
over every request outside the admin."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler


class AdminOnlyAxesHandler(AxesDatabaseHandler):
    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None or not self.is_admin_request(request):
            return None
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        if not self.is_admin_request(request):
            return None
        return super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        if request is None or not self.is_admin_request(request):
            return None
        return super().user_logged_out(sender, request, user, **kwargs)

    def is_locked(self, request, credentials=None) -> bool:
        if not self.is_admin_request(request):
            return False
        return super().is_locked(request, credentials)
