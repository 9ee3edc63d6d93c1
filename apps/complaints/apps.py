"""App config of complaints: filing with photos, tracking, triage, ratings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "apps.complaints"
    label = "complaints"
    verbose_name = _("Complaints")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

        from . import pages
        from .models import Complaint, ComplaintImage, ComplaintUpdate

        # Kept pages of the list and kept complaint answers are retired by every write of what
        # they show (pages.py).
        for signal in (pre_save, pre_delete):
            signal.connect(
                pages.complaint_writing, sender=Complaint, dispatch_uid="complaints.list"
            )
        for signal in (post_save, post_delete):
            signal.connect(
                pages.complaint_written, sender=Complaint, dispatch_uid="complaints.list"
            )
        for signal in (post_save, post_delete):
            for part in (ComplaintImage, ComplaintUpdate):
                signal.connect(
                    pages.part_written, sender=part, dispatch_uid=f"complaints.list.{part.__name__}"
                )
        post_delete.connect(
            pages.account_deleted, sender=get_user_model(), dispatch_uid="complaints.list.accounts"
        )
