from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_standardized_errors.openapi_serializers import ErrorResponse403Serializer
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.viewer import ViewerContextMixin, person_of
from checkins import selectors
from checkins.models import CheckIn
from checkins.serializers import (
    AcknowledgementInput,
    AcknowledgementOutput,
    CheckInInput,
    CheckInOutput,
    CheckinSettingsSerializer,
    CheckInWriteOutput,
    PromptOutput,
    TodayOutput,
    TrendsOutput,
)
from checkins.services import (
    acknowledgement_remove,
    acknowledgement_set,
    checkin_dates_open,
    checkin_settings_update,
    checkin_share,
    checkin_unsend,
    checkin_update,
    checkin_upsert,
)
from common.sync import SyncPagination
from couples.selectors import PARTNER_BESIDE_SIGN_IN

DATE_PARAMETER = OpenApiParameter(
    "date", dt.date, OpenApiParameter.PATH, description="A local date: today or yesterday."
)


class CheckInPagination(SyncPagination):
    ordering = ("-local_date", "-id")


class CheckInListView(ViewerContextMixin, ListAPIView):
    """My check-ins and my partner's revealed ones (phone sync: `updated_since`)."""

    serializer_class = CheckInOutput
    pagination_class = CheckInPagination
    queryset = CheckIn.objects.none()
    read_beside_sign_in = PARTNER_BESIDE_SIGN_IN  # one round trip fewer (issue 17)

    def get_queryset(self):
        # The list's pages come from statements composed once (issue 17).
        return selectors.checkins_visible_to(person_of(self.request), compiled=True)


class CheckInDayView(ViewerContextMixin):
    """My check-in for a date: read it, create or replace it (PUT), or correct it (PATCH)."""

    # The write asks the couple and partner first, before it writes anything
    # (`checkins.services._checkin_write`): read with the sign-in on writes too (issue 17).
    read_beside_sign_in = PARTNER_BESIDE_SIGN_IN
    read_beside_sign_in_on = frozenset({"GET", "HEAD", "PUT", "PATCH"})

    @extend_schema(
        parameters=[DATE_PARAMETER], responses=CheckInOutput, operation_id="checkin_day_retrieve"
    )
    def get(self, request: Request, date: dt.date) -> Response:
        checkin = get_object_or_404(
            selectors.checkins_visible_to(person_of(request)),
            author=person_of(request),
            local_date=date,
        )
        return Response(CheckInOutput(checkin, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[DATE_PARAMETER],
        request=CheckInInput,
        responses=CheckInWriteOutput,
        operation_id="checkin_day_upsert",
        description="Create or replace: every answer becomes what was sent (a field left out "
        "is cleared), except `private_note`, which changes only when sent; a pass keeps it. "
        "An unsent check-in stays unsent (share it with POST checkins/{date}/share). To "
        "change one field, use PATCH.",
    )
    def put(self, request: Request, date: dt.date) -> Response:
        serializer = CheckInInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        checkin = checkin_upsert(
            author=person_of(request), local_date=date, data=serializer.validated_data
        )
        return Response(CheckInWriteOutput(checkin, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[DATE_PARAMETER],
        request=CheckInInput,
        responses=CheckInWriteOutput,
        operation_id="checkin_day_update",
        description="Correct my check-in: only the fields sent change (e.g. a softer "
        "`shared_note` keeps the mood, dial, private note and prompt answer). `pass: true` "
        "turns it into a pass (answers go, the private note stays); an answer sent on a pass "
        "makes it a check-in again. Never shares an unsent check-in. With no check-in for "
        "the date yet, writes one from what was sent. 400 `empty_checkin` when nothing "
        "would be left.",
    )
    def patch(self, request: Request, date: dt.date) -> Response:
        serializer = CheckInInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        checkin = checkin_update(
            author=person_of(request), local_date=date, data=serializer.validated_data
        )
        return Response(CheckInWriteOutput(checkin, context=self.get_serializer_context()).data)


class CheckInUnsendView(ViewerContextMixin):
    @extend_schema(
        parameters=[DATE_PARAMETER],
        request=None,
        responses=CheckInOutput,
        operation_id="checkin_unsend",
        description="Take back what I shared for this date: to my partner it is as if I had "
        'not checked in (their today reads "not yet", no bridge, not in trends, no nudge); '
        "a partner who had it revealed is told through sync to drop it. It stays unsent "
        "through any edit until I share it again. Unsending twice is one unsend.",
    )
    def post(self, request: Request, date: dt.date) -> Response:
        checkin = get_object_or_404(CheckIn, author=person_of(request), local_date=date)
        checkin = checkin_unsend(checkin=checkin, user=person_of(request))
        return Response(CheckInOutput(checkin, context=self.get_serializer_context()).data)


class CheckInShareView(ViewerContextMixin):
    @extend_schema(
        parameters=[DATE_PARAMETER],
        request=None,
        responses=CheckInOutput,
        operation_id="checkin_share",
        description="Share an unsent check-in again: my explicit choice (no edit does it). "
        "My partner sees it under the usual reveal rule. Sharing what is already shared "
        "changes nothing and answers the same.",
    )
    def post(self, request: Request, date: dt.date) -> Response:
        checkin = get_object_or_404(CheckIn, author=person_of(request), local_date=date)
        checkin = checkin_share(checkin=checkin, user=person_of(request))
        return Response(CheckInOutput(checkin, context=self.get_serializer_context()).data)


class CheckInAcknowledgeView(APIView):
    """A warm reaction to my partner's revealed check-in, or taking it back."""

    @extend_schema(
        request=AcknowledgementInput,
        responses={200: AcknowledgementOutput, 403: ErrorResponse403Serializer},
        operation_id="checkin_acknowledge",
        description="403 `own_checkin` on my own check-in; 404 on one I cannot see.",
    )
    def post(self, request: Request, pk) -> Response:
        serializer = AcknowledgementInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        checkin = get_object_or_404(selectors.checkins_visible_to(person_of(request)), pk=pk)
        acknowledgement = acknowledgement_set(
            checkin=checkin, user=person_of(request), reaction=serializer.validated_data["reaction"]
        )
        return Response(AcknowledgementOutput(acknowledgement).data)

    @extend_schema(
        request=None,
        responses={204: None},
        operation_id="checkin_acknowledge_remove",
        description="Take my reaction back. My partner's check-in simply no longer carries it "
        "(their phone syncs it); nothing else tells them. Removing a reaction that is not "
        "there answers the same. 404 for a check-in I cannot see.",
    )
    def delete(self, request: Request, pk) -> Response:
        checkin = get_object_or_404(selectors.checkins_visible_to(person_of(request)), pk=pk)
        acknowledgement_remove(checkin=checkin, user=person_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TodayView(ViewerContextMixin):
    """Today, in my own time zone: my check-in, my partner's state, today's prompt, and,
    once we have both checked in, a bridge suggestion."""

    read_beside_sign_in = PARTNER_BESIDE_SIGN_IN

    @extend_schema(responses=TodayOutput, operation_id="checkins_today")
    def get(self, request: Request) -> Response:
        today = selectors.today_of(user=person_of(request))
        return Response(TodayOutput(today, context=self.get_serializer_context()).data)


class TrendsView(APIView):
    """My own mood, energy and dial over 7, 30 and 90 days: averages, never streaks."""

    @extend_schema(responses=TrendsOutput, operation_id="checkins_trends")
    def get(self, request: Request) -> Response:
        me = person_of(request)
        _yesterday, today = checkin_dates_open(me)
        return Response(TrendsOutput(selectors.trends_of(user=me, today=today)).data)


class CheckinSettingsView(APIView):
    @extend_schema(responses=CheckinSettingsSerializer, operation_id="me_checkin_settings_retrieve")
    def get(self, request: Request) -> Response:
        return Response(
            CheckinSettingsSerializer(selectors.checkin_settings_of(person_of(request))).data
        )

    @extend_schema(
        request=CheckinSettingsSerializer,
        responses=CheckinSettingsSerializer,
        operation_id="me_checkin_settings_update",
    )
    def patch(self, request: Request) -> Response:
        serializer = CheckinSettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        row = checkin_settings_update(user=person_of(request), data=serializer.validated_data)
        return Response(CheckinSettingsSerializer(row).data, status=status.HTTP_200_OK)


class PromptTodayView(APIView):
    """Today's prompt, for my own "today" (my time zone): the same one my partner gets for
    that calendar date. Answering it is optional; it arrives with the check-in."""

    @extend_schema(responses=PromptOutput, operation_id="prompts_today")
    def get(self, request: Request) -> Response:
        return Response(PromptOutput(selectors.prompt_today_of(user=person_of(request))).data)
