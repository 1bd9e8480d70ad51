"""The couples API, one module per concept; the URL conf reads the views from here."""

from couples.views.agreements import AgreementViewSet
from couples.views.boundaries import BoundaryViewSet
from couples.views.coaching import CoachAccessLogViewSet, CoachGrantViewSet, CoachNoteViewSet
from couples.views.conversations import ConversationViewSet
from couples.views.couples import CoupleEndView, CouplePartnerView, CoupleView
from couples.views.invites import InviteViewSet
from couples.views.messages import AppreciationViewSet, PingViewSet, ReassuranceViewSet
from couples.views.space import CoupleSpaceView

__all__ = [
    "AgreementViewSet",
    "AppreciationViewSet",
    "BoundaryViewSet",
    "CoachAccessLogViewSet",
    "CoachGrantViewSet",
    "CoachNoteViewSet",
    "ConversationViewSet",
    "CoupleEndView",
    "CouplePartnerView",
    "CoupleSpaceView",
    "CoupleView",
    "InviteViewSet",
    "PingViewSet",
    "ReassuranceViewSet",
]
