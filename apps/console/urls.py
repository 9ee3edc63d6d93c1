"""URLs of the staff console under /console/."""

from django.urls import path
from django.views.i18n import set_language

from . import views

app_name = "console"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("complaints.csv", views.queue_export, name="queue-export"),
    path("complaints/assign/", views.bulk_assign, name="bulk-assign"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password"),
    path("language/", set_language, name="language"),
    path("complaints/<uuid:complaint_id>/", views.complaint_detail, name="complaint"),
    path("complaints/<uuid:complaint_id>/status/", views.complaint_status, name="status"),
    path("complaints/<uuid:complaint_id>/assign/", views.complaint_assign, name="assign"),
]
