"""Django admin writes in the audit trail: every ModelAdmin of the project derives from
``AuditedAdmin`` (or mixes in ``AuditedAdminMixin``), so an add, change or delete made in the
admin leaves an ActivityLog row beside Django's own LogEntry."""

from django.contrib import admin

from .models import ActivityAction
from .services import activity_record


def _note(request, obj, action: ActivityAction, message=None) -> None:
    # The model and id only: an object's text can hold a phone number or a complaint's title,
    # and audit rows are kept for ever.
    details = {"model": obj._meta.label, "object_id": str(obj.pk)}
    if message:
        details["changes"] = message
    activity_record(
        action=action, actor=request.user, request=request, resource=obj, details=details
    )


class AuditedAdminMixin:
    def log_addition(self, request, obj, message):
        _note(request, obj, ActivityAction.ADMIN_ADDED, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        _note(request, obj, ActivityAction.ADMIN_CHANGED, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            _note(request, obj, ActivityAction.ADMIN_DELETED)
        return super().log_deletions(request, queryset)


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass
