"""Which provider serves which payment method, and the client for a provider."""

from django.conf import settings

from .base import Gateway


def gateway_for_method(method: str) -> str:
    """The provider name (bkash | nagad | sslcommerz) that takes ``method`` (a setting)."""
    return settings.PAYMENT_METHOD_GATEWAYS[method]


def gateway_named(name: str) -> Gateway:
    from .bkash import BkashGateway
    from .nagad import NagadGateway
    from .sslcommerz import SslCommerzGateway

    return {"bkash": BkashGateway, "nagad": NagadGateway, "sslcommerz": SslCommerzGateway}[name]()
