"""Django admin for the city calendar: staff add, edit and remove events through the services
(audited, ward rights checked); who joined is shown, never edited."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin
from core.exceptions import ApplicationError

from . import services
from .models import Event, EventParticipant

FORM_FIELDS = services.EDITABLE


class EventAdminForm(forms.ModelForm):
    """The service's rules, checked on the form so a refusal shows as a form error."""

    actor = None  # set per request by EventAdmin.get_form

    class Meta:
        model = Event
        fields = FORM_FIELDS

    def service_data(self) -> dict:
        adding = self.instance._state.adding
        names = FORM_FIELDS if adding else [f for f in self.changed_data if f in FORM_FIELDS]
        return {name: self.cleaned_data.get(name) for name in names}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        event = None if self.instance._state.adding else Event.objects.get(pk=self.instance.pk)
        try:
            services.event_input_check(actor=self.actor, data=self.service_data(), event=event)
        except ApplicationError as exc:
            for field, problems in exc.details.items():
                self.add_error(field if field in self.fields else None, problems)
            if not exc.details:
                self.add_error(None, exc.message)
        return cleaned

    def _post_clean(self):
        # The model's constraints say again what the service said in clean(), less clearly.
        if not self.errors:
            super()._post_clean()


class ParticipantInline(admin.TabularInline):
    model = EventParticipant
    fields = ("user", "joined_at", "reminded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    form = EventAdminForm
    list_display = (
        "title",
        "event_type",
        "start",
        "end",
        "all_day",
        "ward_label",
        "capacity",
        "participant_count",
    )
    list_filter = ("event_type", "all_day")
    search_fields = ("title", "title_en", "location", "ward_number")
    date_hierarchy = "start"
    readonly_fields = ("created_by", "created_at", "updated_at")
    inlines = [ParticipantInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(joined=Count("participants"))

    @admin.display(description=_("ward"), ordering="ward_number")
    def ward_label(self, event) -> str:
        return event.ward_number or _("Whole city")

    @admin.display(description=_("participants"), ordering="joined")
    def participant_count(self, event) -> int:
        return event.joined

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        data = form.service_data()
        try:
            if change:
                services.event_update(event=obj, actor=request.user, data=data, request=request)
            else:
                obj.pk = services.event_create(actor=request.user, data=data, request=request).pk
        except ApplicationError as exc:  # lost a race since the form's check
            self.message_user(request, exc.message, level=messages.ERROR)

    def delete_model(self, request, obj):
        try:
            services.event_delete(event=obj, actor=request.user, request=request)
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)

    def delete_queryset(self, request, queryset):
        for event in queryset:
            self.delete_model(request, event)


@admin.register(EventParticipant)
class EventParticipantAdmin(AuditedAdmin):
    list_display = ("joined_at", "event", "user", "reminded_at")
    list_select_related = ("event", "user")
    search_fields = ("event__title", "user__phone", "user__name")
    date_hierarchy = "joined_at"
    readonly_fields = ("event", "user", "joined_at", "reminded_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
