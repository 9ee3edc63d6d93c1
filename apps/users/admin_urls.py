"""Routes of /admin-users/ (super admin only)."""

from django.urls import path

from . import admin_views as views

urlpatterns = [
    path("", views.AdminUserListView.as_view(), name="admin-user-list"),
    path("<uuid:user_id>/", views.AdminUserDetailView.as_view(), name="admin-user-detail"),
    path(
        "<uuid:user_id>/permissions/",
        views.AdminUserPermissionsView.as_view(),
        name="admin-user-permissions",
    ),
    path(
        "<uuid:user_id>/activity-log/",
        views.AdminUserActivityLogView.as_view(),
        name="admin-user-activity-log",
    ),
]
