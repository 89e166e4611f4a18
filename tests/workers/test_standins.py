"""The Autograph and redirector stand-ins answer as the real services do, errors included."""

import base64
import hashlib
import io
import json
import urllib.error
import urllib.request
import zipfile

import pytest

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


@pytest.mark.parametrize(
    "method, items, auth, code",
    [
        pytest.param("hash", [{"input": "AA=="}], "", 401, id="no-hawk"),
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
