"""Django admin for the gallery: the categories list, and photos added, edited and removed
through the services (re-encoded, ward rights checked, audited)."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin, admin_action_apply
from core.exceptions import ApplicationError

from . import services
from .models import GalleryCategory, GalleryImage
from .policy import may_act

FORM_FIELDS = ("title", "title_en", "description", "category", "ward_number", "image")


@admin.register(GalleryCategory)
class GalleryCategoryAdmin(AuditedAdmin):
    list_display = ("slug", "name_bn", "name_en", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("slug", "name_bn", "name_en")
    prepopulated_fields = {"slug": ("name_en",)}

    def has_delete_permission(self, request, obj=None):
        # A category holding photos is kept (PROTECT); switching it off hides it instead.
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.images.exists()
        )


class GalleryImageAdminForm(forms.ModelForm):
    """The service's rules, checked on the form so a refusal shows as a form error."""

    actor = None  # set per request by GalleryImageAdmin.get_form

    class Meta:
        model = GalleryImage
        fields = FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = GalleryCategory.objects.filter(is_active=True)
        self.fields["image"].required = self.instance._state.adding

    def service_data(self) -> dict:
        """What the form changes, in the services' terms."""
        adding = self.instance._state.adding
        names = FORM_FIELDS if adding else [f for f in self.changed_data if f in FORM_FIELDS]
        data = {name: self.cleaned_data.get(name) for name in names if name != "image"}
        if "category" in data:
            data["category"] = data["category"].slug if data["category"] else ""
        upload = self.cleaned_data.get("image")
        if "image" in self.changed_data and upload:
            data["image"] = upload
        return data

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        image = None
        if not self.instance._state.adding:
            image = GalleryImage.objects.get(pk=self.instance.pk)
        try:
            services.image_input_check(actor=self.actor, data=self.service_data(), image=image)
        except ApplicationError as exc:
            for field, problems in exc.details.items():
                self.add_error(field if field in self.fields else None, problems)
            if not exc.details:
                self.add_error(None, exc.message)
        return cleaned


@admin.action(description=_("Remove the selected photos"))
def remove_images(modeladmin, request, queryset):
    admin_action_apply(
        modeladmin,
        request,
        queryset,
        lambda image: services.image_delete(image=image, actor=request.user, request=request),
        done=_("%(n)d photo(s) removed."),
    )


@admin.register(GalleryImage)
class GalleryImageAdmin(AuditedAdmin):
    form = GalleryImageAdminForm
    list_display = ("preview", "title", "category", "ward_number", "view_count", "created_at")
    list_filter = ("category", "ward_number")
    search_fields = ("title", "title_en", "description")
    date_hierarchy = "created_at"
    list_select_related = ("category",)
    readonly_fields = ("preview", "width", "height", "view_count", "uploaded_by", "created_at",
                       "updated_at")  # fmt: skip
    actions = [remove_images]

    @admin.display(description=_("thumbnail"))
    def preview(self, image) -> str:
        if not image.thumbnail:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height:80px">', image.thumbnail.url)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # remove_images goes through the service
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        data = form.service_data()
        try:
            if change:
                services.image_update(image=obj, actor=request.user, data=data, request=request)
            else:
                obj.pk = services.image_create(actor=request.user, data=data, request=request).pk
        except ApplicationError as exc:  # lost a race since the form's check
            self.message_user(request, exc.message, level=messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_act(request.user, obj.ward_number, action="delete"))

    def delete_model(self, request, obj):
        services.image_delete(image=obj, actor=request.user, request=request)
