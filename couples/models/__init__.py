from couples.models.agreements import Agreement, AgreementRevision
from couples.models.boundaries import Boundary, BoundaryAcknowledgement, BoundaryRevision
from couples.models.conversations import ConversationRequest
from couples.models.couples import Couple, Membership, SpacePeriod
from couples.models.invites import Invite
from couples.models.messages import Appreciation, Ping

__all__ = [
    "Agreement",
    "AgreementRevision",
    "Appreciation",
    "Boundary",
    "BoundaryAcknowledgement",
    "BoundaryRevision",
    "ConversationRequest",
    "Couple",
    "Invite",
    "Membership",
    "Ping",
    "SpacePeriod",
]
