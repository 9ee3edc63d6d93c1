"""Transfer stations (STS) and their readings on the wire; decimals are two-place strings."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.fields import BoundedDateTimeField

from .models import StationReading, TransferStation
from .station_selectors import utilization_percent

PERCENT_HELP = (
    "The latest reading's load as a share of the capacity, in percent (two places, half up); "
    "null before the first reading. Above 100 means the station overflows."
)


PERCENT_FIELD = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)


def _percent_string(load, capacity) -> str | None:
    percent = utilization_percent(load, capacity)
    return None if percent is None else f"{percent:f}"


class StationSerializer(serializers.ModelSerializer):
    """The station object of API.md "Waste"."""

    utilization_percent = serializers.SerializerMethodField(help_text=PERCENT_HELP)

    class Meta:
        model = TransferStation
        fields = [
            "id", "name", "ward_number", "capacity_tons", "latitude", "longitude",
            "current_load_tons", "utilization_percent", "last_reading_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PERCENT_FIELD)
    def get_utilization_percent(self, station) -> str | None:
        return _percent_string(station.current_load_tons, station.capacity_tons)


class StationWriteSerializer(serializers.Serializer):
    """What staff send to add (POST: name, ward_number, capacity_tons required) or change
    (PATCH: any of them) a station; the rules (capacity above zero, a known ward, both
    coordinates or neither) are the service's."""

    name = serializers.CharField(max_length=200)
    ward_number = serializers.CharField(
        max_length=10, help_text="A ward of the city corporation ('05', '৫' and '5' are ward 5)."
    )
    capacity_tons = serializers.DecimalField(
        max_digits=8, decimal_places=2, help_text="Above zero."
    )
    latitude = serializers.DecimalField(
        max_digits=10,
        decimal_places=8,
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
    )
    longitude = serializers.DecimalField(
        max_digits=11,
        decimal_places=8,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )


class ReadingWriteSerializer(serializers.Serializer):
    load_tons = serializers.DecimalField(
        max_digits=8, decimal_places=2, help_text="The load weighed, in tons (zero or more)."
    )
    at = BoundedDateTimeField(
        required=False,
        allow_null=True,
        help_text="When it was weighed (default: now); not in the future.",
    )


class ReadingSerializer(serializers.ModelSerializer):
    """One weighing of a station."""

    station_id = serializers.UUIDField(read_only=True)
    utilization_percent = serializers.SerializerMethodField(
        help_text="This reading's load as a share of the station's capacity, in percent."
    )
    source = serializers.SerializerMethodField(help_text="`staff` or `weighbridge`.")
    recorded_by_name = serializers.CharField(
        source="recorded_by.name", read_only=True, allow_null=True, default=None
    )
    device_name = serializers.CharField(
        source="device.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = StationReading
        fields = [
            "id", "station_id", "load_tons", "at", "utilization_percent", "source",
            "recorded_by_name", "device_name", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(PERCENT_FIELD)
    def get_utilization_percent(self, reading) -> str | None:
        return _percent_string(reading.load_tons, reading.station.capacity_tons)

    @extend_schema_field({"type": "string", "enum": ["staff", "weighbridge"]})
    def get_source(self, reading) -> str:
        return "weighbridge" if reading.device_id else "staff"
