"""Admin for the sandbox outbox: read-only, since rows record what a simulator received."""

from django.contrib import admin

from apps.users.admin_audit import AuditedAdmin

from .models import SandboxPush, SandboxSms


class ReadOnlyAdmin(AuditedAdmin):
    """What a simulator received is a record, not something to edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SandboxSms)
class SandboxSmsAdmin(ReadOnlyAdmin):
    list_display = ["phone", "provider", "csms_id", "created_at"]
    list_filter = ["provider"]
    search_fields = ["phone"]
    ordering = ["-created_at"]
    readonly_fields = [
        "id",
        "provider",
        "msisdn",
        "phone",
        "text",
        "csms_id",
        "reference_id",
        "created_at",
    ]


@admin.register(SandboxPush)
class SandboxPushAdmin(ReadOnlyAdmin):
    list_display = ["title", "project_id", "message_id", "created_at"]
    list_filter = ["project_id"]
    search_fields = ["token", "title"]
    ordering = ["-created_at"]
    readonly_fields = [
        "id",
        "project_id",
        "token",
        "title",
        "body",
        "data",
        "message_id",
        "created_at",
    ]
