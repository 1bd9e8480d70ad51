from django.urls import path

from learn import views

urlpatterns = [
    path("lessons", views.LessonListView.as_view(), name="lesson-list"),
    path("lessons/<slug:slug>", views.LessonDetailView.as_view(), name="lesson-detail"),
    path(
        "lessons/<slug:slug>/complete", views.LessonCompleteView.as_view(), name="lesson-complete"
    ),
    path("lessons/<slug:slug>/dismiss", views.LessonDismissView.as_view(), name="lesson-dismiss"),
    path(
        "lessons/<slug:slug>/reflection",
        views.LessonReflectionView.as_view(),
        name="lesson-reflection",
    ),
    path("lessons/<slug:slug>/share", views.LessonShareView.as_view(), name="lesson-share"),
    path("learn/today", views.LearnTodayView.as_view(), name="learn-today"),
]
