"""Uploads on S3 (the default storage when AWS_STORAGE_BUCKET_NAME is set): links are signed by
one client per process and reused for half their life."""

import threading
import time
from collections import OrderedDict

from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class S3ReusedLinkStorage(S3Storage):
    """Uploads on S3 whose links are signed by one client per process and reused for half their
    life.

    S3Storage keeps its boto3 connection per thread, and under ASGI every request runs in a
    thread of its own: the first link of each request built a boto3 session and resource, 100 to
    300 ms of CPU. Low-level boto3 clients are thread-safe, so links are signed by one client the
    process shares. Signing itself is pure Python, about 0.3 ms a link, and a list page of twenty
    complaints carries two links per photo; a link signed for ``querystring_expire`` seconds is
    therefore handed out again until half its life is spent. The app's image cache gains too: a
    photo keeps one address for half an hour instead of a new one on every request.

    A link dies with the credentials that signed it, and an IAM role's are temporary: botocore
    renews them 10 to 15 minutes before they expire, and a kept link signed with the previous
    ones is signed again. So a link handed out has half its lifetime ahead, or the signing
    credentials' remaining life when that is shorter (at least about 10 minutes).

    The links are kept in this process (an LRU of ``link_cache_size``); links with parameters,
    another lifetime or another HTTP method are signed every time. Uploads, reads and deletes
    still go through S3Storage's per-thread connection, as do the unsigned links of
    ``querystring_auth=False`` (the settings always sign).
    """

    link_cache_size = 20_000  # about 12 MB of links: several days of a city's newest photos
    clock = staticmethod(time.monotonic)

    def __init__(self, **settings):
        super().__init__(**settings)
        self._links_reset()

    def _links_reset(self):
        # name -> (link, kept until (clock), the session token it was signed with)
        self._links: OrderedDict[str, tuple[str, float, str | None]] = OrderedDict()
        self._links_lock = threading.Lock()
        self._signer = None
        self._signer_credentials = None
        self._signer_lock = threading.Lock()

    def __getstate__(self):
        state = super().__getstate__()
        for name in ("_links", "_links_lock", "_signer", "_signer_credentials", "_signer_lock"):
            state.pop(name, None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        self._links_reset()

    def _signing_client(self):
        if self._signer is None:
            with self._signer_lock:
                if self._signer is None:
                    session = self._create_session()
                    # The object the client signs with; an IAM role's renews itself.
                    self._signer_credentials = session.get_credentials()
                    self._signer = session.client(
                        "s3",
                        region_name=self.region_name,
                        use_ssl=self.use_ssl,
                        endpoint_url=self.endpoint_url,
                        config=self.client_config,
                        verify=self.verify,
                    )
        return self._signer

    def _signing_token(self) -> str | None:
        """The session token links are signed with now (None for long-term keys)."""
        self._signing_client()
        credentials = self._signer_credentials
        return None if credentials is None else credentials.token

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
        now, token = self.clock(), self._signing_token()
        with self._links_lock:
            kept = self._links.get(name)
            if kept is not None and kept[1] > now and kept[2] == token:
                self._links.move_to_end(name)
                return kept[0]
        link = self._sign(name)
        with self._links_lock:
            self._links[name] = (link, now + self.querystring_expire / 2, token)
            self._links.move_to_end(name)
            while len(self._links) > self.link_cache_size:
                self._links.popitem(last=False)
        return link
