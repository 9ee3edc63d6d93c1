"""Django admin for complaints: filters, search, photos and history inline; status via services."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin, admin_action_apply
from apps.users.models import UserType
from apps.users.services import ward_number_normalize
from core.exceptions import ApplicationError, ValidationFailed

from . import services
from .enums import Status
from .models import Complaint, ComplaintImage, ComplaintUpdate


class ComplaintImageInline(admin.TabularInline):
    model = ComplaintImage
    extra = 0
    can_delete = False
    fields = ("preview", "image_name", "file_size", "width", "height", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def preview(self, row):
        if not row.thumbnail:
            return "-"
        return format_html(
            '<a href="{}"><img src="{}" style="max-height:80px"></a>',
            row.image.url,
            row.thumbnail.url,
        )

    def has_add_permission(self, request, obj=None):
        return False


class ComplaintUpdateInline(admin.TabularInline):
    model = ComplaintUpdate
    extra = 0
    can_delete = False
    fields = ("created_at", "old_status", "new_status", "comment", "updated_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _status_action(target: str, label):
    def action(modeladmin, request, queryset):
        admin_action_apply(
            modeladmin,
            request,
            queryset,
            lambda complaint: services.complaint_change_status(
                complaint=complaint, actor=request.user, new_status=target, request=request
            ),
            done=_("%(n)d complaint(s) moved."),
        )

    action.__name__ = f"move_to_{target}"
    action.short_description = label
    return action


class ComplaintAdminForm(forms.ModelForm):
    """The service's input rules, checked on the form so a refusal shows as a form error."""

    class Meta:
        model = Complaint
        fields = ("priority", "ward_number", "assigned_to")

    def clean_ward_number(self):
        try:
            return ward_number_normalize(self.cleaned_data.get("ward_number"))
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_assigned_to(self):
        assignee = self.cleaned_data.get("assigned_to")
        if assignee is not None and (
            not assignee.is_active
            or assignee.user_type not in (UserType.ADMIN, UserType.SERVICE_PROVIDER)
        ):
            raise forms.ValidationError(
                _("Complaints can be assigned to active ward admins or service providers only.")
            )
        return assignee


@admin.register(Complaint)
class ComplaintAdmin(AuditedAdmin):
    form = ComplaintAdminForm
    list_display = (
        "tracking_number",
        "title",
        "category",
        "priority",
        "status",
        "ward_number",
        "assigned_to",
        "created_at",
    )
    list_filter = ("status", "category", "priority", "ward_number")
    search_fields = ("tracking_number", "title", "description", "user__phone", "user__name")
    date_hierarchy = "created_at"
    list_select_related = ("user", "assigned_to")
    raw_id_fields = ("user", "assigned_to")
    # The citizen's words stay theirs; staff change priority, ward and assignment (via services).
    readonly_fields = (
        "tracking_number",
        "user",
        "title",
        "description",
        "category",
        "location",
        "latitude",
        "longitude",
        "status",
        "resolved_at",
        "rating",
        "feedback",
        "rated_at",
        "created_at",
        "updated_at",
    )
    inlines = [ComplaintImageInline, ComplaintUpdateInline]
    actions = [
        _status_action(Status.IN_PROGRESS, _("Move to in progress")),
        _status_action(Status.RESOLVED, _("Mark resolved")),
        _status_action(Status.CANCELLED, _("Cancel")),
    ]

    def has_add_permission(self, request):
        return False  # citizens file complaints through the app, with photos

    def save_model(self, request, obj, form, change):
        complaint = Complaint.objects.get(pk=obj.pk)
        edits = {f: form.cleaned_data[f] for f in form.changed_data if f in services.STAFF_EDITABLE}
        try:
            if edits:
                complaint = services.complaint_update(
                    complaint=complaint, actor=request.user, data=edits, request=request
                )
            if "assigned_to" in form.changed_data:
                services.complaint_assign(
                    complaint=complaint,
                    actor=request.user,
                    assignee_id=getattr(form.cleaned_data["assigned_to"], "pk", None),
                    request=request,
                )
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
