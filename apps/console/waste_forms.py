"""Forms of the waste screens: field names and codes are the API's (ward_number, day_of_week,
start_time, end_time, waste_type, vehicle, notes, is_active; status, scheduled_date, comment).
Which values are allowed is the waste services' rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.waste_management.enums import (
    COMMENT_MAX_CHARS,
    NOTES_MAX_CHARS,
    SpecialStatus,
    WasteType,
    Weekday,
)


class ScheduleForm(forms.Form):
    ward_number = forms.ChoiceField(label=_("Ward"))
    day_of_week = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    waste_type = forms.ChoiceField(label=_("Waste type"), choices=WasteType.choices)
    vehicle = forms.CharField(label=_("Vehicle"), max_length=50, required=False)
    notes = forms.CharField(
        label=_("Notes for citizens"),
        max_length=NOTES_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(
        label=_("Active (shown to citizens and in the calendar feed)"), required=False
    )

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward_number"].choices = wards


def schedule_initial(schedule) -> dict:
    return {
        name: getattr(schedule, name)
        for name in ("ward_number", "day_of_week", "start_time", "end_time", "waste_type",
                     "vehicle", "notes", "is_active")
    }  # fmt: skip


class SpecialPlanForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Keep the status")), *SpecialStatus.choices],
    )
    scheduled_date = forms.DateField(
        label=_("Collection date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Required when scheduling; today or later."),
    )
    comment = forms.CharField(
        label=_("Comment for the citizen"),
        max_length=COMMENT_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_data(self) -> dict:
        data = {"comment": self.cleaned_data.get("comment") or ""}
        if self.cleaned_data.get("status"):
            data["status"] = self.cleaned_data["status"]
        # The form shows the date already set; only a new one is sent (a move to collected with
        # the old date shown is not a reschedule).
        chosen = self.cleaned_data.get("scheduled_date")
        if chosen and chosen != self.initial.get("scheduled_date"):
            data["scheduled_date"] = chosen
        return data
