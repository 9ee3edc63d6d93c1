"""Django admin for chat: rooms with their messages (read-only); staff may close a room here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin, admin_action_apply

from . import services
from .models import ChatMessage, ChatRoom


class ChatMessageInline(admin.TabularInline):
    model = ChatMessage
    extra = 0
    can_delete = False
    fields = ("created_at", "sender", "message_type", "message", "file_name", "is_read")
    readonly_fields = fields
    ordering = ("-created_at",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=_("Close the conversation"))
def close_rooms(modeladmin, request, queryset):
    admin_action_apply(
        modeladmin,
        request,
        queryset,
        lambda room: services.room_close(room=room, actor=request.user, request=request),
        done=_("%(n)d conversation(s) closed."),
    )


@admin.register(ChatRoom)
class ChatRoomAdmin(AuditedAdmin):
    list_display = (
        "__str__",
        "citizen",
        "ward_number",
        "assigned_to",
        "is_closed",
        "last_message_at",
        "created_at",
    )
    list_filter = ("is_closed", "ward_number")
    search_fields = ("subject", "citizen__phone", "citizen__name")
    list_select_related = ("citizen", "assigned_to")
    date_hierarchy = "created_at"
    readonly_fields = (
        "citizen",
        "ward_number",
        "complaint",
        "subject",
        "assigned_to",
        "is_closed",
        "closed_at",
        "last_message_at",
        "citizen_read_at",
        "staff_read_at",
        "created_at",
    )
    exclude = ("last_message",)
    inlines = [ChatMessageInline]
    actions = [close_rooms]

    def has_add_permission(self, request):
        return False  # citizens open conversations from the app

    def has_delete_permission(self, request, obj=None):
        return False  # conversations are kept: they are part of the city's record


@admin.register(ChatMessage)
class ChatMessageAdmin(AuditedAdmin):
    list_display = ("created_at", "room", "sender", "message_type", "is_read")
    list_filter = ("message_type", "is_read")
    search_fields = ("message", "sender__phone", "sender__name")
    list_select_related = ("room", "sender")
    date_hierarchy = "created_at"
    readonly_fields = (
        "room",
        "sender",
        "receiver",
        "message",
        "message_type",
        "file",
        "file_name",
        "file_size",
        "is_read",
        "read_at",
        "created_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
