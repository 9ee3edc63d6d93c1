"""Serializer fields that speak the API's conventions (phones, optional strings sent as null)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from rest_framework import serializers

from .moments import offset_problem, year_problem
from .phone import normalize_phone


class PhoneField(serializers.CharField):
    """A Bangladeshi mobile number in any common spelling, returned as E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return normalize_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code="invalid_phone") from exc


class OptionalCharField(serializers.CharField):
    """Optional string: absent, null and "" all mean "not given" (the mobile app sends null)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        # DRF returns "" for blank input before to_internal_value runs, so fold it here.
        return super().run_validation(data) or None

    def validate_empty_values(self, data):
        if data is None:
            return (True, None)
        return super().validate_empty_values(data)


def alias_lookup(values, codes: dict) -> dict[str, str]:
    """Map stored values and their English codes (case-insensitive) to the stored value."""
    lookup = {str(value).lower(): value for value in values}
    lookup.update({code.lower(): value for value, code in codes.items()})
    return lookup


class AliasChoiceField(serializers.ChoiceField):
    """A choice stored in Bengali (the seeds' values) that also accepts its English code."""

    def __init__(self, choices, *, codes: dict, **kwargs):
        super().__init__(choices, **kwargs)
        self.lookup = alias_lookup([value for value, _label in self.choices.items()], codes)

    def to_internal_value(self, data):
        stored = self.lookup.get(str(data).strip().lower())
        if stored is None:
            self.fail("invalid_choice", input=data)
        return stored


class BoundedDateTimeField(serializers.DateTimeField):
    """A moment the database can store and compare: a year from 1970 to 2999 and a real UTC
    offset (PostgreSQL refuses offsets past ±15:59; a 500 is not the answer to that)."""

    def to_internal_value(self, value):
        problem = offset_problem(_utc_offset(value)) if isinstance(value, str) else None
        if problem:
            raise serializers.ValidationError(problem)
        moment = super().to_internal_value(value)
        problem = year_problem(moment)
        if problem:
            raise serializers.ValidationError(problem)
        return moment


def _utc_offset(value: str):
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None  # not ISO 8601: DateTimeField says so
    return parsed.utcoffset() if parsed is not None else None


class ChoiceDisplayField(serializers.CharField):
    """A choice field's translated label, as ``get_<source>_display()`` gives it (the stored
    value when it has no label), read-only.

    The labels are translated once per answer instead of once per row: through the model's
    method DRF inspects a signature and Django hashes a lazy label for every row. An output
    plan (core.serializers.OutputPlanMixin) keeps one instance for every answer: it asks
    ``answer_writer()``, whose labels are translated once per language.
    """

    context_free = True  # reads nothing of the request: an output plan may keep it

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self._labels_by_language = {}

    def to_representation(self, value):
        labels = self.__dict__.get("_labels")
        if labels is None:
            labels = self._labels = self._translated_labels()
        return labels.get(value, value)

    def answer_writer(self):
        language = get_language()
        labels = self._labels_by_language.get(language)
        if labels is None:
            labels = self._labels_by_language[language] = self._translated_labels()
        return lambda value: labels.get(value, value)

    def _translated_labels(self) -> dict:
        field = self.parent.Meta.model._meta.get_field(self.source_attrs[-1])
        return {key: str(label) for key, label in field.flatchoices}
