"""The couples API's input and output shapes, one module per concept."""

from couples.serializers.agreements import (
    AgreementAcceptInput,
    AgreementCounterInput,
    AgreementOutput,
    AgreementProposeInput,
    AgreementRevisionInput,
    AgreementRevisionOutput,
    AgreementSnoozeInput,
    AgreementStateField,
    AgreementWriteOutput,
)
from couples.serializers.boundaries import (
    BoundaryCreateInput,
    BoundaryForbiddenError,
    BoundaryForbiddenOutput,
    BoundaryOutput,
    BoundaryRevisionOutput,
    BoundaryUpdateInput,
    BoundaryWriteOutput,
)
from couples.serializers.conversations import (
    CalmOfferOutput,
    ConversationCreateInput,
    ConversationCreateOutput,
    ConversationOutput,
    ConversationRespondInput,
)
from couples.serializers.couples import (
    CoupleEndOutput,
    CoupleOutput,
    CouplePartnerOutput,
    PartnerSummaryOutput,
    SharedAloneTimeWindowOutput,
    SharedLoveLanguagesOutput,
    SharedPreferencesOutput,
)
from couples.serializers.invites import InviteOutput, InvitePreviewOutput
from couples.serializers.messages import (
    AppreciationCreateOutput,
    AppreciationInput,
    AppreciationOutput,
    PingOutput,
)
from couples.serializers.space import SpaceEndInput, SpaceOutput, SpaceStartInput, SpaceStartOutput

__all__ = [
    "AgreementAcceptInput",
    "AgreementCounterInput",
    "AgreementOutput",
    "AgreementProposeInput",
    "AgreementRevisionInput",
    "AgreementRevisionOutput",
    "AgreementSnoozeInput",
    "AgreementStateField",
    "AgreementWriteOutput",
    "AppreciationCreateOutput",
    "AppreciationInput",
    "AppreciationOutput",
    "BoundaryCreateInput",
    "BoundaryForbiddenError",
    "BoundaryForbiddenOutput",
    "BoundaryOutput",
    "BoundaryRevisionOutput",
    "BoundaryUpdateInput",
    "BoundaryWriteOutput",
    "CalmOfferOutput",
    "ConversationCreateInput",
    "ConversationCreateOutput",
    "ConversationOutput",
    "ConversationRespondInput",
    "CoupleEndOutput",
    "CoupleOutput",
    "CouplePartnerOutput",
    "InviteOutput",
    "InvitePreviewOutput",
    "PartnerSummaryOutput",
    "PingOutput",
    "SharedAloneTimeWindowOutput",
    "SharedLoveLanguagesOutput",
    "SharedPreferencesOutput",
    "SpaceEndInput",
    "SpaceOutput",
    "SpaceStartInput",
    "SpaceStartOutput",
]
