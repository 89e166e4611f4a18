"""The Autograph and redirector stand-ins answer as the real services do, errors included."""

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
import zipfile

import pytest

import artifacts
import autograph
import services
import standins

pytestmark = pytest.mark.workers
HAWK = 'Hawk id="signer", ts="1", nonce="n", hash="h", mac="m"'


@pytest.fixture(scope="module")
def signer(tmp_path_factory):
    state = autograph.AutographState(str(tmp_path_factory.mktemp("autograph")))
    server = services.Server(standins.handler(autograph.AutographHandler, state))
    yield state, server
    server.stop()


def post(server, method, items, auth=HAWK):
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/sign/{method}", data=json.dumps(items).encode(), headers={"Authorization": auth, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_hash_is_signed_with_the_session_key_at_a_mar_signatures_size(signer):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils

    state, server = signer
    digest = hashlib.sha384(b"a MAR's signed content").digest()
    code, body = post(server, "hash", [{"input": base64.b64encode(digest).decode(), "keyid": "firefox_dep1"}])
    assert code == 201
    signature = base64.b64decode(body[0]["signature"])
    assert len(signature) == 512
    state.key.public_key().verify(signature, digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA384()))


def test_zip_comes_back_with_jar_signature_files(signer):
    _, server = signer
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as zf:
        zf.writestr("chrome/content.js", "x")
    code, body = post(server, "file", [{"input": base64.b64encode(source.getvalue()).decode()}])
    assert code == 201
    names = zipfile.ZipFile(io.BytesIO(base64.b64decode(body[0]["signed_file"]))).namelist()
    assert names == ["chrome/content.js", "META-INF/manifest.mf", "META-INF/mozilla.sf", "META-INF/mozilla.rsa"]


def test_data_gets_an_armored_detached_signature(signer):
    _, server = signer
    code, body = post(server, "data", [{"input": base64.b64encode(b"SHA512SUMS").decode()}])
    assert code == 201 and body[0]["signature"].startswith("-----BEGIN PGP SIGNATURE-----")


def files_item(name, data, **extra):
    return {"files": [{"name": name, "content": base64.b64encode(data).decode()}], "keyid": "autograph_rpmsign", **extra}


def test_rpm_comes_back_signed_by_the_session_key(signer, tmp_path):
    """/sign/files as signingscript's sign_rpm_pkg calls it: the RPM comes back with an
    OpenPGP header signature that rpm checks against the session key (and only that key)."""
    assert shutil.which("rpm") and shutil.which("rpmsign"), "the rpm distribution package (rpm, rpmsign, rpmbuild) is needed: apt-get install rpm"
    state, server = signer
    unsigned = tmp_path / "public" / "build" / "langpack-de.noarch.rpm"
    artifacts.make(str(unsigned), mar_tool=None)
    code, body = post(server, "files", [files_item(unsigned.name, unsigned.read_bytes())])
    assert code == 201, body
    assert [f["name"] for f in body[0]["signed_files"]] == ["langpack-de.noarch.rpm"]
    assert (body[0]["type"], body[0]["mode"]) == ("gpg2", "rpmsign")
    signed = tmp_path / "signed.rpm"
    signed.write_bytes(base64.b64decode(body[0]["signed_files"][0]["content"]))
    assert state.signed[-1] == ("files", "autograph_rpmsign", None)

    def checksig(dbpath, path):
        os.makedirs(dbpath, exist_ok=True)
        return subprocess.run(["rpm", "--dbpath", str(dbpath), "--checksig", "-v", str(path)], capture_output=True, text=True)

    # no key in the keyring: the signature is there but cannot be checked
    without = checksig(tmp_path / "empty-db", signed)
    assert without.returncode == 1 and "NOKEY" in without.stdout, without.stdout
    # the session key (as the response carries it) imported into a temp rpm keyring
    pubkey = tmp_path / "RPM-KEY"
    pubkey.write_text(body[0]["public_key"])
    db = tmp_path / "rpmdb"
    os.makedirs(db)
    subprocess.run(["rpm", "--dbpath", str(db), "--import", str(pubkey)], check=True, capture_output=True)
    checked = checksig(db, signed)
    assert checked.returncode == 0 and "Signature, key ID" in checked.stdout and "OK" in checked.stdout, checked.stdout + checked.stderr
    assert state.gpg_fingerprint[-8:].lower() in checked.stdout
    # the unsigned input had no signature at all
    assert "Signature" not in checksig(db, unsigned).stdout


@pytest.mark.parametrize(
    "item",
    [
        pytest.param(files_item("target.zip", b"PK\x03\x04"), id="not-an-rpm-name"),
        pytest.param(files_item("target.rpm", b"not an rpm package"), id="not-an-rpm"),
        pytest.param(files_item("../target.rpm", b"x"), id="path-in-name"),
        pytest.param(files_item("target.rpm", b"x", input="AA=="), id="input-set"),
        pytest.param({"keyid": "autograph_rpmsign"}, id="no-files"),
        pytest.param({"files": []}, id="zero-files"),
        pytest.param({"files": [{"name": "target.rpm", "content": "not base64!"}]}, id="bad-base64"),
    ],
)
def test_sign_files_refuses_what_the_rpmsign_signer_cannot_sign(signer, item):
    state, server = signer
    before = len(state.signed)
    code, body = post(server, "files", [item])
    assert code == 400 and body.startswith("failed to sign: "), (code, body)
    assert len(state.signed) == before


@pytest.mark.parametrize(
    "method, items, auth, code",
    [
        pytest.param("hash", [{"input": "AA=="}], "", 401, id="no-hawk"),
        pytest.param("files", [{"files": []}], "", 401, id="files-no-hawk"),
        pytest.param("file", [{"input": base64.b64encode(b"not a zip").decode()}], HAWK, 400, id="not-a-zip"),
        pytest.param("hash", [{"input": base64.b64encode(b"short").decode()}], HAWK, 400, id="not-a-digest"),
        pytest.param("hash", [], HAWK, 400, id="empty-request"),
        pytest.param("xpi", [{"input": "AA=="}], HAWK, 404, id="unknown-endpoint"),
    ],
)
def test_bad_requests_get_autographs_errors(signer, method, items, auth, code):
    assert post(signer[1], method, items, auth=auth)[0] == code


def test_redirector_resolves_aliases_through_the_admin_state():
    state = standins.BouncerState()
    state.products["Firefox-121.0b3-staging-alice"] = {"languages": "", "ssl_only": False, "locations": {"win": "/firefox/:lang/setup.exe"}}
    state.aliases["partner-firefox-beta-staging-alice-latest"] = "Firefox-121.0b3-staging-alice"
    server = services.Server(standins.handler(standins.RedirectorHandler, state, download_root="https://archive/pub"))
    try:
        def get(query):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/?{query}") as r:
                    return r.status, r.read().decode()
            except urllib.error.HTTPError as e:
                return e.code, e.read().decode()

        expected = (200, "https://archive/pub/firefox/en-US/setup.exe")
        assert get("product=partner-firefox-beta-staging-alice-latest&print=yes") == expected
        assert get("product=firefox-121.0b3-staging-alice&print=yes") == expected
        assert get("product=Firefox-121.0b3-staging-alice&os=linux64&print=yes") == (404, "404 page not found\n")
        assert get("product=nobody&print=yes") == (404, "404 page not found\n")
    finally:
        server.stop()
