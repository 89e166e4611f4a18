import json
import os
import signal
import subprocess
import sys

import boto3
import pytest
import requests
from moto import mock_aws

from taskgraph_staging.interfaces.library.archive import EMBEDDED_CREDENTIALS, provision_archive


@pytest.fixture
def aws_env(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)


@mock_aws
def test_archive_layout_is_created_once(aws_env):
    client = boto3.client("s3", region_name="us-east-1")
    assert provision_archive(client, "lib-one-archive", ["firefox"], dry_run=True) == [
        "create bucket lib-one-archive",
        "create s3://lib-one-archive/pub/firefox/candidates/",
        "create s3://lib-one-archive/pub/firefox/releases/",
    ]
    assert client.list_buckets()["Buckets"] == []
    provision_archive(client, "lib-one-archive", ["firefox"])
    keys = [o["Key"] for o in client.list_objects_v2(Bucket="lib-one-archive")["Contents"]]
    assert keys == ["pub/firefox/candidates/", "pub/firefox/releases/"]
    assert provision_archive(client, "lib-one-archive", ["firefox"]) == []
    assert provision_archive(client, "lib-one-archive", ["firefox", "devedition"]) == [
        "create s3://lib-one-archive/pub/devedition/candidates/",
        "create s3://lib-one-archive/pub/devedition/releases/",
    ]


@pytest.fixture
def serve_archive():
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    command = [sys.executable, "-m", "taskgraph_staging", "library", "serve-archive", "--json",
               "--bucket", "lib-one-archive", "--port", "0", "--s3-port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert line, process.stderr.read()
        yield json.loads(line)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        process.stdout.close()
        process.stderr.close()


def test_serve_archive_serves_uploads_and_redirects_missing_keys_to_production(serve_archive):
    described = serve_archive
    assert described["redirects_to"] == "https://archive.mozilla.org/"
    assert described["bucket"] == "lib-one-archive"
    s3 = boto3.client("s3", endpoint_url=described["s3_endpoint"], region_name="us-east-1", **EMBEDDED_CREDENTIALS)
    key = "pub/firefox/candidates/121.0b3-candidates/build1/SHA256SUMS"
    url = s3.generate_presigned_url("put_object", Params={"Bucket": "lib-one-archive", "Key": key}, ExpiresIn=300)
    assert requests.put(url, data=b"abc  firefox.tar.bz2\n", timeout=30).status_code == 200
    assert s3.get_object(Bucket="lib-one-archive", Key=key)["Body"].read() == b"abc  firefox.tar.bz2\n"

    served = requests.get(described["archive_url"] + key, timeout=30, allow_redirects=False)
    assert (served.status_code, served.content) == (200, b"abc  firefox.tar.bz2\n")
    head = requests.head(described["archive_url"] + key, timeout=30, allow_redirects=False)
    assert (head.status_code, head.headers["Content-Length"]) == (200, "21")

    previous = "pub/firefox/releases/120.0b9/linux-x86_64/en-US/firefox-120.0b9.tar.bz2"
    missing = requests.get(described["archive_url"] + previous, timeout=30, allow_redirects=False)
    assert (missing.status_code, missing.headers["Location"]) == (302, "https://archive.mozilla.org/" + previous)
