"""Django admin for notices: staff publish, edit and withdraw through the services (audited)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin, admin_action_apply
from core.exceptions import ApplicationError

from . import services
from .models import Notice, NoticeView

FORM_FIELDS = (
    "title",
    "content",
    "category",
    "priority",
    "is_urgent",
    "published_at",
    "expires_at",
    "attachment",
)


class NoticeAdminForm(forms.ModelForm):
    """The service's rules, checked on the form so a refusal shows as a form error."""

    actor = None  # set per request by NoticeAdmin.get_form
    target_wards = forms.CharField(
        label=_("Target wards"),
        required=False,
        help_text=_("Ward numbers separated by commas; empty means the whole city."),
    )

    class Meta:
        model = Notice
        fields = FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            wards = self.instance.wards.values_list("ward_number", flat=True)
            self.initial["target_wards"] = ", ".join(sorted(wards, key=lambda w: w.zfill(10)))

    def service_data(self) -> dict:
        """What the form changes, in the services' terms."""
        adding = self.instance._state.adding
        names = FORM_FIELDS if adding else [f for f in self.changed_data if f in FORM_FIELDS]
        data = {name: self.cleaned_data.get(name) for name in names if name != "attachment"}
        if "attachment" in self.changed_data:
            upload = self.cleaned_data.get("attachment")
            data["attachment"] = upload or None  # False: "clear" was ticked
        if adding or "target_wards" in self.changed_data:
            text = self.cleaned_data.get("target_wards") or ""
            data["target_wards"] = [ward.strip() for ward in text.split(",") if ward.strip()]
        return data

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        notice = None if self.instance._state.adding else Notice.objects.get(pk=self.instance.pk)
        try:
            services.notice_input_check(actor=self.actor, data=self.service_data(), notice=notice)
        except ApplicationError as exc:
            for field, problems in exc.details.items():
                self.add_error(field if field in self.fields else None, problems)
            if not exc.details:
                self.add_error(None, exc.message)
        return cleaned


@admin.action(description=_("Withdraw the selected notices"))
def withdraw_notices(modeladmin, request, queryset):
    admin_action_apply(
        modeladmin,
        request,
        queryset,
        lambda notice: services.notice_withdraw(notice=notice, actor=request.user, request=request),
        done=_("%(n)d notice(s) withdrawn."),
    )


@admin.register(Notice)
class NoticeAdmin(AuditedAdmin):
    form = NoticeAdminForm
    list_display = (
        "title",
        "category",
        "priority",
        "is_urgent",
        "ward_list",
        "published_at",
        "expires_at",
        "is_active",
        "view_count",
    )
    list_filter = ("is_active", "is_urgent", "priority", "category")
    search_fields = ("title", "content", "category")
    date_hierarchy = "published_at"
    list_select_related = ("created_by",)
    readonly_fields = (
        "is_active",
        "withdrawn_at",
        "urgent_sent_at",
        "attachment_name",
        "attachment_size",
        "view_count",
        "created_by",
        "created_at",
        "updated_at",
    )
    actions = [withdraw_notices]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("wards")

    @admin.display(description=_("target wards"))
    def ward_list(self, notice) -> str:
        wards = sorted((row.ward_number for row in notice.wards.all()), key=lambda w: w.zfill(10))
        return ", ".join(wards) or _("Whole city")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.withdrawn_at is not None:
            return (*FORM_FIELDS, *self.readonly_fields)  # kept for the record as it was
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw instead: the notice stays for the record

    def save_model(self, request, obj, form, change):
        data = form.service_data()
        try:
            if change:
                services.notice_update(notice=obj, actor=request.user, data=data, request=request)
            else:
                obj.pk = services.notice_create(actor=request.user, data=data, request=request).pk
        except ApplicationError as exc:  # lost a race since the form's check
            self.message_user(request, exc.message, level=messages.ERROR)


@admin.register(NoticeView)
class NoticeViewAdmin(AuditedAdmin):
    list_display = ("viewed_at", "notice", "user")
    list_select_related = ("notice", "user")
    search_fields = ("notice__title", "user__phone", "user__name")
    date_hierarchy = "viewed_at"
    readonly_fields = ("notice", "user", "viewed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
