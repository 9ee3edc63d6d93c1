"""Calendar enumerations and limits (dependency-free: models, services, serializers share them)."""

from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    HOLIDAY = "holiday", _("Government holiday")
    CLEANUP = "cleanup", _("Cleanup drive")
    VACCINATION = "vaccination", _("Vaccination day")
    MEETING = "meeting", _("Meeting")
    COLLECTION_DRIVE = "collection_drive", _("Collection drive")
    OTHER = "other", _("Other")


# Days, months and "tomorrow" are those of the city (whatever the server's clock says).
CITY_TZ = ZoneInfo("Asia/Dhaka")

TITLE_MAX_CHARS = 200
DESCRIPTION_MAX_CHARS = 5_000
LOCATION_MAX_CHARS = 255
CAPACITY_MAX = 1_000_000
# Participants are reminded on the day before an event, from this hour of the city's clock on
# (not at midnight); whoever joins later that day is reminded by the next sweep.
REMINDER_FROM_HOUR = 9
# The iCalendar feed lists at most this many upcoming events (the soonest).
FEED_MAX_EVENTS = 500
