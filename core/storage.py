"""File storages by purpose: private files are never linked; signed S3 links are reused."""

import threading
import time
from collections import OrderedDict
from urllib.parse import urljoin

from django.core.files.storage import FileSystemStorage, storages
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


def private_storage():
    """Reports and chat attachments: handed out only by views that check who asks."""
    return storages["private"]


def file_url(request, file) -> str | None:
    """The absolute address of a stored ``file`` (a FieldFile; None when empty) for a client.

    A list page carries two addresses per photo; ``request.build_absolute_uri`` parses and
    re-quotes each one. The storages' addresses are already quoted, so the scheme and host are
    worked out once per request and prefixed to the ones that start with a single slash.
    """
    if not file:
        return None
    url = file.url
    if request is None or not url.startswith("/") or url.startswith("//"):
        return url
    base = getattr(request, "_file_url_base", None)
    if base is None:
        base = request.build_absolute_uri("/")[:-1]
        request._file_url_base = base
    return base + url


class MediaStorage(FileSystemStorage):
    """Uploads on local disk, served under MEDIA_URL: FileSystemStorage with a cheaper ``url``.

    Django joins MEDIA_URL and the quoted name with ``urljoin``, about a fifth of a photo-laden
    list page's CPU. A quoted name has no scheme, query or fragment left, so plain concatenation
    gives the same address unless the name has dot segments, which still go through urljoin.
    """

    def url(self, name):
        if self.base_url is None:
            raise ValueError("This file is not accessible via a URL.")
        path = (filepath_to_uri(name) or "").lstrip("/")
        if not self.base_url.endswith("/") or "./" in path or path.endswith("."):
            return urljoin(self.base_url, path)
        return self.base_url + path


class S3ReusedLinkStorage(S3Storage):
    """Uploads on S3 whose links are signed by one client per process and reused for half their
    life.

    S3Storage keeps its boto3 connection per thread, and under ASGI every request runs in a
    thread of its own: the first link of each request built a boto3 session and resource, 100 to
    300 ms of CPU. Low-level boto3 clients are thread-safe, so links are signed by one client the
    process shares. Signing itself is pure Python, about 0.3 ms a link, and a list page of twenty
    complaints carries two links per photo; a link signed for ``querystring_expire`` seconds is
    therefore handed out again until half its life is spent, so every link handed out has at
    least half its life ahead. The app's image cache gains too: a photo keeps one address for
    half an hour instead of a new one on every request.

    The links are kept in this process (an LRU of ``link_cache_size``); links with parameters,
    another lifetime or another HTTP method are signed every time. Uploads, reads and deletes
    still go through S3Storage's per-thread connection.
    """

    link_cache_size = 20_000  # about 12 MB of links: several days of a city's newest photos
    clock = staticmethod(time.monotonic)

    def __init__(self, **settings):
        super().__init__(**settings)
        self._links_reset()

    def _links_reset(self):
        self._links: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._links_lock = threading.Lock()
        self._signer = None

    def __getstate__(self):
        state = super().__getstate__()
        for name in ("_links", "_links_lock", "_signer"):
            state.pop(name, None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        self._links_reset()

    def _signing_client(self):
        if self._signer is None:
            with self._links_lock:
                if self._signer is None:
                    self._signer = self.connection.meta.client
        return self._signer

    def _sign(self, name, parameters=None, expire=None, http_method=None) -> str:
        params = {
            **(parameters or {}),
            "Bucket": self.bucket_name,
            "Key": self._normalize_name(clean_name(name)),
        }
        return self._signing_client().generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
            HttpMethod=http_method,
        )

    def url(self, name, parameters=None, expire=None, http_method=None):
        if self.custom_domain or not self.querystring_auth:  # a CDN's link, or none signed
            return super().url(name, parameters, expire, http_method)
        if parameters or expire is not None or http_method is not None:
            return self._sign(name, parameters, expire, http_method)
        now = self.clock()
        with self._links_lock:
            kept = self._links.get(name)
            if kept is not None and kept[1] > now:
                self._links.move_to_end(name)
                return kept[0]
        link = self._sign(name)
        with self._links_lock:
            self._links[name] = (link, now + self.querystring_expire / 2)
            self._links.move_to_end(name)
            while len(self._links) > self.link_cache_size:
                self._links.popitem(last=False)
        return link
