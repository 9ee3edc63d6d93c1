"""Routes of /gallery/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.GalleryListCreateView.as_view(), name="gallery-list"),
    path("categories/", views.GalleryCategoryListView.as_view(), name="gallery-categories"),
    path("<uuid:image_id>/", views.GalleryDetailView.as_view(), name="gallery-detail"),
]
