"""Writes made in Django admin leave ActivityLog rows too (every app's ModelAdmin is audited)."""

import pytest
from django.contrib import admin

from apps.donations.models import DonationProject
from apps.users.admin_audit import AuditedAdminMixin
from apps.users.models import ActivityLog

pytestmark = pytest.mark.django_db


def test_every_model_admin_of_ours_is_audited_or_audits_itself():
    own_trail = {"User", "ActivityLog"}  # the user page writes its own rows; the log is read-only
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("apps.") or model.__name__ in own_trail:
            continue  # third-party admins (Celery beat, token blacklist) are not ours
        assert isinstance(model_admin, AuditedAdminMixin), model


def test_adding_changing_and_deleting_in_admin_is_in_the_audit_trail(client, super_admin):
    client.force_login(super_admin)
    form = {"slug": "school-books", "name_bn": "স্কুলের বই", "name_en": "School books",
            "description_bn": "", "description_en": "", "min_amount": "10.00",
            "is_active": "on", "sort_order": "0"}  # fmt: skip
    assert client.post("/admin/donations/donationproject/add/", form).status_code == 302
    project = DonationProject.objects.get()
    form["name_en"] = "School books for ward 5"
    changed = client.post(f"/admin/donations/donationproject/{project.pk}/change/", form)
    assert changed.status_code == 302
    deleted = client.post(f"/admin/donations/donationproject/{project.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    rows = ActivityLog.objects.filter(action__startswith="admin.").order_by("created_at")
    assert [(r.action, r.user, r.resource_id) for r in rows] == [
        ("admin.added", super_admin, project.pk),
        ("admin.changed", super_admin, project.pk),
        ("admin.deleted", super_admin, project.pk),
    ]
    assert rows[0].details["model"] == "donations.DonationProject"
