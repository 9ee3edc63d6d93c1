"""Routes of /dashboard/."""

from django.urls import path

from . import views

urlpatterns = [
    path("kpi/", views.KpiView.as_view(), name="dashboard-kpi"),
    path("complaints-stats/", views.ComplaintStatsView.as_view(), name="dashboard-complaints"),
    path("user-stats/", views.UserStatsView.as_view(), name="dashboard-users"),
    path("ward-performance/", views.WardPerformanceView.as_view(), name="dashboard-wards"),
    path("satisfaction/", views.SatisfactionView.as_view(), name="dashboard-satisfaction"),
    path("service-time/", views.ServiceTimeView.as_view(), name="dashboard-service-time"),
    path("sts-overview/", views.StsOverviewView.as_view(), name="dashboard-sts"),
    path("recent-complaints/", views.RecentComplaintsView.as_view(), name="dashboard-recent"),
    path("categories/", views.CategoriesView.as_view(), name="dashboard-categories"),
    path("financial/", views.FinancialView.as_view(), name="dashboard-financial"),
    path("stats/", views.HomeStatsView.as_view(), name="dashboard-stats"),
    path("reports/generate/", views.ReportGenerateView.as_view(), name="dashboard-report-generate"),
    path("reports/<uuid:report_id>/", views.ReportDetailView.as_view(), name="dashboard-report"),
    path(
        "reports/<uuid:report_id>/download/",
        views.ReportDownloadView.as_view(),
        name="dashboard-report-download",
    ),
]
