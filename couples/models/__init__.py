from couples.models.agreements import Agreement, AgreementRevision
from couples.models.boundaries import Boundary, BoundaryAcknowledgement, BoundaryRevision
from couples.models.coaching import (
    COACHES_GROUP,
    CoachAccess,
    CoachConsent,
    CoachGrant,
    CoachNote,
    CoachProfile,
)
from couples.models.conversations import ConversationRequest
from couples.models.couples import Couple, DelayedEnd, Membership, SpacePeriod
from couples.models.invites import Invite
from couples.models.messages import Appreciation, Ping, Reassurance

__all__ = [
    "COACHES_GROUP",
    "Agreement",
    "AgreementRevision",
    "Appreciation",
    "Boundary",
    "BoundaryAcknowledgement",
    "BoundaryRevision",
    "CoachAccess",
    "CoachConsent",
    "CoachGrant",
    "CoachNote",
    "CoachProfile",
    "ConversationRequest",
    "Couple",
    "DelayedEnd",
    "Invite",
    "Membership",
    "Ping",
    "Reassurance",
    "SpacePeriod",
]
