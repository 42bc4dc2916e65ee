"""The media library on S3-compatible storage (issue 21, point 3): the upload path,
unchanged, writes the original and every rendition through django-storages to a real
S3 server (moto's server mode, an HTTP server on 127.0.0.1 in this process), public,
immutable, without metadata; a deleted image takes its objects with it."""

from __future__ import annotations

import io
import urllib.request

import boto3
import pytest
from django.db import transaction
from django.test import override_settings
from moto.server import ThreadedMotoServer
from PIL import Image as Pillow

from certfaq import config
from faqs import content
from media import addresses, inline
from media.uploads import store_upload
from tests.media.images import upload
from tests.media.test_uploads import jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)

BUCKET = "certfaq-media"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_server, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    storage = config.media_storage(
        {
            "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_ENDPOINT_URL": s3_server,
            "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_S3_DEFAULT_ACL": "public-read",
        }
    )
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={"default": storage, "staticfiles": static}):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_an_upload_lands_in_the_bucket_with_its_renditions_and_no_metadata(s3_storage):
    image = store_upload(upload("holiday.jpg", jpeg_with_gps()), title="Holiday", alt_text="A beach")
    stored = keys(s3_storage)
    assert image.file.name in stored
    assert {rendition.file.name for rendition in image.renditions.all()} <= stored
    assert len(stored) == 1 + image.renditions.count()
    assert image.file.url.startswith("http://127.0.0.1:")  # the bucket's address, not MEDIA_URL
    with urllib.request.urlopen(image.file.url) as response:  # public, as a reader's browser gets it
        body = response.read()
        assert response.headers["Content-Type"] == "image/jpeg"
    head = s3_storage.head_object(Bucket=BUCKET, Key=image.file.name)
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    with Pillow.open(io.BytesIO(body)) as picture:
        assert not picture.getexif() and "exif" not in picture.info


def test_deleting_an_image_deletes_its_objects(s3_storage):
    image = store_upload(upload("chart.jpg", jpeg_with_gps()), title="Chart", alt_text="A chart")
    assert keys(s3_storage)
    with transaction.atomic():
        image.delete()
    assert keys(s3_storage) == set()


def test_without_a_bucket_the_library_stays_in_the_local_folder():
    assert config.media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_answer_may_show_a_bucket_image_and_the_page_makes_it_responsive(s3_storage, client):
    """On S3 the library's addresses are the bucket's: the sanitiser keeps them, and the
    page finds the image they name (media.addresses)."""
    image = store_upload(upload("chart.jpg", jpeg_with_gps()), title="Chart", alt_text="A chart")
    html = f'<figure><img src="{image.file.url}" alt="A chart"></figure>'
    assert content.sanitize(html) == html
    assert addresses.library_name(image.file.url) == image.file.name
    # The local folder's addresses are not the library now.
    assert content.sanitize('<img src="/resources/media/images/chart.jpg" alt="">') == ""
    shown = inline.responsive(html, featured=False)
    assert "<picture>" in shown and 'type="image/webp"' in shown
