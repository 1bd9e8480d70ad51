from django.urls import path

from common.safety.views import CrisisResourcesView, SafetyPageView
from common.views import ToneCheckView

urlpatterns = [
    path("tone/check", ToneCheckView.as_view(), name="tone-check"),
    path("crisis-resources", CrisisResourcesView.as_view(), name="crisis-resources"),
    path("safety", SafetyPageView.as_view(), name="safety-page"),
]
