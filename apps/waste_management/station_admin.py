"""Django admin of transfer stations (STS): stations change through the station services
(rights, rules, audit rows), readings are read-only, weighbridge keys are issued (the secret shown
once) and revoked through the services. Registered by admin.py, which imports this module."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin, admin_action_apply
from core.exceptions import ApplicationError

from . import station_services
from .models import StationDeviceKey, StationReading, TransferStation

STATION_FIELDS = ("name", "ward_number", "capacity_tons", "latitude", "longitude", "is_active")


class TransferStationAdminForm(forms.ModelForm):
    """The service's rules, checked on the form so a refusal shows as a form error."""

    actor = None  # set per request by TransferStationAdmin.get_form

    class Meta:
        model = TransferStation
        fields = STATION_FIELDS

    def service_data(self) -> dict:
        adding = self.instance._state.adding
        names = STATION_FIELDS if adding else [f for f in self.changed_data if f in STATION_FIELDS]
        return {name: self.cleaned_data.get(name) for name in names}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        adding = self.instance._state.adding
        station = None if adding else TransferStation.objects.get(pk=self.instance.pk)
        try:
            station_services.station_input_check(
                actor=self.actor, data=self.service_data(), station=station
            )
        except ApplicationError as exc:
            for field, problems in exc.details.items():
                self.add_error(field if field in self.fields else None, problems)
            if not exc.details:
                self.add_error(None, exc.message)
        return cleaned


@admin.register(TransferStation)
class TransferStationAdmin(AuditedAdmin):
    form = TransferStationAdminForm
    list_display = (
        "name",
        "ward_number",
        "capacity_tons",
        "current_load_tons",
        "last_reading_at",
        "alert_level",
        "is_active",
    )
    list_filter = ("is_active", "alert_level")
    search_fields = ("name", "ward_number")
    readonly_fields = ("current_load_tons", "last_reading_at", "alert_level", "created_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def has_delete_permission(self, request, obj=None):
        return False  # readings and keys hang on it: take it out of service instead

    def save_model(self, request, obj, form, change):
        data = form.service_data()
        try:
            if change:
                station_services.station_update(
                    station=obj, actor=request.user, data=data, request=request
                )
            else:
                obj.pk = station_services.station_create(
                    actor=request.user, data=data, request=request
                ).pk
        except ApplicationError as exc:  # lost a race since the form's check
            self.message_user(request, exc.message, level=messages.ERROR)
        obj.refresh_from_db()


@admin.register(StationReading)
class StationReadingAdmin(AuditedAdmin):
    """Read-only: staff weigh through the API or the console, weighbridges through the API."""

    list_display = ("at", "station", "load_tons", "recorded_by", "device")
    list_filter = ("station",)
    list_select_related = ("station", "recorded_by", "device")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StationDeviceKeyAddForm(forms.ModelForm):
    class Meta:
        model = StationDeviceKey
        fields = ("station", "name")


@admin.action(description=_("Revoke selected weighbridge keys (they stop working at once)"))
def revoke_station_keys(modeladmin, request, queryset):
    admin_action_apply(
        modeladmin,
        request,
        queryset.filter(is_active=True),
        lambda key: station_services.station_device_key_revoke(
            key=key, actor=request.user, request=request
        ),
        done=_("%(n)d key(s) revoked."),
    )


@admin.register(StationDeviceKey)
class StationDeviceKeyAdmin(AuditedAdmin):
    """Adding a key needs its station and the device's name; the secret is shown once."""

    form = StationDeviceKeyAddForm
    list_display = ("name", "station", "key_prefix", "is_active", "created_at", "last_used_at")
    list_filter = ("is_active",)
    list_select_related = ("station",)
    search_fields = ("name", "key_prefix", "station__name")
    fields = ("station", "name", "key_prefix", "is_active", "created_at", "last_used_at")
    readonly_fields = ("key_prefix", "is_active", "created_at", "last_used_at")
    actions = (revoke_station_keys,)

    def get_fields(self, request, obj=None):
        return self.fields if obj is not None else ("station", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("station", "name", *self.readonly_fields) if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        return False  # a key is never edited: it is revoked and a new one issued

    def has_delete_permission(self, request, obj=None):
        return False  # readings keep pointing at the key that sent them; revoke instead

    def save_model(self, request, obj, form, change):
        issued = station_services.station_device_key_create(
            station=obj.station, name=obj.name, actor=request.user, request=request
        )
        obj.pk = issued.key.pk
        obj._state.adding = False
        obj.refresh_from_db()
        messages.warning(
            request,
            gettext(
                "Weighbridge key for “%(name)s”: %(secret)s — copy it now and set it on the "
                "device; it is stored hashed and will never be shown again."
            )
            % {"name": issued.key.name, "secret": issued.secret},
        )
