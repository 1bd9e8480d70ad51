import allauth.headless.urls
from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import web_deletion
from common import views as common_views
from common.routing import remembering
from nudges.views import unsubscribe_page

# Coaches and operators should know whose admin they are in.
admin.site.site_header = _("Haven admin")
admin.site.site_title = _("Haven admin")
admin.site.index_title = _("Coaching and operations")

# allauth serves phone routes whatever the login methods; Haven signs in by email only, so
# they are left out (and so out of allauth's published schema, which lists what resolves).
ALLAUTH_UNUSED_ROUTES = {"manage_phone", "verify_phone", "resend_phone_verification_code"}


def _without(patterns: list, names: set[str]) -> list:
    kept: list = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            entry = URLResolver(
                entry.pattern,
                _without(entry.url_patterns, names),
                entry.default_kwargs,
                entry.app_name,
                entry.namespace,
            )
        elif isinstance(entry, URLPattern) and entry.name in names:
            continue
        kept.append(entry)
    return kept


def _view_on_site(request, content_type_id: str, object_id: str):
    """The admin's "view on site" shortcut, where an id that cannot be one (not a UUID, a NUL)
    is a 404 like any unknown id, not a server error."""
    if "\x00" in object_id or "\x00" in content_type_id:
        raise Http404
    try:
        return contenttype_views.shortcut(request, content_type_id, object_id)
    except ValidationError:
        raise Http404 from None


api_v1 = [
    path("", include("accounts.urls")),
    path("", include("nudges.urls")),
    path("", include("couples.urls")),
    path("", include("checkins.urls")),
    path("", include("learn.urls")),
    path("", include("common.urls")),
]

urlpatterns = [
    # Each API path's route found once per process (common.routing), not pattern by pattern.
    remembering(path("api/v1/", include(api_v1))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "_allauth/",
        include((_without(allauth.headless.urls.urlpatterns, ALLAUTH_UNUSED_ROUTES), "headless")),
    ),
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(_view_on_site),
    ),
    path("admin/", admin.site.urls),
    # The page an email's unsubscribe link opens (the one-click POST target is under api/v1/).
    path("unsubscribe/<str:token>", unsubscribe_page, name="nudges-unsubscribe-page"),
    # Deleting an account on the web, for people who no longer have the app.
    path("account/delete", web_deletion.deletion_request_page, name="account-delete"),
    path(
        "account/delete/<str:token>",
        web_deletion.deletion_confirm_page,
        name="account-delete-confirm",
    ),
    path("healthz", common_views.healthz, name="healthz"),
    path("readyz", common_views.readyz, name="readyz"),
    path("readyz/workers", common_views.readyz_workers, name="readyz-workers"),
    # Last: any other path under api/ answers in the API's error shape, DEBUG on or off.
    # (The two pages above without their slash are left to APPEND_SLASH's redirect.)
    re_path(r"^api/(?!(?:schema|docs)$)", common_views.api_not_found, name="api-not-found"),
]

handler400 = "common.views.api_aware_400"
handler403 = "common.views.api_aware_403"
handler404 = "common.views.api_aware_404"
handler500 = "common.views.api_aware_500"
