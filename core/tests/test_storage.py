"""Stored files' addresses (core/storage.py): the same as Django's own, built more cheaply."""

from types import SimpleNamespace

import pytest
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile

from core.storage import MediaStorage, file_url

NAMES = [
    "complaints/7f0c/photo.jpg",
    "complaints/7f0c/ছবি ১.jpg",
    "complaints/7f0c/a b#c?d%e:f.jpg",
    "/complaints/7f0c/leading-slash.jpg",
    "complaints/../escape.jpg",
    "complaints/./here.jpg",
    "complaints/ends-in-dot.",
    "complaints//double-slash.jpg",
    "complaints\\backslash.jpg",
]


@pytest.mark.parametrize(
    "base_url",
    ["/media/", "https://cdn.example.org/media/", "/media", "//cdn.example.org/media/"],
)
@pytest.mark.parametrize("name", NAMES)
def test_media_links_are_the_ones_django_builds(tmp_path, base_url, name):
    options = {"location": str(tmp_path), "base_url": base_url}
    assert MediaStorage(**options).url(name) == FileSystemStorage(**options).url(name)


@pytest.mark.parametrize("host", ["testserver", "city.example.org:8443"])
@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("base_url", ["/media/", "//cdn.example.org/media/", "/média files/"])
def test_file_url_is_what_build_absolute_uri_gives(tmp_path, rf, host, secure, base_url, settings):
    settings.ALLOWED_HOSTS = [host.split(":")[0]]
    request = rf.get("/api/v1/complaints/", HTTP_HOST=host, secure=secure)
    storage = MediaStorage(location=str(tmp_path), base_url=base_url)
    for name in NAMES:
        file = FieldFile(None, SimpleNamespace(storage=storage), name)
        assert file_url(request, file) == request.build_absolute_uri(file.url)
    assert file_url(request, FieldFile(None, SimpleNamespace(storage=storage), "")) is None
    assert file_url(None, FieldFile(None, SimpleNamespace(storage=storage), NAMES[0])) == (
        f"{base_url}complaints/7f0c/photo.jpg"
    )


def test_file_url_resolves_dot_segments_a_storage_left_as_build_absolute_uri_does(rf):
    class Verbatim:  # a storage that hands names back as they are
        def url(self, name):
            return name

    request = rf.get("/api/v1/complaints/")
    for url in ("/media/a/../b.jpg", "/media/./c.jpg", "/media/d/e.jpg"):
        file = FieldFile(None, SimpleNamespace(storage=Verbatim()), url)
        assert file_url(request, file) == request.build_absolute_uri(url)
    assert file_url(
        request, FieldFile(None, SimpleNamespace(storage=Verbatim()), "/media/a/../b.jpg")
    ) == ("http://testserver/media/b.jpg")
