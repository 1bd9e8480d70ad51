from django.urls import path

from accounts.views import LoveLanguagesView, MeView, PreferencesView

urlpatterns = [
    path("me", MeView.as_view(), name="me"),
    path("me/love-languages", LoveLanguagesView.as_view(), name="me-love-languages"),
    path("me/preferences", PreferencesView.as_view(), name="me-preferences"),
]
