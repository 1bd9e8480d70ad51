"""The lessons API: the list (with my progress), one lesson, marking it read or putting it
aside, my private reflection, sharing that I read it, and today's lesson."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.viewer import ViewerContextMixin, person_of
from common.pagination import CursorPagination
from learn import selectors
from learn.models import Lesson
from learn.serializers import (
    LessonOutput,
    LessonShareOutput,
    LessonSummaryOutput,
    LessonTodayOutput,
    ProgressWriteOutput,
    ReflectionInput,
    ReflectionOutput,
)
from learn.services import (
    lesson_complete,
    lesson_dismiss,
    lesson_reflect,
    lesson_share,
    lesson_today,
)

SLUG_PARAMETER = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, description="The lesson's stable name, e.g. calm-first."
)


class LessonPagination(CursorPagination):
    ordering = ("position", "id")


class LessonListView(ViewerContextMixin, ListAPIView):
    """Every lesson Haven offers, in order, each with my own progress (nobody else's)."""

    serializer_class = LessonSummaryOutput
    pagination_class = LessonPagination
    queryset = Lesson.objects.none()

    def get_queryset(self):
        return selectors.lessons_for(person_of(self.request))


class LessonDetailView(ViewerContextMixin):
    @extend_schema(
        parameters=[SLUG_PARAMETER], responses=LessonOutput, operation_id="lessons_retrieve"
    )
    def get(self, request: Request, slug: str) -> Response:
        lesson = selectors.lesson_for(person_of(request), slug)
        return Response(LessonOutput(lesson, context=self.get_serializer_context()).data)


class LessonCompleteView(ViewerContextMixin):
    @extend_schema(
        parameters=[SLUG_PARAMETER],
        request=None,
        responses=ProgressWriteOutput,
        operation_id="lessons_complete",
        description="I read it. Reading it again changes nothing (no counts, no streaks).",
    )
    def post(self, request: Request, slug: str) -> Response:
        me = person_of(request)
        progress = lesson_complete(user=me, lesson=selectors.lesson_for(me, slug))
        return Response(ProgressWriteOutput(progress).data)


class LessonDismissView(ViewerContextMixin):
    @extend_schema(
        parameters=[SLUG_PARAMETER],
        request=None,
        responses=ProgressWriteOutput,
        operation_id="lessons_dismiss",
        description="Not for me right now: not offered again for 60 days (still in the list).",
    )
    def post(self, request: Request, slug: str) -> Response:
        me = person_of(request)
        progress = lesson_dismiss(user=me, lesson=selectors.lesson_for(me, slug))
        return Response(ProgressWriteOutput(progress).data)


class LessonReflectionView(ViewerContextMixin):
    """My private answer to the lesson's question: encrypted at rest, read by me alone (not
    my partner, not a coach, not an admin page), in my export, deleted with me."""

    @extend_schema(
        parameters=[SLUG_PARAMETER],
        responses=ReflectionOutput,
        operation_id="lessons_reflection_retrieve",
    )
    def get(self, request: Request, slug: str) -> Response:
        me = person_of(request)
        progress = selectors.progress_of(selectors.lesson_for(me, slug))
        return Response(
            {
                "text": progress.reflection if progress else "",
                "updated_at": progress.reflection_updated_at if progress else None,
            }
        )

    @extend_schema(
        parameters=[SLUG_PARAMETER],
        request=ReflectionInput,
        responses=ReflectionOutput,
        operation_id="lessons_reflection_update",
    )
    def put(self, request: Request, slug: str) -> Response:
        serializer = ReflectionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        me = person_of(request)
        progress = lesson_reflect(
            user=me, lesson=selectors.lesson_for(me, slug), text=serializer.validated_data["text"]
        )
        return Response(ReflectionOutput(progress).data)


class LessonShareView(ViewerContextMixin):
    @extend_schema(
        parameters=[SLUG_PARAMETER],
        request=None,
        responses=LessonShareOutput,
        operation_id="lessons_share",
        description='Tell my partner I read this lesson ("I read about giving space '
        'today"). They get a gentle note naming the lesson, nothing else: not my '
        "reflection, not my progress. Once per lesson in a couple: sharing again changes "
        "nothing and answers with the first share. 404 `not_paired` outside a couple.",
    )
    def post(self, request: Request, slug: str) -> Response:
        me = person_of(request)
        lesson = selectors.lesson_for(me, slug)
        return Response(LessonShareOutput(lesson_share(user=me, lesson=lesson)).data)


class LearnTodayView(ViewerContextMixin):
    @extend_schema(
        responses=LessonTodayOutput,
        operation_id="learn_today",
        description="At most one lesson a day, offered when my own signals (or what is "
        "already shared with me) make it relevant; `lesson` is null when nothing fits.",
    )
    def get(self, request: Request) -> Response:
        me = person_of(request)
        offer = lesson_today(user=me)
        lesson = None
        if offer is not None:
            lesson = selectors.lessons_for(me).filter(pk=offer.lesson_id).first()
        return Response(
            LessonTodayOutput(
                {"offer": offer, "lesson": lesson}, context=self.get_serializer_context()
            ).data
        )
