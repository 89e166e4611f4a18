"""Archive instances: the bucket layout (any S3-compatible endpoint) and ``serve-archive``.

``serve-archive`` runs moto's S3 server on 127.0.0.1 as the embedded instance, fronted
by an HTTP endpoint that serves the instance's objects and redirects every key it lacks
to the production archive, where previous releases (for partials and update verify) live.
"""

import json
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, urlsplit

from .errors import ProvisioningError

PRODUCTION_ARCHIVE_URL = "https://archive.mozilla.org/"
#: Directories each product has on an archive (production's layout, under ``pub/``).
PRODUCT_DIRECTORIES = ("candidates", "releases")
#: Credentials of the embedded instance (moto accepts any).
EMBEDDED_CREDENTIALS = {"aws_access_key_id": "staging", "aws_secret_access_key": "staging"}


def s3_client(endpoint, credentials=None):
    """A boto3 S3 client of an S3-compatible endpoint (credentials: boto3's usual chain, or given)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
        **(credentials or {}),
    )


def layout_keys(products):
    """The directory markers of the archive layout for ``products``."""
    return [f"pub/{product}/{directory}/" for product in sorted(products) for directory in PRODUCT_DIRECTORIES]


def provision_archive(client, bucket, products, dry_run=False):
    """Create ``bucket`` and its layout if missing. Returns the steps taken (or, dry, to take)."""
    from botocore.exceptions import ClientError, EndpointConnectionError

    steps = []
    try:
        try:
            client.head_bucket(Bucket=bucket)
            exists = True
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
                raise
            exists = False
        if not exists:
            steps.append(f"create bucket {bucket}")
            if not dry_run:
                client.create_bucket(Bucket=bucket)
        present = set()
        if exists:
            for key in layout_keys(products):
                listed = client.list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1)
                if listed.get("KeyCount", 0):
                    present.add(key)
        for key in layout_keys(products):
            if key not in present:
                steps.append(f"create s3://{bucket}/{key}")
                if not dry_run:
                    client.put_object(Bucket=bucket, Key=key, Body=b"")
    except (ClientError, EndpointConnectionError) as e:
        raise ProvisioningError(
            f"the S3 endpoint refused a step on bucket {bucket} ({e}); check the slot's archive.endpoint and credentials",
            where="library provision-archive",
        )
    return steps


def _front_handler(client, bucket, production_url):
    from botocore.exceptions import ClientError

    class ArchiveFront(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet: the command prints its own endpoints
            pass

        def _serve(self, with_body):
            key = unquote(urlsplit(self.path).path).lstrip("/")
            try:
                obj = client.get_object(Bucket=bucket, Key=key) if key else None
            except ClientError as e:
                code = e.response.get("Error", {}).get("Code")
                if code not in ("NoSuchKey", "404", "NotFound"):
                    self.send_error(502, f"archive instance error {code}")
                    return
                obj = None
            if obj is None:
                self.send_response(302)
                self.send_header("Location", production_url + quote(key))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", obj.get("ContentType") or "application/octet-stream")
            self.send_header("Content-Length", str(obj["ContentLength"]))
            if obj.get("ETag"):
                self.send_header("ETag", obj["ETag"])
            self.end_headers()
            if with_body:
                shutil.copyfileobj(obj["Body"], self.wfile)
            obj["Body"].close()

        def do_GET(self):
            self._serve(with_body=True)

        def do_HEAD(self):
            self._serve(with_body=False)

    return ArchiveFront


class ArchiveServer:
    """An archive instance on 127.0.0.1: S3 (embedded moto, or ``endpoint``) plus its public front."""

    def __init__(self, bucket, host="127.0.0.1", s3_port=0, port=0, endpoint=None, production_url=PRODUCTION_ARCHIVE_URL):
        self.bucket = bucket
        self.host = host
        self.s3_port = s3_port
        self.port = port
        self.endpoint = endpoint
        self.production_url = production_url
        self._moto = None
        self._front = None
        self._thread = None

    def start(self):
        credentials = None
        if self.endpoint is None:
            from moto.server import ThreadedMotoServer

            self._moto = ThreadedMotoServer(ip_address=self.host, port=self.s3_port, verbose=False)
            self._moto.start()
            host, port = self._moto.get_host_and_port()
            self.endpoint = f"http://{host}:{port}"
            credentials = EMBEDDED_CREDENTIALS
        client = s3_client(self.endpoint, credentials)
        provision_archive(client, self.bucket, products=())
        self._front = ThreadingHTTPServer((self.host, self.port), _front_handler(client, self.bucket, self.production_url))
        self._thread = threading.Thread(target=self._front.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def url(self):
        host, port = self._front.server_address[:2]
        return f"http://{host}:{port}/"

    def describe(self):
        return {"s3_endpoint": self.endpoint, "bucket": self.bucket, "archive_url": self.url, "redirects_to": self.production_url}

    def stop(self):
        if self._front:
            self._front.shutdown()
            self._front.server_close()
            self._thread.join()
        if self._moto:
            self._moto.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def describe_line(server):
    return json.dumps(server.describe(), sort_keys=True)
