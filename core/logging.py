"""Logging: the request id travels with every line of a request; tokens never reach a line."""

import contextvars
import logging
import re

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` so formatters can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# What a log line must never carry: JWTs (anywhere: query strings, subprotocols, messages), the
# values of token-like query parameters, and the token in device/Open311 token paths.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_SECRET_PARAMETER = re.compile(  # in a URL's query string: after ? or &
    r"(?i)(?<=[?&])(token|access_token|refresh_token|refresh|api_key|password|otp_code)"
    r"=[^&\s\"'#]+"
)
_TOKEN_PATH = re.compile(r"(/(?:devices|tokens)/)[^/\s?\"'#]+")
MASK = "***"


def mask_secrets(text: str) -> str:
    text = _JWT.sub(MASK, text)
    text = _SECRET_PARAMETER.sub(lambda match: f"{match.group(1)}={MASK}", text)
    return _TOKEN_PATH.sub(rf"\g<1>{MASK}", text)


class SecretMaskingFilter(logging.Filter):
    """Rewrites a record's message with mask_secrets: on every handler, for every logger
    (uvicorn's connection and access lines included, see settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
