"""Routes of /notices/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.NoticeListCreateView.as_view(), name="notice-list"),
    path("<uuid:notice_id>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path(
        "<uuid:notice_id>/attachment/",
        views.NoticeAttachmentView.as_view(),
        name="notice-attachment",
    ),
]
