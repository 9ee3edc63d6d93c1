"""Django admin for notifications (what was sent, how far each channel got) and device tokens."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.users.admin_audit import AuditedAdmin

from .models import DeviceToken, Notification
from .push import token_ref
from .services import notification_mark_read, notification_send_test


@admin.register(Notification)
class NotificationAdmin(AuditedAdmin):
    """Records of what people were told: read-only; an action marks inbox ones read, through the
    same service the app uses."""

    list_display = ["title", "user", "kind", "is_read", "sms_status", "push_status", "created_at"]
    list_filter = ["kind", "is_read", "in_app", "sms_status", "push_status"]
    search_fields = ["user__phone", "user__name", "title", "dedupe_key"]
    list_select_related = ["user"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    actions = ["mark_read"]
    fields = [
        "id",
        "user",
        "kind",
        "title",
        "body",
        "data",
        "dedupe_key",
        "in_app",
        "is_read",
        "read_at",
        "sms_status",
        "sms_sent_at",
        "push_status",
        "push_sent_at",
        "push_reached",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mark the selected notifications read"))
    def mark_read(self, request, queryset):
        unread = queryset.filter(in_app=True, is_read=False).select_related("user")
        marked = [
            notification_mark_read(user=notification.user, notification_id=notification.pk)
            for notification in unread
        ]
        self.message_user(
            request,
            ngettext(
                "%(count)d notification marked read.",
                "%(count)d notifications marked read.",
                len(marked),
            )
            % {"count": len(marked)},
            messages.SUCCESS,
        )


@admin.register(DeviceToken)
class DeviceTokenAdmin(AuditedAdmin):
    list_display = ["user", "platform", "token_fingerprint", "is_active", "last_seen_at"]
    list_filter = ["platform", "is_active"]
    search_fields = ["user__phone", "user__name", "token"]
    list_select_related = ["user"]
    ordering = ["-last_seen_at"]
    actions = ["send_test_notification"]
    fields = ["id", "user", "platform", "token", "is_active", "last_seen_at", "created_at"]
    readonly_fields = ["id", "user", "platform", "token", "last_seen_at", "created_at"]

    def has_add_permission(self, request):
        return False  # tokens come from the app, through the API

    @admin.display(description=_("token"))
    def token_fingerprint(self, obj: DeviceToken) -> str:
        return token_ref(obj.token)

    @admin.action(description=_("Send a test notification to the owners of these devices"))
    def send_test_notification(self, request, queryset):
        users = {device.user for device in queryset.select_related("user")}
        for user in users:
            notification_send_test(user=user)
        self.message_user(
            request,
            ngettext(
                "Test notification sent to %(count)d person.",
                "Test notification sent to %(count)d people.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
