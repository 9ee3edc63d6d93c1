"""The calendar editor's form: field names and codes are the API's (title, title_en, description,
event_type, start, end, all_day, location, ward_number, capacity). Which values are allowed is
the calendar services' rule; their refusals show beside the fields."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.city_calendar.enums import (
    CAPACITY_MAX,
    DESCRIPTION_MAX_CHARS,
    LOCATION_MAX_CHARS,
    TITLE_MAX_CHARS,
    EventType,
)

from .board_forms import LocalMomentField, to_minute

WHOLE_CITY = ""


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title (Bengali)"), max_length=TITLE_MAX_CHARS)
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=TITLE_MAX_CHARS, required=False
    )
    event_type = forms.ChoiceField(label=_("Type"), choices=EventType.choices)
    start = LocalMomentField(label=_("Starts at"), help_text=_("Dhaka time."))
    end = LocalMomentField(label=_("Ends at"), help_text=_("Dhaka time."))
    all_day = forms.BooleanField(
        label=_("All day (whole days from the start's day to the end's)"), required=False
    )
    location = forms.CharField(label=_("Place"), max_length=LOCATION_MAX_CHARS, required=False)
    ward_number = forms.ChoiceField(label=_("Ward"), required=False)
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=CAPACITY_MAX,
        required=False,
        help_text=_("How many people may join; empty: no limit."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, wards: list[tuple[str, str]], city_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(wards)
        if city_wide:
            choices.insert(0, (WHOLE_CITY, _("Whole city")))
        self.fields["ward_number"].choices = choices

    def service_data(self, *, editing: bool) -> dict:
        """What the calendar services take: every field for a new event, only the changed ones
        for an edit."""
        data = dict(self.cleaned_data)
        data["ward_number"] = data.get("ward_number") or None
        if not editing:
            return data
        return {name: data[name] for name in self.changed_data if name in data}


def event_initial(event) -> dict:
    return {
        "title": event.title,
        "title_en": event.title_en,
        "event_type": event.event_type,
        "start": to_minute(timezone.localtime(event.start)),
        "end": to_minute(timezone.localtime(event.end)),
        "all_day": event.all_day,
        "location": event.location,
        "ward_number": event.ward_number or WHOLE_CITY,
        "capacity": event.capacity,
        "description": event.description,
    }
