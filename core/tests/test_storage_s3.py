"""Uploads on S3 (core/storage_s3.py): each photo link is signed once and reused for half its
life, against a local S3-compatible server (moto's, the s3_server fixture), never the network."""

import pickle
import threading
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import boto3
import httpx
import pytest
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from storages.backends.s3 import S3Storage

from apps.complaints.models import ComplaintImage
from apps.complaints.tests.factories import ComplaintFactory
from core.storage import file_url
from core.storage_s3 import S3ReusedLinkStorage

BUCKET = "cc-media"
LIFETIME = 3600


@pytest.fixture
def bucket(s3_server):
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="ap-south-1")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-south-1"})
    return {
        "bucket_name": BUCKET,
        "region_name": "ap-south-1",
        "endpoint_url": s3_server,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": LIFETIME,
        "file_overwrite": False,
    }


@pytest.fixture
def signings(monkeypatch):
    """The names the storage signed, in order."""
    signed = []
    sign = S3ReusedLinkStorage._sign

    def counted(self, name, *args, **kwargs):
        signed.append(name)
        return sign(self, name, *args, **kwargs)

    monkeypatch.setattr(S3ReusedLinkStorage, "_sign", counted)
    return signed


@pytest.fixture
def sessions(monkeypatch):
    """How many boto3 sessions the storages built."""
    built = []
    create = S3Storage._create_session

    def counted(self):
        built.append(threading.get_ident())
        return create(self)

    monkeypatch.setattr(S3Storage, "_create_session", counted)
    return built


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_link_is_signed_once_and_handed_out_again_until_half_its_life_is_spent(bucket, signings):
    storage = S3ReusedLinkStorage(**bucket)
    storage.clock = clock = Clock()
    name = storage.save("complaints/2026/12/photo.jpg", ContentFile(b"a photo"))

    link = storage.url(name)
    assert httpx.get(link).content == b"a photo"  # a real, working S3 link
    query = parse_qs(urlparse(link).query)
    assert query["X-Amz-Expires"] == [str(LIFETIME)]
    assert query["X-Amz-Signature"]

    clock.now += LIFETIME / 2 - 1
    assert storage.url(name) == link
    assert signings == [name]

    clock.now += 2  # less than half its life left: a fresh link
    storage.url(name)
    assert signings == [name, name]


def test_links_are_signed_by_one_client_whichever_thread_asks(bucket, sessions):
    """Under ASGI each request has a thread of its own: a boto3 session per thread cost each
    request 100-300 ms of CPU before its first link."""
    storage = S3ReusedLinkStorage(**bucket)
    names = [f"complaints/2026/12/{n}.jpg" for n in range(8)]
    for name in names:
        storage.save(name, ContentFile(name.encode()))
    built_by_saving = len(sessions)
    links = {}

    def request(name):
        links[name] = storage.url(name)

    threads = [threading.Thread(target=request, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sessions) - built_by_saving == 1  # the signing client's, once
    assert [httpx.get(links[name]).content for name in names] == [n.encode() for n in names]


def test_a_kept_link_is_signed_again_once_the_credentials_are_renewed(bucket, signings):
    """An IAM role's credentials are temporary: a link dies with the token that signed it."""
    storage = S3ReusedLinkStorage(**bucket)
    name = storage.save("complaints/2026/12/photo.jpg", ContentFile(b"a photo"))
    first = storage.url(name)
    assert "X-Amz-Security-Token" not in first
    storage._signer_credentials.token = "renewed-session-token"  # what botocore's renewal does
    renewed = storage.url(name)
    assert parse_qs(urlparse(renewed).query)["X-Amz-Security-Token"] == ["renewed-session-token"]
    assert storage.url(name) == renewed
    assert signings == [name, name]


def test_links_with_parameters_or_another_lifetime_are_signed_every_time(bucket, signings):
    storage = S3ReusedLinkStorage(**bucket)
    name = storage.save("complaints/2026/12/photo.jpg", ContentFile(b"a photo"))
    download = {"ResponseContentDisposition": "attachment"}
    storage.url(name, parameters=download)
    storage.url(name, parameters=download)
    storage.url(name, expire=60)
    link = storage.url(name, expire=60)
    assert len(signings) == 4
    assert parse_qs(urlparse(link).query)["X-Amz-Expires"] == ["60"]
    response = httpx.get(storage.url(name, parameters=download))
    assert response.headers["content-disposition"] == "attachment"


def test_the_kept_links_are_bounded_and_the_least_recently_used_go_first(bucket, signings):
    storage = S3ReusedLinkStorage(**bucket)
    storage.link_cache_size = 2
    storage.url("a.jpg")
    storage.url("b.jpg")
    storage.url("a.jpg")  # a is now the most recently used
    storage.url("c.jpg")  # b goes
    assert len(storage._links) == 2
    storage.url("a.jpg")
    storage.url("b.jpg")
    assert signings == ["a.jpg", "b.jpg", "c.jpg", "b.jpg"]


def test_the_storage_survives_pickling_without_its_links(bucket):
    storage = S3ReusedLinkStorage(**bucket)
    name = storage.save("complaints/2026/12/photo.jpg", ContentFile(b"a photo"))
    storage.url(name)
    copy = pickle.loads(pickle.dumps(storage))  # noqa: S301 (our own object)
    assert not copy._links
    assert httpx.get(copy.url(name)).content == b"a photo"


@pytest.mark.django_db
def test_a_complaint_list_signs_each_photo_link_once_across_requests(
    bucket, signings, settings, citizen, api_as
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "core.storage_s3.S3ReusedLinkStorage", "OPTIONS": bucket},
    }
    for n in range(3):
        complaint = ComplaintFactory(user=citizen)
        ComplaintImage.objects.create(
            complaint=complaint,
            image=ContentFile(b"photo %d" % n, name=f"{n}.jpg"),
            thumbnail=ContentFile(b"thumb %d" % n, name=f"t{n}.jpg"),
            file_size=7, width=1, height=1,
        )  # fmt: skip
    client = api_as(citizen)

    def links():
        rows = client.get("/api/v1/complaints/").json()["results"]
        return [(i["image_url"], i["thumbnail_url"]) for row in rows for i in row["images"]]

    first = links()
    assert links() == first
    assert len(signings) == 6  # three photos, two links each, signed once
    assert sorted(httpx.get(image).content for image, _ in first) == [
        b"photo 0", b"photo 1", b"photo 2",
    ]  # fmt: skip


def test_file_url_leaves_an_address_on_another_host_alone(rf, bucket):
    storage = S3ReusedLinkStorage(**bucket)
    file = FieldFile(None, SimpleNamespace(storage=storage), "complaints/1/photo.jpg")
    link = file_url(rf.get("/"), file)
    assert link == storage.url("complaints/1/photo.jpg")
    assert link.startswith(bucket["endpoint_url"])
