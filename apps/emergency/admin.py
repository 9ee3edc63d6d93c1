"""Django admin for emergencies: read-only records; taking and moving them go through the
services (so they are audited and the citizen is told)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin, admin_action_apply

from . import services
from .enums import EmergencyStatus
from .models import EmergencyRequest, EmergencyUpdate


class EmergencyUpdateInline(admin.TabularInline):
    model = EmergencyUpdate
    extra = 0
    can_delete = False
    fields = ("created_at", "old_status", "new_status", "assigned_to", "comment", "updated_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=_("Take these emergencies myself"))
def take(modeladmin, request, queryset):
    admin_action_apply(
        modeladmin,
        request,
        queryset,
        lambda emergency: services.emergency_assign(
            emergency=emergency, actor=request.user, assignee_id=request.user.pk, request=request
        ),
        done=_("%(n)d emergency(ies) taken."),
    )


def _status_action(target: str, label):
    def action(modeladmin, request, queryset):
        admin_action_apply(
            modeladmin,
            request,
            queryset,
            lambda emergency: services.emergency_change_status(
                emergency=emergency, actor=request.user, new_status=target, request=request
            ),
            done=_("%(n)d emergency(ies) moved."),
        )

    action.__name__ = f"move_to_{target}"
    action.short_description = label
    return action


@admin.register(EmergencyRequest)
class EmergencyRequestAdmin(AuditedAdmin):
    list_display = (
        "created_at",
        "emergency_type",
        "location",
        "ward_number",
        "status",
        "assigned_to",
        "responded_at",
        "escalated_at",
    )
    list_filter = ("status", "emergency_type", "ward_number")
    search_fields = ("location", "description", "user__phone", "user__name")
    date_hierarchy = "created_at"
    list_select_related = ("user", "assigned_to")
    readonly_fields = (
        "user",
        "emergency_type",
        "description",
        "location",
        "latitude",
        "longitude",
        "ward_number",
        "status",
        "priority",
        "assigned_to",
        "created_at",
        "updated_at",
        "responded_at",
        "escalated_at",
        "resolved_at",
    )
    inlines = [EmergencyUpdateInline]
    actions = [
        take,
        _status_action(EmergencyStatus.IN_PROGRESS, _("Mark in progress")),
        _status_action(EmergencyStatus.RESOLVED, _("Mark resolved")),
    ]

    def has_add_permission(self, request):
        return False  # citizens raise emergencies from the app

    def has_delete_permission(self, request, obj=None):
        return False  # the record of an emergency is kept
