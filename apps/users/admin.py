"""Django admin for accounts, wards, staff permissions and the (read-only) activity log."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.exceptions import ValidationFailed
from core.phone import normalize_phone

from .admin_audit import AuditedAdmin
from .admin_selectors import admin_permission_list
from .admin_services import PERMISSION_FIELDS, permission_summary, wards_clean
from .models import ActivityAction, ActivityLog, AdminPermission, User, UserType, Ward
from .policy import PERMISSION_TYPES
from .services import activity_record, user_revoke_tokens, ward_number_normalize

PERSON_FIELDS = ("name", "email", "nid", "address", "ward_number", "language", "profile_picture")


class _AccountRules(forms.ModelForm):
    """The API's input rules, so an operator cannot save what the API would refuse."""

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_ward_number(self):
        try:
            return ward_number_normalize(self.cleaned_data.get("ward_number"))
        except ValidationFailed as exc:
            raise ValidationError(exc.message) from exc


class UserCreateForm(_AccountRules, UserCreationForm):
    class Meta:
        model = User
        fields = ("phone", "name", "user_type", "ward_number")


class UserEditForm(_AccountRules, UserChangeForm):
    class Meta:
        model = User
        fields = ("phone", "password", *PERSON_FIELDS, "user_type", "is_verified", "is_active")


class AdminPermissionForm(forms.ModelForm):
    """The API's rules for a permission row: a known resource and known, distinct wards."""

    permission_type = forms.ChoiceField(choices=[(value, value) for value in PERMISSION_TYPES])

    class Meta:
        model = AdminPermission
        fields = PERMISSION_FIELDS

    def clean_ward_numbers(self):
        wards = self.cleaned_data.get("ward_numbers") or []
        if not isinstance(wards, list):
            raise ValidationError(_('Enter a list of ward numbers, e.g. ["1", "2"].'))
        try:
            return wards_clean(wards, field="ward_numbers")
        except ValidationFailed as exc:
            raise ValidationError(exc.message) from exc


class AdminPermissionInline(admin.TabularInline):
    model = AdminPermission
    form = AdminPermissionForm
    extra = 0
    fields = PERMISSION_FIELDS


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ("-created_at",)
    list_display = (
        "phone",
        "name",
        "user_type",
        "ward_number",
        "is_verified",
        "is_active",
        "created_at",
    )
    list_filter = ("user_type", "is_verified", "is_active", "language")
    search_fields = ("phone", "name", "email", "nid")
    readonly_fields = ("created_at", "updated_at", "last_login", "is_staff", "is_superuser")
    inlines = [AdminPermissionInline]
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (
            _("Person"),
            {"fields": PERSON_FIELDS},
        ),
        (
            _("Role"),
            {"fields": ("user_type", "is_verified", "is_active", "is_staff", "is_superuser")},
        ),
        (_("Dates"), {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("phone", "name", "user_type", "ward_number", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.is_verified = True  # an operator creating an account vouches for the phone
        is_super = obj.user_type == UserType.SUPER_ADMIN
        obj.is_staff = obj.is_superuser = is_super
        super().save_model(request, obj, form, change)
        if change and ({"user_type", "is_active"} & set(form.changed_data)):
            user_revoke_tokens(user=obj)
        activity_record(
            action=ActivityAction.USER_UPDATED,
            actor=request.user,
            request=request,
            resource=obj,
            details={
                "fields": sorted(form.changed_data),
                "via": "django-admin",
                "created": not change,
            },
        )

    def save_related(self, request, form, formsets, change):
        """Permission rows edited inline are a staff write like any other: audit the change."""
        account = form.instance
        before = [permission_summary(p) for p in admin_permission_list(account=account)]
        super().save_related(request, form, formsets, change)
        after = [permission_summary(p) for p in admin_permission_list(account=account)]
        if before != after:
            activity_record(
                action=ActivityAction.PERMISSIONS_CHANGED,
                actor=request.user,
                request=request,
                resource=account,
                details={"before": before, "after": after, "via": "django-admin"},
            )

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted (their records stay)


@admin.register(Ward)
class WardAdmin(AuditedAdmin):
    list_display = ("number", "name_en", "name_bn", "zone", "city_corporation")
    list_filter = ("city_corporation", "zone")
    search_fields = ("number", "name_en", "name_bn")


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, here as everywhere."""

    list_display = ("created_at", "action", "user", "resource_type", "ip_address")
    list_filter = ("action", "resource_type")
    search_fields = ("user__phone", "user__name", "action")
    date_hierarchy = "created_at"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
