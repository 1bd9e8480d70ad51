from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.views import (
    ConsentView,
    ExportView,
    LoveLanguagesView,
    MeView,
    PreferencesView,
    SessionViewSet,
)

router = SimpleRouter(trailing_slash=False)
router.register("me/sessions", SessionViewSet, basename="me-session")

urlpatterns = [
    path("me", MeView.as_view(), name="me"),
    path("me/export", ExportView.as_view(), name="me-export"),
    path("me/consent", ConsentView.as_view(), name="me-consent"),
    path("me/love-languages", LoveLanguagesView.as_view(), name="me-love-languages"),
    path("me/preferences", PreferencesView.as_view(), name="me-preferences"),
    *router.urls,
]
