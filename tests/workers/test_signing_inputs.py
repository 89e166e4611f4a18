"""signingscript gets real builds to sign, and the release goes on past a signing step
that nobody can take here (issue 19).

* The suite's upstream archives hold what signingscript's own walkers look for (it
  said "Did not find any files to sign" of a Windows zip holding a JSON file), and
  the PE images in them are ones that winsign signs and osslsigncode verifies.
* A signing task that ends at one of :data:`harness.LIMITS` (a signature the worker
  checks against a dep key only the real Autograph holds, the widevine module) is
  accepted and not completed, and the beetmover task after it runs on made files of
  their kind instead of failing with "upstream artifact does not exist".
"""

import json
import os
import subprocess
import textwrap

import pytest

import artifacts
import harness
import tasks

pytestmark = pytest.mark.workers

#: signingscript's own choice of the files to sign, run in its environment.
WALKERS = textwrap.dedent(
    """
    import json, sys, tarfile, zipfile
    import signingscript.task  # noqa: F401  (imports sign.py the way script.py does; sign.py alone is a circular import)
    from signingscript.sign import _get_omnija_signing_files, _get_widevine_signing_files, _should_sign_windows
    out = {}
    for path in sys.argv[1:]:
        names = zipfile.ZipFile(path).namelist() if path.endswith(".zip") else tarfile.open(path).getnames()
        out[path] = {
            "authenticode": sorted(n for n in names if _should_sign_windows(n)),
            "widevine": sorted(_get_widevine_signing_files(names)),
            "omnija": sorted(_get_omnija_signing_files(names)),
        }
    print(json.dumps(out))
    """
)

#: winsign signs a PE with a key whose certificate is its own CA; osslsigncode then verifies it.
WINSIGN = textwrap.dedent(
    """
    import asyncio, datetime, sys
    import winsign.sign
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
    from cryptography.x509.oid import NameOID
    from winsign.crypto import load_pem_certs
    infile, outfile, ca = sys.argv[1:]
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "staging-test authenticode")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    open(ca, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
    async def signer(digest, digest_algo):
        return key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    ok = asyncio.run(winsign.sign.sign_file(infile, outfile, "sha256", load_pem_certs(cert.public_bytes(serialization.Encoding.PEM)), signer, cafile=ca,
                                            timestampfile="/etc/ssl/certs/ca-certificates.crt", url="https://mozilla.org"))
    sys.exit(0 if ok else 1)
    """
)


def _python(suite, script):
    return os.path.join(suite.cache, "venvs", script, "bin", "python")


def test_made_builds_hold_what_signingscript_signs(suite, tmp_path):
    windows, linux = str(tmp_path / "win" / "target.zip"), str(tmp_path / "linux" / "target.tar.xz")
    for path in (windows, linux):
        artifacts.make(path, suite.mar_tool)
    proc = subprocess.run([_python(suite, "signingscript"), "-c", WALKERS, windows, linux], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    assert found[windows]["authenticode"] == ["firefox/firefox.exe", "firefox/plugin-container.exe", "firefox/xul.dll"]
    assert found[windows]["omnija"] == found[linux]["omnija"] == ["firefox/browser/omni.ja", "firefox/omni.ja"]
    assert found[windows]["widevine"] == ["firefox/firefox.exe", "firefox/plugin-container.exe", "firefox/xul.dll"]
    assert found[linux]["widevine"] == ["firefox/firefox", "firefox/libxul.so", "firefox/plugin-container"]


def test_made_pe_images_are_signed_by_winsign_and_verified_by_osslsigncode(suite, tmp_path):
    installer = str(tmp_path / "public" / "build" / "target.installer.exe")
    artifacts.make(installer, suite.mar_tool)
    signed, ca = str(tmp_path / "signed.exe"), str(tmp_path / "ca.pem")
    proc = subprocess.run([_python(suite, "signingscript"), "-c", WINSIGN, installer, signed, ca], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    verify = subprocess.run(["osslsigncode", "verify", "-CAfile", ca, "-in", signed], capture_output=True, text=True)
    assert verify.returncode == 0 and "Succeeded" in verify.stdout, verify.stdout[-2000:] + verify.stderr[-1000:]


def test_the_message_is_what_the_last_traceback_raised():
    log = (
        "Traceback (most recent call last):\n  File \"sign.py\", line 42, in <module>\n    import widevine\n"
        "ModuleNotFoundError: No module named 'widevine'\n"
        "2026-12-02 13:59:18,959 - scriptworker.client - ERROR - Failed to run async_main\n"
        "Traceback (most recent call last):\n  File \"sign.py\", line 1066, in verify_gpg\n"
        "signingscript.exceptions.FailedSubprocess: Command `gpgv --keyring k sig file` failed\n"
    )
    outcome = harness.Outcome(5, log, 0.1, "")
    assert outcome.message == "signingscript.exceptions.FailedSubprocess: Command `gpgv --keyring k sig file` failed"
    assert outcome.limit and "gpg_pubkey_dep.asc" in outcome.limit
    assert harness.Outcome(0, log, 0.1, "").limit is None  # a completed task ends at no limit


def test_beetmover_runs_after_signing_ends_at_a_step_nobody_can_take_here(suite):
    selected, _ = tasks.select(["firefox-beta-build-alice", "firefox-beta-promote-alice"], ci=False)
    wanted = ("build-signing-firefox-linux64", "repackage-signing-firefox-linux64-en-US", "beetmover-repackage-firefox-linux64-en-US")
    chosen = [next(s for s in selected if s.label == label) for label in wanted]
    results = suite.run_all(chosen, jobs=1)
    outcomes = {s.label: results[(s.pset, s.task_id)] for s in chosen}
    for label in wanted[:2]:
        outcome, error = outcomes[label]
        assert error is None and outcome.accepted and not outcome.completed, (label, error, outcome and outcome.log[-2000:])
        assert outcome.limit, f"{label} failed at a step that is not a limit of this machine: {outcome.message}"
    assert "dep1.pem" in outcomes["repackage-signing-firefox-linux64-en-US"][0].limit
    beetmover, error = outcomes["beetmover-repackage-firefox-linux64-en-US"]
    assert error is None and beetmover.completed, error or f"{beetmover.message}\n{beetmover.log[-3000:]}"
    assert os.path.isfile(os.path.join(beetmover.artifacts_dir, "public", "manifest.json"))
