from django.urls import path
from rest_framework.routers import SimpleRouter

from nudges.views import DeviceViewSet, NotificationViewSet, NudgeSettingsView, UnsubscribeView

router = SimpleRouter(trailing_slash=False)
router.register("me/devices", DeviceViewSet, basename="device")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/nudge-settings", NudgeSettingsView.as_view(), name="me-nudge-settings"),
    path("unsubscribe/<str:token>", UnsubscribeView.as_view(), name="nudges-unsubscribe"),
    *router.urls,
]
