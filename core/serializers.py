"""Serializers shared by apps: a point on the map (complaints, emergencies); fields built once;
answers written from a plan made once per class."""

import contextlib
import copy
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField
from rest_framework.settings import api_settings


class CoordinatesSerializer(serializers.Serializer):
    """Optional latitude and longitude, both or neither, rounded to what the columns keep."""

    latitude = serializers.DecimalField(
        max_digits=10, decimal_places=8, min_value=-90, max_value=90, required=False,
        allow_null=True, coerce_to_string=False,
    )  # fmt: skip
    longitude = serializers.DecimalField(
        max_digits=11, decimal_places=8, min_value=-180, max_value=180, required=False,
        allow_null=True, coerce_to_string=False,
    )  # fmt: skip

    def to_internal_value(self, data):
        # Phones send more decimals than the column keeps; round instead of refusing. (A plain
        # dict, not QueryDict.copy(): that deep-copies the uploaded files too.)
        if isinstance(data, Mapping):
            data = data.dict() if hasattr(data, "dict") else dict(data)
            for field in ("latitude", "longitude"):
                value = data.get(field)
                if value not in (None, "") and not isinstance(value, bool):
                    with contextlib.suppress(TypeError, ValueError, OverflowError):
                        data[field] = str(round(float(value), 8))
        return super().to_internal_value(data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if ("latitude" in attrs) != ("longitude" in attrs) or (
            (attrs.get("latitude") is None) != (attrs.get("longitude") is None)
        ):
            raise serializers.ValidationError(
                {"latitude": [_both_coordinates()], "longitude": [_both_coordinates()]}
            )
        return attrs


def _both_coordinates():
    return gettext("Send both latitude and longitude, or neither.")


class PrebuiltFieldsMixin:
    """A ModelSerializer whose fields are built from the model once per class, then copied.

    DRF builds every field of a ModelSerializer from the model again for each answer (a few
    milliseconds for a wide one such as the complaint object); a copy of the built, unbound
    fields is a third of that. Only for serializers whose ``get_fields`` does not depend on the
    instance, the context or the request.
    """

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_prebuilt_fields")
        if built is None:
            built = super().get_fields()
            cls._prebuilt_fields = built
        return copy.deepcopy(built)


class OutputPlanMixin(PrebuiltFieldsMixin):
    """A read-only ModelSerializer whose rows are written from a plan made once per class.

    For every row DRF walks the bound fields: a generic ``get_attribute`` (a Mapping check and
    a callable check per name), a ``to_representation`` call per field, and before the first
    row a copy of every field. A list of twenty complaints spends a third of its time there.
    The plan is made from the fields of one instance without a request: per field, how to read
    it and how to write it, taken from DRF's own behaviour for that field class:

    - a source naming model columns is read with ``operator.attrgetter``; any error (a null in
      ``a.b``, a missing row) is handed to the field's own ``get_attribute``, so defaults,
      ``allow_null`` and skipped fields answer as DRF answers;
    - a primary key field reads the column (``user_id``), as DRF's pk-only shortcut does;
    - strings, integers and UUIDs are written by ``str``/``int``; an aware datetime is moved to
      the current time zone (looked up once per answer) and written as DRF writes ISO 8601
      (``Z`` for UTC); other value-only DRF fields, and fields that say ``context_free = True``,
      by the planned field's ``to_representation``, or by the function its ``answer_writer()``
      gives for the answer (ChoiceDisplayField: labels in the answer's language);
    - a SerializerMethodField calls the method of the serializer answering; nested serializers
      and any other field (a file URL, a hyperlink: they need the request) are copied and bound
      to that serializer once per answer, and run as DRF runs them.

    So the answer has the same keys in the same order and the same values; tests compare it
    with DRF's ``Serializer.to_representation`` (``core.testing.drf_representation``). Only for
    serializers that answer, never validate, and whose ``get_fields`` does not depend on the
    instance or the request (as for PrebuiltFieldsMixin).
    """

    def to_representation(self, instance):
        write_row = self.__dict__.get("_write_row")
        if write_row is None:
            write_row = self._write_row = _row_writer(self)
        return write_row(instance)


# DRF fields whose reading and writing use nothing but the value (no request, no parent).
_VALUE_ONLY = frozenset(
    field_class.to_representation
    for field_class in (
        serializers.BooleanField, serializers.CharField, serializers.ChoiceField,
        serializers.DateField, serializers.DateTimeField, serializers.DecimalField,
        serializers.DurationField, serializers.FloatField, serializers.IntegerField,
        serializers.JSONField, serializers.ReadOnlyField, serializers.TimeField,
        serializers.UUIDField,
    )
)  # fmt: skip
_SIMPLE_WRITERS = {
    serializers.CharField.to_representation: str,
    serializers.IntegerField.to_representation: int,
}


@dataclass(frozen=True)
class _Step:
    """One field of a plan: its key, a fast reader (or None) and how it is written."""

    key: str
    field: serializers.Field  # bound to the class's planning instance, never to a request
    kind: str  # "value", "method" or "bound" (a copy bound to the serializer answering)
    getter: Callable | None = None


def _plan(serializer_class) -> list[_Step]:
    plan = serializer_class.__dict__.get("_output_plan")
    if plan is None:
        fields = serializer_class().fields
        plan = [_step(field) for field in fields.values() if not field.write_only]
        serializer_class._output_plan = plan
    return plan


def _step(field) -> _Step:
    if isinstance(field, serializers.SerializerMethodField):
        return _Step(field.field_name, field, "method")
    if isinstance(field, PrimaryKeyRelatedField) and _reads_column_of_pk(field):
        attname = field.parent.Meta.model._meta.get_field(field.source).attname
        return _Step(field.field_name, field, "value", operator.attrgetter(attname))
    if not _value_only(field):
        return _Step(field.field_name, field, "bound")
    columns = _column_path(field.parent.Meta.model, field.source_attrs)
    getter = operator.attrgetter(".".join(columns)) if columns else None
    return _Step(field.field_name, field, "value", getter)


def _value_only(field) -> bool:
    field_class = type(field)
    default = field.default
    return (
        (field_class.to_representation in _VALUE_ONLY or getattr(field, "context_free", False))
        and field_class.get_attribute is serializers.Field.get_attribute
        and not getattr(default, "requires_context", False)
    )


def _reads_column_of_pk(field) -> bool:
    field_class = type(field)
    return (
        field_class.to_representation is PrimaryKeyRelatedField.to_representation
        and field_class.get_attribute is PrimaryKeyRelatedField.get_attribute
        and field.pk_field is None
        and len(field.source_attrs) == 1
        and getattr(_model_field(field.parent.Meta.model, field.source), "concrete", False)
    )


def _column_path(model, names: list[str]) -> list[str] | None:
    """``names`` when each but the last follows a forward relation of ``model`` and the last is
    a column (so no name can be a method DRF would call); None otherwise."""
    if not names:
        return None
    for name in names[:-1]:
        field = _model_field(model, name)
        if field is None or not (field.many_to_one or field.one_to_one) or not field.concrete:
            return None
        model = field.related_model
    last = _model_field(model, names[-1])
    if last is None or not last.concrete or (last.is_relation and names[-1] != last.attname):
        return None
    return names


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _row_writer(serializer) -> Callable:
    """The plan of ``serializer``'s class bound to this answer: its methods, its copies of the
    fields that need the request, and the current time zone."""
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    steps = [_bound_step(step, serializer, zone) for step in _plan(type(serializer))]

    def write_row(instance) -> dict:
        row = {}
        for key, read, write, read_slowly in steps:
            try:
                value = read(instance)
            except ObjectDoesNotExist:  # a missing related row is None, as DRF reads it
                value = None
            except (AttributeError, KeyError):  # a null inside ``a.b``: the field's rules
                try:
                    value = read_slowly(instance)
                except SkipField:
                    continue
            except SkipField:
                continue
            row[key] = None if value is None else write(value)
        return row

    return write_row


def _bound_step(step: _Step, serializer, zone) -> tuple:
    """(key, read, write, read_slowly) of one field for one answer."""
    field = step.field
    if step.kind == "method":
        return step.key, _itself, getattr(serializer, field.method_name), _itself
    if step.kind == "bound":
        field = copy.deepcopy(field)
        field.bind(step.key, serializer)
        reader = _reader_of(field)
        return step.key, reader, field.to_representation, reader
    if isinstance(field, PrimaryKeyRelatedField):
        return step.key, step.getter, _itself, _pk_reader(field)
    reader = step.getter or field.get_attribute
    return step.key, reader, _writer_of(field, zone), _slow_reader(field)


def _itself(instance):
    return instance


def _slow_reader(field) -> Callable:
    """What ``field.get_attribute`` gives when the fast read fails: a plain default at once
    (DRF's answer to a null inside ``a.b``, found without raising twice), else DRF's rules."""
    default = field.default
    if default is serializers.empty or callable(default):
        return field.get_attribute
    return lambda instance: default


def _reader_of(field) -> Callable:
    """``field.get_attribute`` with DRF's rule that a pk-only stand-in for no row is None."""

    def read(instance):
        value = field.get_attribute(instance)
        return None if isinstance(value, PKOnlyObject) and value.pk is None else value

    return read


def _pk_reader(field) -> Callable:
    """The key DRF's related field reads when the column cannot be read directly."""

    def read(instance):
        value = field.get_attribute(instance)
        return None if value is None else value.pk

    return read


def _writer_of(field, zone) -> Callable:
    answer_writer = getattr(field, "answer_writer", None)
    if answer_writer is not None:
        return answer_writer()
    field_class = type(field)
    simple = _SIMPLE_WRITERS.get(field_class.to_representation)
    if simple is not None:
        return simple
    if field_class.to_representation is serializers.UUIDField.to_representation:
        return str if field.uuid_format == "hex_verbose" else field.to_representation
    if _iso_datetime(field) and zone is not None:
        return _datetime_writer(field, zone)
    return field.to_representation


def _iso_datetime(field) -> bool:
    field_class = type(field)
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        field_class.to_representation is serializers.DateTimeField.to_representation
        and field_class.enforce_timezone is serializers.DateTimeField.enforce_timezone
        and not hasattr(field, "timezone")
        and isinstance(output_format, str)
        and output_format.lower() == ISO_8601
    )


def _datetime_writer(field, zone) -> Callable:
    """DRF's ISO 8601 for an aware datetime (anything else goes to the field itself)."""

    def write(value):
        if type(value) is not datetime or value.utcoffset() is None:
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write
