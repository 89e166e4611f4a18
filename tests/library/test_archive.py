import json
import os
import signal
import subprocess
import sys

import boto3
import pytest
import requests
from moto import mock_aws

from taskgraph_staging.interfaces.cli import main
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


@pytest.fixture
def no_aws_credentials(monkeypatch, tmp_path):
    """No credentials anywhere boto3 looks: environment, profile files (never the real ~/.aws), instance metadata."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def _served_slot(slot_dict, described):
    """A slot whose archive is the one serve-archive runs (its printed domain and S3 endpoint); the other
    instances are paths of the same front, which answers every URL."""
    front = described["archive_url"].rstrip("/")
    slot = slot_dict("lib-one")
    slot["archive"] = {"bucket": described["bucket"], "domain": described["domain"], "endpoint": described["s3_endpoint"]}
    slot["balrog"] = {"admin": f"{front}/balrog-admin/api", "public": f"{front}/balrog"}
    slot["bouncer"] = {"admin": f"{front}/bouncer-admin/api", "redirector": f"{front}/bouncer"}
    slot["shipit"] = {"url": f"{front}/shipit"}
    return slot


def _library(capsys, *argv):
    capsys.readouterr()
    code = main(["library", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_library_check_passes_against_serve_archive_and_fails_once_it_stops(tmp_path, slot_dict, write_slots, capsys):
    registry = str(tmp_path / "library.sqlite")
    command = [sys.executable, "-m", "taskgraph_staging", "library", "serve-archive", "--json",
               "--bucket", "lib-one-archive", "--port", "0", "--s3-port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line, process.stderr.read()
        described = json.loads(line)
        assert described["archive_url"] == f"http://{described['domain']}/"
        assert _library(capsys, "add", write_slots(tmp_path / "slots.yml", [_served_slot(slot_dict, described)]),
                        "--registry", registry)[0] == 0
        assert _library(capsys, "check", "lib-one", "--registry", registry, "--timeout", "10") == (0, "every instance answers\n", "")
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        process.stdout.close()
        process.stderr.close()
    code, out, err = _library(capsys, "check", "lib-one", "--registry", registry, "--timeout", "5")
    assert code == 1
    assert f"archive public http://{described['domain']}/: unreachable (ConnectionError)" in out.splitlines()
    assert f"archive endpoint {described['s3_endpoint']}: unreachable (ConnectionError)" in out.splitlines()


def test_provision_archive_dry_run_needs_no_credentials(serve_archive, tmp_path, slot_dict, write_slots, capsys, no_aws_credentials):
    registry = str(tmp_path / "library.sqlite")
    slot = slot_dict("lib-one")
    slot["archive"]["endpoint"] = serve_archive["s3_endpoint"]
    assert _library(capsys, "add", write_slots(tmp_path / "slots.yml", [slot]), "--registry", registry)[0] == 0
    # The served bucket exists and is empty: the dry run reads it anonymously and says what it would create.
    assert _library(capsys, "provision-archive", "lib-one", "--dry-run", "--registry", registry) == (
        0, "would create s3://lib-one-archive/pub/firefox/candidates/\nwould create s3://lib-one-archive/pub/firefox/releases/\n", "")
    code, out, err = _library(capsys, "provision-archive", "lib-one", "--registry", registry)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"taskgraph-staging library: error: library provision-archive: no AWS credentials found to change "
        f"{serve_archive['s3_endpoint']}; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) for the S3 endpoint"
    ]
    s3 = boto3.client("s3", endpoint_url=serve_archive["s3_endpoint"], region_name="us-east-1", **EMBEDDED_CREDENTIALS)
    assert s3.list_objects_v2(Bucket="lib-one-archive").get("KeyCount") == 0


def test_a_dry_run_an_endpoint_refuses_anonymously_is_one_line(tmp_path, slot_dict, write_slots, capsys, no_aws_credentials):
    registry = str(tmp_path / "library.sqlite")
    slot = slot_dict("lib-one")
    slot["archive"]["endpoint"] = "http://127.0.0.1:1"  # nothing listens there
    assert _library(capsys, "add", write_slots(tmp_path / "slots.yml", [slot]), "--registry", registry)[0] == 0
    code, out, err = _library(capsys, "provision-archive", "lib-one", "--dry-run", "--registry", registry)
    assert (code, out, len(err.splitlines())) == (2, "", 1)
    assert "Could not connect to the endpoint URL" in err and "a dry run without credentials reads anonymously" in err


@pytest.mark.parametrize("argv, problem", [
    pytest.param(("--port", "65536"), "--port 65536 must be a port from 0 to 65535", id="port"),
    pytest.param(("--s3-port", "-1"), "--s3-port -1 must be a port from 0 to 65535", id="s3-port"),
    pytest.param(("--bucket", "Lib_One"), "--bucket 'Lib_One' is not a valid S3 bucket name", id="bucket"),
    pytest.param(("--endpoint", "s3.example"), "--endpoint 's3.example' must be an http(s) URL", id="endpoint"),
    pytest.param(("--endpoint", "https://archive.mozilla.org"), "--endpoint 'https://archive.mozilla.org' is production", id="production"),
    pytest.param(("--bucket", "net-mozaws-prod-delivery-firefox"), "--bucket 'net-mozaws-prod-delivery-firefox' is production",
                 id="production-bucket"),
    pytest.param(("--endpoint", "http://127.0.0.1:1"), "--endpoint: no AWS credentials found for http://127.0.0.1:1", id="credentials"),
])
def test_serve_archive_refuses_bad_options_before_starting(argv, problem, capsys, no_aws_credentials):
    code, out, err = _library(capsys, "serve-archive", "--port", "0", "--s3-port", "0", *argv)
    assert (code, out, len(err.splitlines())) == (2, "", 1)
    assert err.startswith(f"taskgraph-staging library: error: library serve-archive: {problem}")


def test_serve_archive_refuses_a_taken_port(capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for option in ("--port", "--s3-port"):
            other = "--s3-port" if option == "--port" else "--port"
            code, out, err = _library(capsys, "serve-archive", option, str(port), other, "0")
            assert (code, out) == (2, "")
            assert err.splitlines() == [f"taskgraph-staging library: error: library serve-archive: cannot serve on 127.0.0.1:{port} "
                                        f"(Address already in use); pick another {option} (0: any free port)"]
