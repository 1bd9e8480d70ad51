"""My couple, my partner's shared profile, and ending the couple."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_serializers import ErrorResponse404Serializer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors import profile_shared_with_partner
from accounts.viewer import person_of
from couples import selectors
from couples.serializers import CoupleEndInput, CoupleEndOutput, CoupleOutput, CouplePartnerOutput
from couples.services.leaving import couple_end_requested

# Not in a couple: two answers an app can tell apart and show kindly. Never a reason.
NOT_IN_A_COUPLE = OpenApiResponse(
    response=ErrorResponse404Serializer,
    description="Not in a couple. `not_paired`: never paired (or only invited so far). "
    "`couple_ended`: their couple ended, by either of the two, and they have not paired "
    "again; the detail is a gentle sentence the app can show as it is, and a "
    "`couple_ended` notification reaches the partner who did not end it (after their "
    "quiet hours). No reason is ever given.",
    examples=[
        OpenApiExample(
            "NotPaired",
            value={
                "type": "client_error",
                "errors": [
                    {
                        "code": "not_paired",
                        "detail": "You are not in a couple right now.",
                        "attr": None,
                    }
                ],
            },
            status_codes=["404"],
            response_only=True,
        ),
        OpenApiExample(
            "CoupleEnded",
            value={
                "type": "client_error",
                "errors": [
                    {
                        "code": "couple_ended",
                        "detail": "Your couple in Haven has ended. What you wrote stays yours.",
                        "attr": None,
                    }
                ],
            },
            status_codes=["404"],
            response_only=True,
        ),
    ],
)


def couple_payload(user: User) -> dict:
    couple, partner = selectors.couple_and_partner_or_ended(user)
    spaces = selectors.spaces_of(user, partner)
    return CoupleOutput(
        {
            "couple": couple,
            "partner": partner,
            "my_space": spaces[user.pk],
            "partner_space": spaces[partner.pk],
        }
    ).data


class CoupleView(APIView):
    """My couple: the partner's name and time zone, and who is taking space."""

    read_beside_sign_in = selectors.PARTNER_BESIDE_SIGN_IN  # one round trip fewer (issue 17)

    @extend_schema(
        responses={200: CoupleOutput, 404: NOT_IN_A_COUPLE}, operation_id="couple_retrieve"
    )
    def get(self, request: Request) -> Response:
        return Response(couple_payload(person_of(request)))


class CouplePartnerView(APIView):
    """What my partner shares with me: love languages, preferences, shared boundaries, and
    their attachment style only if they chose to share it."""

    read_beside_sign_in = selectors.PARTNER_AND_PROFILE_BESIDE_SIGN_IN

    @extend_schema(
        responses={200: CouplePartnerOutput, 404: NOT_IN_A_COUPLE},
        operation_id="couple_partner_retrieve",
    )
    def get(self, request: Request) -> Response:
        me = person_of(request)
        _couple, partner = selectors.couple_and_partner_or_ended(me, partner_profile=True)
        shared = profile_shared_with_partner(user=partner)
        boundaries = selectors.boundaries_shared_by(partner, viewer=me, compiled=True).order_by(
            "created_at"
        )
        return Response(
            CouplePartnerOutput({"partner": partner, "boundaries": boundaries, **shared}).data
        )


class CoupleEndView(APIView):
    @extend_schema(
        request=CoupleEndInput,
        responses={
            200: OpenApiResponse(
                CoupleEndOutput,
                description="The couple, ended now for you. Without a delay it ends for both "
                "now; with `delay_hours` your partner sees it only at `partner_sees_it_at`, and "
                "until then sees everything exactly as it was. A second tap, or a tap by the "
                "partner whose couple already ended, answers the same ended couple and changes "
                "nothing.",
            ),
            404: OpenApiResponse(
                ErrorResponse404Serializer,
                description="`not_paired`: never paired (or only invited so far).",
            ),
        },
        operation_id="couple_end",
    )
    def post(self, request: Request) -> Response:
        data = CoupleEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        couple, delayed = couple_end_requested(
            user=person_of(request), delay_hours=data.validated_data["delay_hours"]
        )
        return Response(CoupleEndOutput(CoupleEndOutput.shape(couple, delayed)).data)
