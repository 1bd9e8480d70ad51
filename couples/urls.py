from django.urls import path
from rest_framework.routers import SimpleRouter

from couples import views

router = SimpleRouter(trailing_slash=False)
router.register("invites", views.InviteViewSet, basename="invite")
router.register("appreciations", views.AppreciationViewSet, basename="appreciation")
router.register("pings", views.PingViewSet, basename="ping")
router.register("reassurances", views.ReassuranceViewSet, basename="reassurance")
router.register("conversations", views.ConversationViewSet, basename="conversation")
router.register("boundaries", views.BoundaryViewSet, basename="boundary")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("couple/coach-grants", views.CoachGrantViewSet, basename="coach-grant")
router.register("couple/coach-access-log", views.CoachAccessLogViewSet, basename="coach-access")
router.register("couple/coach-notes", views.CoachNoteViewSet, basename="coach-note")

urlpatterns = [
    path("couple", views.CoupleView.as_view(), name="couple"),
    path("couple/end", views.CoupleEndView.as_view(), name="couple-end"),
    path("couple/partner", views.CouplePartnerView.as_view(), name="couple-partner"),
    path("couple/space", views.CoupleSpaceView.as_view(), name="couple-space"),
    *router.urls,
]
