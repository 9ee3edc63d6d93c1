"""Django admin for waste collection: schedules and special collections change through the
services (so rights, rules, audit rows and the citizens' notifications are the API's); fees are
set here directly (audited). Transfer stations have their own admin classes (station_admin)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin, admin_action_apply
from core.exceptions import ApplicationError

from . import services, station_admin  # noqa: F401 - registers the transfer stations' classes
from .models import CollectionSchedule, SpecialCollectionRequest, WasteFee


def _errors_to_form(form: forms.ModelForm, exc: ApplicationError) -> None:
    for field, problems in exc.details.items():
        form.add_error(field if field in form.fields else None, problems)
    if not exc.details:
        form.add_error(None, exc.message)


def _copy(saved, obj) -> None:
    """Show the row as the service left it (the admin's messages and log read ``obj``)."""
    for field in type(saved)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))


class ScheduleAdminForm(forms.ModelForm):
    """The service's rules, checked on the form so a refusal shows as a form error."""

    actor = None  # set per request by CollectionScheduleAdmin.get_form

    class Meta:
        model = CollectionSchedule
        fields = services.SCHEDULE_FIELDS

    def service_data(self) -> dict:
        adding = self.instance._state.adding
        names = services.SCHEDULE_FIELDS if adding else self.changed_data
        return {name: self.cleaned_data.get(name) for name in names if name in self.fields}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        schedule = None
        if not self.instance._state.adding:
            schedule = CollectionSchedule.objects.get(pk=self.instance.pk)
        try:
            services.schedule_input_check(
                actor=self.actor, data=self.service_data(), schedule=schedule
            )
        except ApplicationError as exc:
            _errors_to_form(self, exc)
        return cleaned

    def _post_clean(self):
        # The model's own checks run in the service; a ModelForm would also apply the edits to
        # self.instance, which save_model must not see (it compares old and new values).
        pass


@admin.action(description=_("Remove the selected schedules (their citizens are told)"))
def remove_schedules(modeladmin, request, queryset):
    admin_action_apply(
        modeladmin,
        request,
        queryset,
        lambda schedule: services.schedule_delete(
            schedule=schedule, actor=request.user, request=request
        ),
        done=_("%(n)d schedule(s) removed."),
    )


@admin.register(CollectionSchedule)
class CollectionScheduleAdmin(AuditedAdmin):
    form = ScheduleAdminForm
    list_display = ("ward_number", "day_of_week", "start_time", "end_time", "waste_type",
                    "vehicle", "is_active")  # fmt: skip
    list_filter = ("is_active", "waste_type", "day_of_week")
    search_fields = ("ward_number", "vehicle", "notes")
    readonly_fields = ("created_by", "created_at", "updated_at")
    actions = [remove_schedules]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # removing goes through the service
        return actions

    def save_model(self, request, obj, form, change):
        data = form.service_data()
        try:
            if change:
                saved = services.schedule_update(
                    schedule=obj, actor=request.user, data=data, request=request
                )
            else:
                saved = services.schedule_create(actor=request.user, data=data, request=request)
        except ApplicationError as exc:  # lost a race since the form's check
            self.message_user(request, exc.message, level=messages.ERROR)
            return
        _copy(saved, obj)

    def delete_model(self, request, obj):
        try:
            services.schedule_delete(schedule=obj, actor=request.user, request=request)
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)


@admin.register(WasteFee)
class WasteFeeAdmin(AuditedAdmin):
    """The fee of a special collection per waste type; none (or not charged) → free. A request
    keeps the fee it was made with."""

    list_display = ("waste_type", "amount", "is_active", "updated_at")
    list_editable = ("amount", "is_active")
    list_filter = ("is_active",)


class SpecialRequestAdminForm(forms.ModelForm):
    actor = None
    comment = forms.CharField(
        label=_("staff comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = SpecialCollectionRequest
        fields = ("status", "scheduled_date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["comment"] = self.instance.staff_comment

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.changed_data}
        if "status" in data and not data["status"]:
            del data["status"]
        return data

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        special = SpecialCollectionRequest.objects.get(pk=self.instance.pk)
        try:
            services.special_request_input_check(
                special=special, actor=self.actor, data=self.service_data()
            )
        except ApplicationError as exc:
            _errors_to_form(self, exc)
        return cleaned

    def _post_clean(self):
        pass  # the service checks and writes


@admin.register(SpecialCollectionRequest)
class SpecialCollectionRequestAdmin(AuditedAdmin):
    """Staff plan requests here as in the API (status, date, comment); the rest is the
    citizen's and the payment's."""

    form = SpecialRequestAdminForm
    list_display = ("created_at", "ward_number", "waste_type", "preferred_date", "status",
                    "scheduled_date", "fee", "payment_state", "citizen")  # fmt: skip
    list_filter = ("status", "payment_state", "waste_type")
    search_fields = ("ward_number", "address", "citizen__phone", "citizen__name")
    date_hierarchy = "created_at"
    list_select_related = ("citizen",)
    readonly_fields = ("citizen", "ward_number", "waste_type", "description", "address",
                       "latitude", "longitude", "preferred_date", "staff_comment", "fee",
                       "payment", "payment_state", "handled_by", "created_at", "updated_at",
                       "collected_at")  # fmt: skip

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def has_add_permission(self, request):
        return False  # citizens ask through the app

    def has_delete_permission(self, request, obj=None):
        return False  # rejected requests stay for the record

    def save_model(self, request, obj, form, change):
        try:
            saved = services.special_request_update(
                special=obj, actor=request.user, data=form.service_data(), request=request
            )
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return
        _copy(saved, obj)
