"""Archive instances: the bucket layout (any S3-compatible endpoint) and ``serve-archive``.

``serve-archive`` runs moto's S3 server on 127.0.0.1 as the embedded instance, fronted
by an HTTP endpoint that serves the instance's objects and redirects every key it lacks
to the production archive, where previous releases (for partials and update verify) live.
"""

import json
import logging
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, urlsplit

from taskgraph_staging.model.production import production_host_reason
from taskgraph_staging.model.release import bucket_problem
from .errors import LibraryError, ProvisioningError

PRODUCTION_ARCHIVE_URL = "https://archive.mozilla.org/"
#: Directories each product has on an archive (production's layout, under ``pub/``).
PRODUCT_DIRECTORIES = ("candidates", "releases")
#: Credentials of the embedded instance (moto accepts any).
EMBEDDED_CREDENTIALS = {"aws_access_key_id": "staging", "aws_secret_access_key": "staging"}


def endpoint_problem(endpoint):
    """Why ``endpoint`` is not the URL of a staging S3-compatible API, or None."""
    text = str(endpoint)
    if not text.isprintable() or text != text.strip() or " " in text:
        return f"{endpoint!r} holds whitespace or a control character"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or (port is None and ":" in parts.netloc.rsplit("]", 1)[-1]):
        return f"{endpoint!r} must be an http(s) URL of an S3-compatible API, like http://127.0.0.1:5000"
    reason = production_host_reason(parts.hostname)
    if reason:
        return f"{endpoint!r} is production ({reason}); use a staging instance"
    return None


#: What to do when boto3's usual chain finds no credentials.
CREDENTIALS_FIX = "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) for the S3 endpoint"


def has_credentials():
    """Whether boto3's usual chain (environment, AWS_PROFILE, ~/.aws) finds credentials."""
    import boto3

    return boto3.Session().get_credentials() is not None


def s3_client(endpoint, credentials=None, anonymous=False):
    """A boto3 S3 client of an S3-compatible endpoint (credentials: boto3's usual chain, or
    given; ``anonymous``: unsigned requests, for reading without credentials)."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    signing = {"signature_version": UNSIGNED} if anonymous else {}
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}, **signing),
        **(credentials or {}),
    )


def provisioning_client(endpoint, dry_run):
    """The client ``provision-archive`` uses: boto3's credentials, or, for a dry run
    without any, anonymous reads (a dry run changes nothing, so it needs none)."""
    if has_credentials():
        return s3_client(endpoint)
    if not dry_run:
        raise ProvisioningError(f"no AWS credentials found to change {endpoint}; {CREDENTIALS_FIX}",
                                where="library provision-archive")
    return s3_client(endpoint, anonymous=True)


def layout_keys(products):
    """The directory markers of the archive layout for ``products``."""
    return [f"pub/{product}/{directory}/" for product in sorted(products) for directory in PRODUCT_DIRECTORIES]


def provision_archive(client, bucket, products, dry_run=False, where="library provision-archive"):
    """Create ``bucket`` and its layout if missing. Returns the steps taken (or, dry, to take)."""
    from botocore import UNSIGNED
    from botocore.exceptions import BotoCoreError, ClientError

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
    except (BotoCoreError, ClientError) as e:
        anonymous = client.meta.config.signature_version is UNSIGNED
        hint = f"; a dry run without credentials reads anonymously, which this endpoint may refuse: {CREDENTIALS_FIX}" if anonymous else ""
        raise ProvisioningError(
            f"the S3 endpoint refused a step on bucket {bucket} ({_one_line(e)}); check the slot's archive.endpoint "
            f"and credentials{hint}",
            where=where,
        )
    return steps


def _one_line(error):
    return " ".join(str(error).split())


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


def serve_problems(bucket, port, s3_port, endpoint=None):
    """Every reason ``serve-archive`` cannot start with these options, found before anything starts."""
    problems = []
    for option, value in (("--port", port), ("--s3-port", s3_port)):
        if not isinstance(value, int) or not 0 <= value <= 65535:
            problems.append(f"{option} {value} must be a port from 0 to 65535 (0: any free port)")
    problem = bucket_problem(bucket)
    if problem:
        problems.append(f"--bucket {problem}")
    elif production_host_reason(None, bucket=bucket):
        problems.append(f"--bucket {bucket!r} is production ({production_host_reason(None, bucket=bucket)}); name a staging bucket")
    if endpoint is not None:
        problem = endpoint_problem(endpoint)
        if problem:
            problems.append(f"--endpoint {problem}")
        elif not has_credentials():
            problems.append(f"--endpoint: no AWS credentials found for {endpoint}; {CREDENTIALS_FIX}")
    return problems


def _claim_port(host, port, option):
    """Refuse a port another process holds (0 always works)."""
    import socket

    if not port:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            raise LibraryError(f"cannot serve on {host}:{port} ({e.strerror or e}); pick another {option} (0: any free port)",
                               where="library serve-archive")


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
        """Start the instance; raise :class:`LibraryError` (nothing left running) when it cannot."""
        problems = serve_problems(self.bucket, self.port, self.s3_port, self.endpoint)
        if problems:
            raise LibraryError("; ".join(problems), where="library serve-archive")
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        credentials = None
        if self.endpoint is None:
            from moto.server import ThreadedMotoServer

            _claim_port(self.host, self.s3_port, "--s3-port")  # moto's thread would hang on a taken port
            logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request on stderr
            self._moto = ThreadedMotoServer(ip_address=self.host, port=self.s3_port, verbose=False)
            self._moto.start()
            host, port = self._moto.get_host_and_port()
            self.endpoint = f"http://{host}:{port}"
            credentials = EMBEDDED_CREDENTIALS
        client = s3_client(self.endpoint, credentials)
        provision_archive(client, self.bucket, products=(), where="library serve-archive")
        try:
            self._front = ThreadingHTTPServer((self.host, self.port), _front_handler(client, self.bucket, self.production_url))
        except OSError as e:
            raise LibraryError(f"cannot serve on {self.host}:{self.port} ({e.strerror or e}); pick another --port (0: any free port)",
                               where="library serve-archive")
        self._thread = threading.Thread(target=self._front.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self):
        host, port = self._front.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def domain(self):
        """The front as a slot's ``archive.domain`` names it (a bare host and port)."""
        host, port = self._front.server_address[:2]
        return f"{host}:{port}"

    def describe(self):
        """The instance: its S3 API, bucket and public front (``domain``: what a slot's
        ``archive.domain`` names, so ``library check`` probes the front)."""
        return {"s3_endpoint": self.endpoint, "bucket": self.bucket, "archive_url": self.url, "domain": self.domain,
                "redirects_to": self.production_url}

    def stop(self):
        if self._front and self._thread:
            self._front.shutdown()
            self._thread.join()
        if self._front:
            self._front.server_close()
        if self._moto:
            self._moto.stop()
        self._front = self._thread = self._moto = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def describe_line(server):
    return json.dumps(server.describe(), sort_keys=True)
