"""Waste collection: ward schedules, special collections (paid through apps.payments when a fee is
set), secondary transfer stations (STS) with their load readings, and the weighbridge keys that
may record them.

A special collection with a fee rides on a Payment the way a donation does: it is written in the
same transaction as the payment and follows the payment's final state (settings.PAYMENT_PURPOSES).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import PaymentState, SpecialStatus, WasteType, Weekday


class CollectionSchedule(models.Model):
    """One weekly collection round of a ward: a day of the Bangladeshi week and a time window."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ward_number = models.CharField(_("ward number"), max_length=10)
    day_of_week = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    waste_type = models.CharField(_("waste type"), max_length=20, choices=WasteType.choices)
    vehicle = models.CharField(_("vehicle"), max_length=50, blank=True, default="")
    notes = models.CharField(_("notes"), max_length=500, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "collection_schedules"
        verbose_name = _("collection schedule")
        verbose_name_plural = _("collection schedules")
        ordering = ["ward_number", "day_of_week", "start_time"]
        indexes = [
            models.Index(
                fields=["ward_number", "day_of_week", "start_time"],
                name="idx_schedules_ward_day",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(day_of_week__gte=0) & Q(day_of_week__lte=6),
                name="collection_schedules_day_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="collection_schedules_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(waste_type__in=WasteType.values),
                name="collection_schedules_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward_number} {self.get_day_of_week_display()} {self.start_time}"


class WasteFee(models.Model):
    """What a special collection of one waste type costs (set in Django admin; none → free)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    waste_type = models.CharField(
        _("waste type"), max_length=20, choices=WasteType.choices, unique=True
    )
    amount = models.DecimalField(_("fee (BDT)"), max_digits=10, decimal_places=2)
    is_active = models.BooleanField(_("charged"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "waste_fees"
        verbose_name = _("special collection fee")
        verbose_name_plural = _("special collection fees")
        ordering = ["waste_type"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="waste_fees_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_waste_type_display()}: {self.amount}"


class SpecialCollectionRequest(models.Model):
    """A citizen's request to collect something the weekly round does not take (a sofa, debris)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="special_collections",
        db_index=False,
        verbose_name=_("citizen"),
    )
    ward_number = models.CharField(_("ward number"), max_length=10)
    waste_type = models.CharField(_("waste type"), max_length=20, choices=WasteType.choices)
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=500)
    latitude = models.DecimalField(max_digits=10, decimal_places=8, null=True, blank=True)
    longitude = models.DecimalField(max_digits=11, decimal_places=8, null=True, blank=True)
    preferred_date = models.DateField(_("preferred date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SpecialStatus.choices,
        default=SpecialStatus.REQUESTED,
    )
    scheduled_date = models.DateField(_("scheduled for"), null=True, blank=True)
    staff_comment = models.TextField(_("staff comment"), blank=True, default="")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    # The fee as it was when the request was made (a later change of the fee table does not
    # touch it); null when the collection is free.
    fee = models.DecimalField(
        _("fee (BDT)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    payment = models.OneToOneField(
        "payments.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="special_collection",
        verbose_name=_("payment"),
    )
    payment_state = models.CharField(
        _("payment"),
        max_length=20,
        choices=PaymentState.choices,
        default=PaymentState.NOT_REQUIRED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    collected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "special_collection_requests"
        verbose_name = _("special collection")
        verbose_name_plural = _("special collections")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["citizen", "-created_at"], name="idx_special_citizen"),
            models.Index(fields=["ward_number", "status"], name="idx_special_ward_status"),
            models.Index(fields=["-created_at"], name="idx_special_created_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SpecialStatus.values), name="special_requests_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(waste_type__in=WasteType.values), name="special_requests_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(fee__isnull=True) | Q(fee__gt=0), name="special_requests_fee_positive"
            ),
            models.CheckConstraint(
                condition=Q(payment_state__in=PaymentState.values),
                name="special_requests_payment_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward_number} {self.waste_type} {self.preferred_date} {self.status}"


class TransferStation(models.Model):
    """A secondary transfer station (STS). Its current load is the latest reading's, kept on the
    row by the reading service (under the row's lock) so lists and the dashboard read no history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    ward_number = models.CharField(_("ward number"), max_length=10)
    capacity_tons = models.DecimalField(_("capacity (tons)"), max_digits=8, decimal_places=2)
    latitude = models.DecimalField(max_digits=10, decimal_places=8, null=True, blank=True)
    longitude = models.DecimalField(max_digits=11, decimal_places=8, null=True, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)
    current_load_tons = models.DecimalField(
        _("current load (tons)"), max_digits=8, decimal_places=2, null=True, blank=True,
        editable=False,
    )  # fmt: skip
    last_reading_at = models.DateTimeField(
        _("last reading at"), null=True, blank=True, editable=False
    )
    # The highest warning already given for the load it is at now (0, 80 or 100): a warning is
    # sent once when a reading crosses a level, and again only after the load fell below it.
    alert_level = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "transfer_stations"
        verbose_name = _("transfer station")
        verbose_name_plural = _("transfer stations")
        ordering = ["ward_number", "name"]
        indexes = [models.Index(fields=["ward_number"], name="idx_stations_ward")]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_tons__gt=0), name="transfer_stations_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(current_load_tons__isnull=True) | Q(current_load_tons__gte=0),
                name="transfer_stations_load_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ward_number})"


class StationDeviceKey(models.Model):
    """A weighbridge's key: it may post readings for its one station. Only the SHA-256 is kept
    (as for Open311 keys); the prefix lets people tell keys apart."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    station = models.ForeignKey(
        TransferStation,
        on_delete=models.CASCADE,
        related_name="device_keys",
        verbose_name=_("transfer station"),
    )
    name = models.CharField(_("device"), max_length=100)
    key_prefix = models.CharField(_("key starts with"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        db_table = "station_device_keys"
        verbose_name = _("weighbridge key")
        verbose_name_plural = _("weighbridge keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class StationReading(models.Model):
    """The load on a station's floor at a moment, weighed by staff or by its weighbridge."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    station = models.ForeignKey(
        TransferStation, on_delete=models.CASCADE, related_name="readings", db_index=False
    )
    load_tons = models.DecimalField(_("load (tons)"), max_digits=8, decimal_places=2)
    at = models.DateTimeField(_("weighed at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    device = models.ForeignKey(
        StationDeviceKey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="readings",
        verbose_name=_("weighbridge"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "station_readings"
        verbose_name = _("station reading")
        verbose_name_plural = _("station readings")
        ordering = ["-at"]
        indexes = [models.Index(fields=["station", "-at"], name="idx_readings_station_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(load_tons__gte=0), name="station_readings_load_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.load_tons} t at {self.at}"
