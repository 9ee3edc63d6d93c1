"""URLs of the staff console under /console/."""

from django.urls import path
from django.views.i18n import set_language

from .views import (
    access,
    audit,
    chat,
    complaints,
    dashboard,
    donations,
    emergency,
    notices,
    refunds,
    reports,
    staff,
    stations,
    work,
)

app_name = "console"

urlpatterns = [
    path("", complaints.queue, name="queue"),
    path("complaints.csv", complaints.queue_export, name="queue-export"),
    path("complaints/assign/", complaints.bulk_assign, name="bulk-assign"),
    path("login/", access.sign_in, name="login"),
    path("login/code/", access.sign_in_code, name="login-code"),
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
    path("stations/", stations.station_list, name="stations"),
    path(
        "stations/<uuid:station_id>/readings/",
        stations.station_reading,
        name="station-reading",
    ),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<uuid:report_id>/", reports.report_detail, name="report"),
    path("reports/<uuid:report_id>/download/", reports.report_download, name="report-download"),
    # The super admin's screens.
    path("staff/", staff.staff_list, name="staff"),
    path("staff/<uuid:user_id>/", staff.staff_account, name="staff-account"),
    path("staff/<uuid:user_id>/permissions/", staff.staff_permissions, name="staff-permissions"),
    path("staff/<uuid:user_id>/active/", staff.staff_active, name="staff-active"),
    path("staff/<uuid:user_id>/edit/", staff.staff_edit, name="staff-edit"),
    path("refunds/", refunds.refund_list, name="refunds"),
    path("refunds/<uuid:refund_id>/approve/", refunds.refund_approve, name="refund-approve"),
    path("refunds/<uuid:refund_id>/reject/", refunds.refund_reject, name="refund-reject"),
    path("audit/", audit.audit_trail, name="audit"),
    path("donations/", donations.project_list, name="donation-projects"),
    path("donations/<uuid:project_id>/", donations.project_edit, name="donation-project"),
    path("donations/<uuid:project_id>/close/", donations.project_close, name="donation-close"),
    path("work/", work.work_list, name="work"),
    path("work/<uuid:complaint_id>/status/", work.work_status, name="work-status"),
    path("complaints/<uuid:complaint_id>/chat/", chat.complaint_chat_start, name="complaint-chat"),
    path("chat/", chat.inbox, name="chat"),
    path("chat/<uuid:room_id>/", chat.room_detail, name="chat-room"),
    path("chat/<uuid:room_id>/messages/", chat.message_send, name="chat-send"),
    path("chat/<uuid:room_id>/assign/", chat.room_assign, name="chat-assign"),
    path("chat/<uuid:room_id>/close/", chat.room_close, name="chat-close"),
    path("emergencies/", emergency.board, name="emergencies"),
    path("emergencies/<uuid:emergency_id>/", emergency.emergency_detail, name="emergency"),
    path(
        "emergencies/<uuid:emergency_id>/assign/",
        emergency.emergency_assign,
        name="emergency-assign",
    ),
    path(
        "emergencies/<uuid:emergency_id>/status/",
        emergency.emergency_status,
        name="emergency-status",
    ),
]
