"""An Autograph stand-in, written from signingscript's client (``sign.py``:
``call_autograph``, ``sign_with_autograph``, ``make_signing_req``).

Autograph answers ``POST /sign/hash``, ``/sign/data`` and ``/sign/file`` with a JSON
list holding one signature response per request item: ``signature`` (base64 of the
raw signature for a hash, an armored detached PGP signature for the GPG signer's
data) or ``signed_file`` (base64 of the signed file). Requests need a Hawk
``Authorization`` header (401 otherwise, as Autograph answers), and a malformed
request or an input its signer cannot sign is a 400.

It signs with keys made for the session, never with Autograph's: a hash with an
RSA-4096 key (PKCS#1 v1.5, 512 bytes, the size a MAR signature has), data with a
session GPG key, a zip (XPI, omni.ja, APK) as a JAR with ``META-INF`` signature
files and a PKCS#7 signature. The worker checks some of these against the dep keys
it ships (``dep1.pem`` for MARs, ``gpg_pubkey_dep.asc`` for GPG), and a session key
cannot pass that check: those tasks end at the worker's own verification.
"""

import base64
import binascii
import datetime
import hashlib
import io
import json
import subprocess
import tempfile
import threading
import zipfile

from standins import _Handler

#: Prehashed digests by size (Autograph's hash signers sign the digest they get).
DIGESTS = {20: "SHA1", 32: "SHA256", 48: "SHA384", 64: "SHA512"}


class AutographState:
    """The session's signing keys and what was signed (method, keyid, format hint)."""

    def __init__(self, tmp):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        self.lock = threading.Lock()
        self.signed = []
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "staging-test autograph")])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self.key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2)).sign(self.key, hashes.SHA256())
        )
        self.gnupghome = tempfile.mkdtemp(prefix="autograph-gpg-", dir=tmp)
        subprocess.run(
            ["gpg", "--homedir", self.gnupghome, "--batch", "--passphrase", "", "--quick-gen-key", "staging-test autograph <autograph@staging.test>", "ed25519", "sign", "2d"],
            check=True, capture_output=True,
        )

    def sign_hash(self, digest):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, utils

        if len(digest) not in DIGESTS:
            raise ValueError(f"hash of {len(digest)} bytes is not a known digest size")
        algorithm = getattr(hashes, DIGESTS[len(digest)])()
        return self.key.sign(digest, padding.PKCS1v15(), utils.Prehashed(algorithm))

    def sign_data(self, data):
        proc = subprocess.run(["gpg", "--homedir", self.gnupghome, "--batch", "--armor", "--detach-sign"], input=data, capture_output=True, check=True)
        return proc.stdout.decode()

    def sign_jar(self, data):
        """``data`` (a zip) signed as a JAR: a manifest of digests, a signature file of
        the manifest, and its PKCS#7 signature, under ``META-INF``."""
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.serialization import pkcs7

        try:
            source = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as e:
            raise ValueError(f"input is not a zip file: {e}")
        manifest = ["Manifest-Version: 1.0", ""]
        out = io.BytesIO()
        with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as signed:
            for info in source.infolist():
                if info.filename.startswith("META-INF/"):
                    continue
                body = source.read(info)
                signed.writestr(info, body)
                if not info.is_dir():
                    manifest += [f"Name: {info.filename}", f"SHA256-Digest: {base64.b64encode(hashlib.sha256(body).digest()).decode()}", ""]
            manifest_bytes = "\n".join(manifest).encode()
            sf = f"Signature-Version: 1.0\nSHA256-Digest-Manifest: {base64.b64encode(hashlib.sha256(manifest_bytes).digest()).decode()}\n\n".encode()
            rsa = (
                pkcs7.PKCS7SignatureBuilder().set_data(sf).add_signer(self.cert, self.key, hashes.SHA256())
                .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
            )
            signed.writestr("META-INF/manifest.mf", manifest_bytes)
            signed.writestr("META-INF/mozilla.sf", sf)
            signed.writestr("META-INF/mozilla.rsa", rsa)
        return out.getvalue()


class AutographHandler(_Handler):
    def _error(self, code, text):
        self._send(code, text + "\n", "text/plain; charset=utf-8")

    def do_GET(self):
        if self.path == "/__heartbeat__":
            return self._send(200, "{}", "application/json")
        self._error(404, "404 page not found")

    def do_POST(self):
        body = self._body()
        auth = self.headers.get("Authorization", "")
        if not (auth.startswith("Hawk ") and 'id="' in auth and 'mac="' in auth):
            return self._error(401, "authorization verification failed: missing Hawk header")
        method = self.path.rsplit("/", 1)[-1] if self.path.startswith("/sign/") else None
        if method not in ("hash", "data", "file"):
            return self._error(404, "404 page not found")
        try:
            requests = json.loads(body)
            if not isinstance(requests, list) or not requests:
                raise ValueError("request must be a non-empty list")
            responses = []
            for item in requests:
                data = base64.b64decode(item["input"], validate=True)
                response = {"ref": hashlib.sha256(data).hexdigest()[:16], "signer_id": item.get("keyid", ""), "x5u": ""}
                if method == "hash":
                    response.update(type="genericrsa", mode="pkcs15", signature=base64.b64encode(self.state.sign_hash(data)).decode())
                elif method == "data":
                    response.update(type="gpg2", mode="", signature=self.state.sign_data(data))
                else:
                    response.update(type="jar", mode="", signed_file=base64.b64encode(self.state.sign_jar(data)).decode())
                with self.state.lock:
                    self.state.signed.append((method, item.get("keyid"), item.get("options")))
                responses.append(response)
        except (ValueError, KeyError, TypeError, binascii.Error) as e:
            return self._error(400, f"failed to sign: {e}")
        self._send(201, json.dumps(responses), "application/json")
