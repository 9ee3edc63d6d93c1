"""Django admin for one-time passwords: state and counts only, the code is never shown."""

from django.contrib import admin

from apps.users.admin_audit import AuditedAdmin

from .models import OTPVerification


@admin.register(OTPVerification)
class OTPVerificationAdmin(AuditedAdmin):
    list_display = (
        "phone",
        "purpose",
        "attempts",
        "is_verified",
        "is_void",
        "expires_at",
        "created_at",
    )
    list_filter = ("purpose", "is_verified", "is_void")
    search_fields = ("phone",)
    exclude = ("code_hash",)
    readonly_fields = (
        "phone",
        "purpose",
        "attempts",
        "is_verified",
        "is_void",
        "expires_at",
        "verified_at",
        "created_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
