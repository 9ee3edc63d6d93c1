"""Which provider serves which payment method, and the client for a provider (both settings)."""

from django.conf import settings

from core.backends import backend_load

from .base import Gateway


def gateway_for_method(method: str) -> str:
    """The provider name (bkash | nagad | sslcommerz) that takes ``method`` (a setting)."""
    return settings.PAYMENT_METHOD_GATEWAYS[method]


def gateway_named(name: str) -> Gateway:
    """A client for provider ``name``, built from settings.PAYMENT_GATEWAYS."""
    return backend_load(settings.PAYMENT_GATEWAYS, name, setting="PAYMENT_METHOD_GATEWAYS")
