"""URLs of the staff console under /console/."""

from django.urls import path
from django.views.i18n import set_language

from .views import access, complaints, work

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
    path("work/", work.work_list, name="work"),
    path("work/<uuid:complaint_id>/status/", work.work_status, name="work-status"),
]
