"""URLs of the staff console under /console/."""

from django.urls import path
from django.views.i18n import set_language

from .views import access, complaints, dashboard, notices, reports

app_name = "console"

urlpatterns = [
    path("", complaints.queue, name="queue"),
    path("complaints.csv", complaints.queue_export, name="queue-export"),
    path("complaints/assign/", complaints.bulk_assign, name="bulk-assign"),
    path("login/", access.sign_in, name="login"),
    path("logout/", access.sign_out, name="logout"),
    path("password/", access.password_change, name="password"),
    path("language/", set_language, name="language"),
    path("complaints/<uuid:complaint_id>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<uuid:complaint_id>/status/", complaints.complaint_status, name="status"),
    path("complaints/<uuid:complaint_id>/assign/", complaints.complaint_assign, name="assign"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_new, name="notice-new"),
    path("notices/<uuid:notice_id>/edit/", notices.notice_edit, name="notice-edit"),
    path("notices/<uuid:notice_id>/withdraw/", notices.notice_withdraw, name="notice-withdraw"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<uuid:report_id>/", reports.report_detail, name="report"),
    path("reports/<uuid:report_id>/download/", reports.report_download, name="report-download"),
]
