from django.urls import path, register_converter

from checkins import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str):
        import datetime as dt

        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:  # e.g. 2026-02-30: not a date, so not this route
            raise ValueError(value) from exc

    def to_url(self, value) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("checkins", views.CheckInListView.as_view(), name="checkin-list"),
    path("checkins/today", views.TodayView.as_view(), name="checkin-today"),
    path("checkins/trends", views.TrendsView.as_view(), name="checkin-trends"),
    path("checkins/<isodate:date>", views.CheckInDayView.as_view(), name="checkin-day"),
    path(
        "checkins/<isodate:date>/unsend", views.CheckInUnsendView.as_view(), name="checkin-unsend"
    ),
    path("checkins/<isodate:date>/share", views.CheckInShareView.as_view(), name="checkin-share"),
    path(
        "checkins/<uuid:pk>/acknowledge",
        views.CheckInAcknowledgeView.as_view(),
        name="checkin-acknowledge",
    ),
    path("me/checkin-settings", views.CheckinSettingsView.as_view(), name="checkin-settings"),
    path("prompts/today", views.PromptTodayView.as_view(), name="prompt-today"),
]
