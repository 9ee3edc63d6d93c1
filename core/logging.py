"""Logging: the request id travels with every line of a request; tokens never reach a line."""

import contextvars
import json
import logging
import logging.config
import re
from datetime import UTC, datetime

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


_TRACEBACKS = logging.Formatter()  # formats exceptions exactly as the formatters do


def _mask_arguments(args):
    if isinstance(args, dict):
        return {key: mask_secrets(v) if isinstance(v, str) else v for key, v in args.items()}
    if isinstance(args, tuple):
        return tuple(mask_secrets(v) if isinstance(v, str) else v for v in args)
    return args


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Masks, in place, everything of ``record`` a line prints: the message with its arguments,
    the exception's traceback (formatted here, once, and kept in ``exc_text`` where formatters
    look for it first) and the stack."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: logging reports it when it emits the line
        record.msg = mask_secrets(str(record.msg))
        record.args = _mask_arguments(record.args)
    else:
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = _TRACEBACKS.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_secrets(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_secrets(record.stack_info)
    return record


class SecretMaskingFilter(logging.Filter):
    """Masks every record a handler emits (uvicorn's connection lines included, see
    settings.LOGGING), also records made before the record factory below was installed."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line (LOG_FORMAT=json, production's default) for log collectors:
    time, level, logger, request id, message and the traceback, all as masked as text lines."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


LOG_FORMATTERS = {"text": "line", "json": "json"}


def _masking_record_factory(make_record):
    def factory(*args, **kwargs) -> logging.LogRecord:
        return mask_record(make_record(*args, **kwargs))

    factory.masks_secrets = True
    return factory


def configure(config: dict) -> None:
    """settings.LOGGING_CONFIG: applies ``config`` and masks every record as it is made, so no
    handler ever sees a token, not even one that is not ours (Python's last-resort handler,
    Celery's, an error reporter's)."""
    logging.config.dictConfig(config)
    make_record = logging.getLogRecordFactory()
    if not getattr(make_record, "masks_secrets", False):
        logging.setLogRecordFactory(_masking_record_factory(make_record))
