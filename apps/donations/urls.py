"""Routes of /donations/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.DonationListView.as_view(), name="donation-list"),
    path("history/", views.DonationHistoryView.as_view(), name="donation-history"),
    path("projects/", views.ProjectListView.as_view(), name="donation-projects"),
    path("report/", views.DonationReportView.as_view(), name="donation-report"),
    path("<uuid:donation_id>/", views.DonationDetailView.as_view(), name="donation-detail"),
    path(
        "<uuid:donation_id>/receipt/",
        views.DonationReceiptView.as_view(),
        name="donation-receipt",
    ),
]
