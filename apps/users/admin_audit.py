"""Django admin writes in the audit trail: every ModelAdmin of the project derives from
``AuditedAdmin`` (or mixes in ``AuditedAdminMixin``), so an add, change or delete made in the
admin leaves an ActivityLog row beside Django's own LogEntry. Admin actions run the apps'
services one row at a time through ``admin_action_apply``."""

from django.contrib import admin, messages

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


def admin_action_apply(modeladmin, request, queryset, act, *, done) -> None:
    """Run ``act(row)`` (one service call) for each selected row; a business-rule refusal is
    shown for its row and the others go on. ``done`` is a message with ``%(n)d`` for how many
    went through."""
    from core.exceptions import ApplicationError

    count, refused = 0, []
    for row in queryset:
        try:
            act(row)
            count += 1
        except ApplicationError as exc:
            refused.append(f"{row}: {exc.message}")
    if count:
        modeladmin.message_user(request, done % {"n": count})
    for line in refused:
        modeladmin.message_user(request, line, level=messages.WARNING)
