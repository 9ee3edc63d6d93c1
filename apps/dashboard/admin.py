"""Django admin for generated reports: read-only (they are made through the API's task)."""

from django.contrib import admin

from apps.users.admin_audit import AuditedAdmin

from .models import Report


@admin.register(Report)
class ReportAdmin(AuditedAdmin):
    list_display = ("id", "report_type", "format", "period_start", "period_end", "status",
                    "requested_by", "created_at", "completed_at")  # fmt: skip
    list_filter = ("status", "report_type", "format")
    date_hierarchy = "created_at"
    list_select_related = ("requested_by",)
    # No file link: the file is streamed only by the API, to the requester or a super admin.
    exclude = ("file",)
    readonly_fields = [field.name for field in Report._meta.fields if field.name != "file"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
