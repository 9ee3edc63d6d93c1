"""File storages by purpose (private files are never linked) and the addresses of stored files.

Uploads on S3 are core.storage_s3's: imported only where the settings name it, so a process on
local disk never loads boto3.
"""

import re
from urllib.parse import urljoin

from django.core.files.storage import FileSystemStorage, storages
from django.db.models.fields.files import FieldFile
from django.utils.encoding import filepath_to_uri

# What iri_to_uri leaves as it is: an address made only of these needs no quoting.
_QUOTED = re.compile(r"[A-Za-z0-9/#%\[\]=:;$&()+,!?*@'~._-]*")


def private_storage():
    """Reports and chat attachments: handed out only by views that check who asks."""
    return storages["private"]


def file_url(request, file: FieldFile) -> str | None:
    """The absolute address of a stored ``file`` (None when empty) for a client:
    ``request.build_absolute_uri(file.url)``, the same address computed more cheaply.

    A list page carries two addresses per photo, and build_absolute_uri parses and re-quotes
    each one. A path from the site's root that needs no quoting (the storages quote names) only
    needs the request's scheme and host in front: they are worked out once per request.
    Anything else (another host's address, a scheme-relative one, dot segments to resolve,
    characters to quote) goes through build_absolute_uri.
    """
    if not file:
        return None
    url = file.url
    if request is None:
        return url
    if (
        not url.startswith("/")
        or url.startswith("//")
        or "/./" in url
        or "/../" in url
        or not _QUOTED.fullmatch(url)
    ):
        return request.build_absolute_uri(url)
    base = getattr(request, "_file_url_base", None)
    if base is None:
        base = request.build_absolute_uri("/")[:-1]
        request._file_url_base = base
    return base + url


class MediaStorage(FileSystemStorage):
    """Uploads on local disk, served under MEDIA_URL: FileSystemStorage with a cheaper ``url``.

    Django joins MEDIA_URL and the quoted name with ``urljoin``, about a fifth of a photo-laden
    list page's CPU. A quoted name has no scheme, query or fragment left, so plain concatenation
    gives the same address unless the name has dot segments or empty ones (urljoin resolves and
    drops them): those still go through urljoin.
    """

    def url(self, name):
        if self.base_url is None:
            raise ValueError("This file is not accessible via a URL.")
        path = (filepath_to_uri(name) or "").lstrip("/")
        if not self.base_url.endswith("/") or "./" in path or "//" in path or path.endswith("."):
            return urljoin(self.base_url, path)
        return self.base_url + path
