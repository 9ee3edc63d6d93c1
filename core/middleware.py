"""Request ids and access log, early refusal of oversized bodies, JSON errors on API paths,
requests in flight bounded per process, HTML pages' security policy, who acts in the database."""

import logging
import re
import threading
import time
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError

from . import rls
from .exceptions import (
    STATUSES_WITH_ERROR_BODY,
    is_api_path,
    pool_exhausted,
    request_parse_error_response,
    server_busy_response,
    status_error_response,
)
from .logging import request_id_var

logger = logging.getLogger("clean_care.access")
error_logger = logging.getLogger(__name__)

# Django answers these itself (404/403/400): JSON through our handlers, or its debug page.
_ANSWERED_BY_DJANGO = (
    Http404,
    PermissionDenied,
    BadRequest,
    SuspiciousOperation,
    MultiPartParserError,
)

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives each request an id (the client's X-Request-ID if sane), logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self._too_large(request) or self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s %.1fms user=%s%s",
                request.method,
                request.path,
                response.status_code,
                (time.monotonic() - started) * 1000,
                getattr(user, "pk", None) or "-",
                " page=kept" if getattr(response, "page_kept", False) else "",
            )
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _too_large(request):
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length <= settings.MAX_REQUEST_BODY_BYTES:
            return None
        return status_error_response(413)


class ApiErrorMiddleware:
    """Keeps /api/ and /open311/ errors in the JSON shape where Django would answer with HTML.

    With DEBUG on, Django skips handler404/handler500 and renders its debug pages; those become
    our JSON error here. An exception raised outside DRF (DRF views have their own handler) is
    logged with its traceback and answered with the JSON 500, DEBUG or not; a body or query
    string Django refuses to parse is answered 400/413 without one (Django would log it at ERROR).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            is_api_path(request.path)
            and response.status_code in STATUSES_WITH_ERROR_BODY
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return status_error_response(response.status_code)
        return response

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        refused = request_parse_error_response(exception)
        if refused is not None or isinstance(exception, _ANSWERED_BY_DJANGO):
            return refused
        if pool_exhausted(exception):
            error_logger.warning("No database connection within DB_POOL_TIMEOUT: answered 503")
            return server_busy_response()
        error_logger.error(
            "Unhandled error on %s %s", request.method, request.path, exc_info=exception
        )
        return status_error_response(500)


# Probes answered whatever the load: liveness, readiness (Docker's HEALTHCHECK) and the scrape.
_NEVER_WAIT = re.compile(r"^/(api/(v1/)?health/(live/)?|metrics)$")


class RequestSlotsMiddleware:
    """At most WEB_REQUESTS_AT_ONCE requests of this process run at once; the others wait.

    Under ASGI every request in flight has a thread of its own. In a burst, hundreds of threads
    shared one interpreter lock and the process's database connections: every request slowed
    down at once, those holding a connection held it longer, and requests waiting for one gave
    up after DB_POOL_TIMEOUT (503). With a bound, the requests inside run at full speed and the
    rest wait their turn, roughly in arrival order (a waiting thread takes no CPU). A request
    that waits DB_POOL_TIMEOUT for its turn is answered 503 ``server_busy`` with Retry-After,
    as an exhausted pool is. One connection of the pool is left to the probes, which never
    wait: a busy server is not a dead one.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool") or {}
        at_once = min(settings.WEB_REQUESTS_AT_ONCE, pool.get("max_size", 10**6) - 1)
        self.slots = threading.BoundedSemaphore(max(1, at_once))
        self.wait_seconds = pool.get("timeout", 10)

    def __call__(self, request):
        if _NEVER_WAIT.match(request.path):
            return self.get_response(request)
        if not self.slots.acquire(timeout=self.wait_seconds):
            error_logger.warning("No request slot within %s s: answered 503", self.wait_seconds)
            return server_busy_response(api=is_api_path(request.path))
        try:
            return self.get_response(request)
        finally:
            self.slots.release()


class ContentSecurityPolicyMiddleware:
    """Every HTML page we serve (admin, API docs, payment result, sandbox pages) carries
    settings.CONTENT_SECURITY_POLICY unless the view set its own; JSON answers need none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DatabaseActorMiddleware:
    """Tells PostgreSQL who is acting for this request (core/rls.py): nobody, until someone signs.

    Sits after Django's AuthenticationMiddleware: a console or admin session's user is looked up
    as the system (the lookup must see the account before anyone is known), then acts; the API's
    JWT authentication does the same when DRF authenticates (core/authentication.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with rls.acting(rls.ANONYMOUS):
            with rls.as_system():
                user = getattr(request, "user", None)
                signed_in = user is not None and user.is_authenticated
            if signed_in:
                rls.act_for(user)
            return self.get_response(request)
