from rest_framework.routers import SimpleRouter

from nudges.views import DeviceViewSet

router = SimpleRouter(trailing_slash=False)
router.register("me/devices", DeviceViewSet, basename="device")

urlpatterns = router.urls
