"""My couple, my partner's shared profile, and ending the couple."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors import profile_shared_with_partner
from accounts.viewer import person_of
from couples import selectors
from couples.serializers import CoupleEndOutput, CoupleOutput, CouplePartnerOutput
from couples.services.couples import couple_end


def couple_payload(user: User) -> dict:
    couple, partner = selectors.couple_and_partner_required(user)
    return CoupleOutput(
        {
            "couple": couple,
            "partner": partner,
            "my_space": selectors.space_of(user),
            "partner_space": selectors.space_of(partner),
        }
    ).data


class CoupleView(APIView):
    """My couple: the partner's name and time zone, and who is taking space."""

    @extend_schema(responses=CoupleOutput, operation_id="couple_retrieve")
    def get(self, request: Request) -> Response:
        return Response(couple_payload(person_of(request)))


class CouplePartnerView(APIView):
    """What my partner shares with me: love languages, preferences, shared boundaries, and
    their attachment style only if they chose to share it."""

    @extend_schema(responses=CouplePartnerOutput, operation_id="couple_partner_retrieve")
    def get(self, request: Request) -> Response:
        me = person_of(request)
        _couple, partner = selectors.couple_and_partner_required(me)
        shared = profile_shared_with_partner(user=partner)
        boundaries = selectors.boundaries_shared_by(partner, viewer=me).order_by("created_at")
        return Response(
            CouplePartnerOutput({"partner": partner, "boundaries": boundaries, **shared}).data
        )


class CoupleEndView(APIView):
    @extend_schema(request=None, responses=CoupleEndOutput, operation_id="couple_end")
    def post(self, request: Request) -> Response:
        couple = couple_end(user=person_of(request))
        return Response(CoupleEndOutput(couple).data)
