"""An Autograph stand-in, written from signingscript's client (``sign.py``:
``call_autograph``, ``sign_with_autograph``, ``make_signing_req``).

Autograph answers ``POST /sign/hash``, ``/sign/data`` and ``/sign/file`` with a JSON
list holding one signature response per request item: ``signature`` (base64 of the
raw signature for a hash, an armored detached PGP signature for the GPG signer's
data) or ``signed_file`` (base64 of the signed file). ``POST /sign/files`` (signingscript's
``sign_rpm_pkg``, format ``autograph_rpmsign``) takes items with ``files``, a list of
``{"name", "content"}`` (content base64, ``input`` empty), and answers each with
``signed_files`` of the same shape: Autograph's gpg2 signer in ``rpmsign`` mode
(``signer/gpg2/gpg2.go``: only ``.rpm`` names, each signed in place by
``rpmsign --addsign`` with the signer's key). Requests need a Hawk
``Authorization`` header (401 otherwise, as Autograph answers), and a malformed
request or an input its signer cannot sign is a 400.

It signs with keys made for the session, never with Autograph's: a hash with an
RSA-4096 key (PKCS#1 v1.5, 512 bytes, the size a MAR signature has), data with a
session GPG key, a zip (XPI, omni.ja, APK) as a JAR with ``META-INF`` signature
files and a PKCS#7 signature, an RPM with an OpenPGP header signature by the same GPG
key (``rpmsign``, from the distribution's ``rpm`` package). The worker checks some of these against the dep keys
it ships (``dep1.pem`` for MARs, ``gpg_pubkey_dep.asc`` for GPG), and a session key
cannot pass that check: those tasks end at the worker's own verification.
"""

import base64
import binascii
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile

from standins import _Handler

#: Prehashed digests by size (Autograph's hash signers sign the digest they get).
DIGESTS = {20: "SHA1", 32: "SHA256", 48: "SHA384", 64: "SHA512"}
#: How many named files one ``/sign/files`` item may hold (Autograph's MinNamedFiles, MaxNamedFiles).
NAMED_FILES = (1, 32)
#: A named file's name as Autograph accepts it (``signer.isValidUnsignedFilename``).
FILE_NAME = re.compile(r"[a-zA-Z0-9](?:[-_.+~a-zA-Z0-9]{0,254}[a-zA-Z0-9])?")


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
        self.tmp = tmp
        self.gnupghome = tempfile.mkdtemp(prefix="autograph-gpg-", dir=tmp)
        subprocess.run(
            ["gpg", "--homedir", self.gnupghome, "--batch", "--passphrase", "", "--quick-gen-key", "staging-test autograph <autograph@staging.test>", "ed25519", "sign", "2d"],
            check=True, capture_output=True,
        )
        listing = subprocess.run(["gpg", "--homedir", self.gnupghome, "--batch", "--with-colons", "--list-secret-keys"], check=True, capture_output=True, text=True).stdout
        self.gpg_fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
        self.gpg_public_key = subprocess.run(["gpg", "--homedir", self.gnupghome, "--batch", "--armor", "--export", self.gpg_fingerprint], check=True, capture_output=True, text=True).stdout
        # Autograph's gpg2 signer runs one gpg at a time (its serializeSigning mutex)
        self.gpg_lock = threading.Lock()

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

    def sign_rpms(self, files):
        """``files`` (``[(name, bytes)]``, each an RPM) signed as Autograph's rpmsign mode
        does: written under their names in a fresh directory and signed in place with
        ``rpmsign --addsign`` by the session GPG key. Raises ``ValueError`` for a name that
        is not ``.rpm`` or a file rpmsign refuses (not an RPM), in rpmsign's words."""
        for i, (name, _) in enumerate(files):
            if not name.endswith(".rpm"):
                raise ValueError(f"gpg2: cannot sign file {i}. File missing extension .rpm")
        rpmsign = shutil.which("rpmsign")
        if rpmsign is None:
            raise RuntimeError("rpmsign not found: the rpm distribution package (apt-get install rpm) signs RPMs")
        with tempfile.TemporaryDirectory(prefix="sign_files", dir=self.tmp) as work:
            paths = []
            for name, data in files:
                paths.append(os.path.join(work, name))
                with open(paths[-1], "wb") as fh:
                    fh.write(data)
            command = [
                rpmsign, "--addsign", "--define", f"_gpg_name {self.gpg_fingerprint}", "--define", f"__gpg {shutil.which('gpg')}",
                "--define", f"_gpg_path {self.gnupghome}", "--define", f"_tmppath {work}", *paths,
            ]
            with self.gpg_lock:
                proc = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=dict(os.environ, GNUPGHOME=self.gnupghome))
            if proc.returncode:
                raise ValueError(f"gpg2: failed to rpmsign inputs: exit status {proc.returncode}\n{proc.stderr.strip()}")
            signed = []
            for (name, _), path in zip(files, paths):
                with open(path, "rb") as fh:
                    signed.append((name, fh.read()))
            return signed

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
        if method not in ("hash", "data", "file", "files"):
            return self._error(404, "404 page not found")
        try:
            requests = json.loads(body)
            if not isinstance(requests, list) or not requests:
                raise ValueError("request must be a non-empty list")
            responses = []
            for item in requests:
                if method == "files":
                    responses.append(self._sign_files(item))
                    continue
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
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as e:
            return self._error(400, f"failed to sign: {e}")
        except RuntimeError as e:
            return self._error(500, f"signing request failed with error: {e}")
        self._send(201, json.dumps(responses), "application/json")

    def _sign_files(self, item):
        """One ``/sign/files`` item, checked as Autograph's handler checks it (``input``
        empty, 1 to 32 named files, valid names, base64 content), signed by the rpmsign signer."""
        if item.get("input"):
            raise ValueError("input should be empty in sign files signature request")
        files = item.get("files")
        if not isinstance(files, list):
            raise ValueError("missing Files in sign files signature request")
        if not NAMED_FILES[0] <= len(files) <= NAMED_FILES[1]:
            raise ValueError(f"expected {NAMED_FILES[0]} to {NAMED_FILES[1]} files to sign, got {len(files)}")
        inputs = []
        for named in files:
            name = named["name"]
            if not isinstance(name, str) or not FILE_NAME.fullmatch(name) or ".." in name:
                raise ValueError(f"invalid named file name: {name!r}")
            inputs.append((name, base64.b64decode(named["content"], validate=True)))
        signed = self.state.sign_rpms(inputs)
        with self.state.lock:
            self.state.signed.append(("files", item.get("keyid"), item.get("options")))
        return {
            "ref": hashlib.sha256(b"".join(data for _, data in inputs)).hexdigest()[:16], "type": "gpg2", "mode": "rpmsign",
            "signer_id": item.get("keyid", ""), "public_key": self.state.gpg_public_key, "signed_file": "", "x5u": "",
            "signed_files": [{"name": name, "content": base64.b64encode(data).decode()} for name, data in signed],
        }
