from django.urls import path

from common.views import ToneCheckView

urlpatterns = [
    path("tone/check", ToneCheckView.as_view(), name="tone-check"),
]
