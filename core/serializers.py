"""Serializers shared by apps: a point on the map (complaints, emergencies); fields built once."""

import contextlib
import copy
from collections.abc import Mapping

from django.utils.translation import gettext
from rest_framework import serializers


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
