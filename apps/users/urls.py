"""Routes of /users/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.UserListView.as_view(), name="user-list"),
    path("profile/", views.ProfileView.as_view(), name="user-profile"),
    path("profile/avatar/", views.AvatarView.as_view(), name="user-avatar"),
    path("<uuid:user_id>/", views.UserDetailView.as_view(), name="user-detail"),
]
