from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common import views as common_views
from nudges.views import unsubscribe_page

# Coaches and operators should know whose admin they are in.
admin.site.site_header = _("Haven admin")
admin.site.site_title = _("Haven admin")
admin.site.index_title = _("Coaching and operations")

api_v1 = [
    path("", include("accounts.urls")),
    path("", include("nudges.urls")),
    path("", include("couples.urls")),
    path("", include("checkins.urls")),
    path("", include("common.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("_allauth/", include("allauth.headless.urls")),
    path("admin/", admin.site.urls),
    # The page an email's unsubscribe link opens (the one-click POST target is under api/v1/).
    path("unsubscribe/<str:token>", unsubscribe_page, name="nudges-unsubscribe-page"),
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
