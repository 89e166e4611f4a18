"""Run one generated task the way scriptworker runs it, through the worker's own code.

Per worker, :func:`worker_app` lays out an ``APP_DIR`` like the worker's image
(``docker.d`` = the repository's templates plus the script's own, the script's
sources, ``configloader``) and runs the repository's real ``docker.d/init.sh``
with the dev (level-1) pool's environment: it sources the script's
``init_worker.sh`` and renders ``scriptworker.yml`` and ``worker.yml`` with the
real ``configloader``. Its last line execs scriptworker, which here is a stand-in
that exits: the suite plays scriptworker's part itself (claim, ``task.json``,
upstream artifacts under ``work/cot/<taskId>/``, then ``task_script``).

Two things of the rendered configuration are relocated, and only these: the
service roots of the dev pool (``ENDPOINTS``) point at the local servers, and
``/app/`` paths at the ``APP_DIR``. Secrets are test values (``secret_env``).
The worker's code is never patched.
"""

import base64
import json
import os
import re
import shutil
import subprocess
import time

#: PROJECT_NAME of each script's pool (init.sh runs ``${PROJECT_NAME}script``).
PROJECT_NAME = {
    "balrogscript": "balrog",
    "beetmoverscript": "beetmover",
    "bouncerscript": "bouncer",
    "landoscript": "lando",
    "pushapkscript": "pushapk",
    "pushflatpakscript": "pushflatpak",
    "pushmsixscript": "pushmsix",
    "shipitscript": "shipit",
    "signingscript": "signing",
    "treescript": "tree",
}
#: scriptworker's exit statuses (scriptworker.constants STATUSES).
STATUS = {0: "success", 1: "failure", 2: "worker-shutdown", 3: "malformed-payload", 4: "resource-unavailable", 5: "internal-error", 6: "superseded", 7: "intermittent-task"}
TASKCLUSTER_ROOT_URL = "http://127.0.0.1:9"  # nothing listens: a worker that calls Taskcluster fails visibly
#: The workers' own words for refusing a task on its checks of the task itself (its
#: schema, scopes against payload, formats against its configuration), before any work.
REFUSALS = "|".join(
    (
        r"TaskVerificationError",
        r"Can't verify task schema",
        r"malformed-payload",
        r"Only one behavior can be used",  # balrogscript: payload behavior and a balrog:action scope
        r"No autograph config found with cert type",  # signingscript: a format the pool's config lacks
    )
)
#: Steps that a worker takes on Try and that nobody can take on this machine, each
#: with the worker's own words for failing there. The dev pool's config checks what
#: Autograph signed against dep keys that signingscript ships (its ``data/`` files and
#: the dev pool's Authenticode certificate) and whose private halves only the real
#: Autograph holds; the widevine module is deployed beside signingscript, in no lock.
#: A task that ends at one of these is accepted and not completed (the summary says
#: which limit); the tasks after it get made files of their kind in place of its
#: outputs, as for upstream tasks the suite does not run (``conftest.Suite.run_all``).
LIMITS = (
    (r"mar', '-k', '[^']*/signingscript/data/[\w.-]+\.pem', '-v'", "MAR signature checked against signingscript's dep key (dep1.pem): only the real Autograph holds its private key", "dep1.pem"),
    (r"FailedSubprocess: Command `gpgv --keyring", "GPG signature checked against signingscript's gpg_pubkey_dep.asc: only the real Autograph holds its private key", "gpg_pubkey_dep.asc"),
    (r"ImportError: widevine module not available", "widevine module: deployed beside signingscript on its pool, in no lock", "widevine module"),
    # pushapkscript's image carries Google's bundletool.jar (mozapkpublisher runs it for an
    # AAB's package name and version code); no package registry reachable here has it.
    # (java's own words, on its stderr before the traceback: the jar is absent, not failing)
    (r"Error: Unable to access jarfile \S*bundletool\.jar\n(?s:.*)CalledProcessError: Command '\['java', '-jar', '[^']*bundletool\.jar'", "bundletool.jar: Google's tool, in the pushapkscript image, in no package registry here", "bundletool.jar"),
    # push-to-releases on the shared dev bucket: beetmoverscript builds both paths from its
    # fixed product table at the bucket's root, so the release's namespaced candidates
    # (staging/<namespace>/pub/...) are out of its reach (beetmover's explain row); only a
    # dedicated archive with its own beetmover pool isolates it.
    (r"No artifacts to copy from pub/[\w-]+/candidates/", "push-to-releases reads pub/<product>/candidates/ at the shared bucket's root, not this release's namespaced candidates: only a dedicated archive (a library slot) isolates it", "only a dedicated archive (a library slot) isolates it"),
    # The apt import: beetmoverscript asks Google Artifact Registry (gRPC, in its code) for
    # the repository its configuration names; no stand-in of it exists, and nothing may
    # leave the machine (beetmover's explain row: the apt repository is shared anyway).
    (r"ServiceUnavailable: 503 .*artifactregistry\.googleapis\.com", "Google Artifact Registry (artifactregistry.googleapis.com): beetmoverscript's gRPC client reaches Google's service, which nothing here serves", "Google Artifact Registry is not served"),
    # Authenticode: winsign asks the dev config's timestamp server (nothing here serves
    # it) and then osslsigncode checks the signature against the dev pool's certificate.
    (r"Cannot connect to host timestamp\.digicert\.com|SigningScriptError: Couldn't sign ", "Authenticode timestamp from timestamp.digicert.com (not served here), then the signature checked against the dev pool's cert (authenticode_dep.crt, 'Mozilla Fake SPC'), whose private key only the real Autograph holds", "timestamp.digicert.com"),
)
FAKE_SCRIPTWORKER = "#!/bin/sh\n# the suite plays scriptworker's part; init.sh execs this last\nexit 0\n"


def cot_product(trust_domain, upstream_scripts):
    """The pool's ``COT_PRODUCT`` for a host's ``trust_domain``: the product whose branch of
    the repository's ``docker.d/init.sh`` exports that ``TRUST_DOMAIN`` (firefox for gecko,
    thunderbird for comm). Raises ``RuntimeError`` when no product of init.sh has it."""
    with open(os.path.join(upstream_scripts, "docker.d", "init.sh")) as fh:
        text = fh.read()
    found = re.findall(r"^\s*([\w|-]+)\)\s*\n\s*export TRUST_DOMAIN=(\S+)\s*$", text, re.M)
    products = [name.split("|")[0] for name, domain in found if domain == trust_domain]
    if not products:
        raise RuntimeError(f"docker.d/init.sh has no COT_PRODUCT whose TRUST_DOMAIN is {trust_domain!r}")
    return products[0]


def secret_env(upstream_scripts):
    """A test value for every variable the init scripts require (base64 of a name, so
    that the ones they decode decode), as the pool's secrets would be set."""
    names = set()
    for script in PROJECT_NAME:
        path = os.path.join(upstream_scripts, script, "docker.d", "init_worker.sh")
        with open(path) as fh:
            names.update(re.findall(r"test_var_set ['\"]([A-Z0-9_]+)['\"]", fh.read()))
    env = {name: base64.b64encode(f"test-{name.lower()}".encode()).decode() for name in names}
    env.update(SSH_USER="stagingbld", GITHUB_OAUTH_TOKEN="test-github-token")
    return env


def service_account_json(token_uri):
    """A service account key file (a fresh RSA key): what GCS_DEP_CREDS carries."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    return json.dumps(
        {
            "type": "service_account",
            "project_id": "staging-test",
            "private_key_id": "test",
            "private_key": pem,
            "client_email": "beetmover@staging-test.iam.gserviceaccount.com",
            "client_id": "1",
            "token_uri": token_uri,
        }
    )


def _link(src, dest):
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if not os.path.lexists(dest):
        os.symlink(src, dest)


def relocate(obj, replacements):
    """``obj`` (a rendered config) with each string's prefixes replaced."""
    if isinstance(obj, dict):
        return {k: relocate(v, replacements) for k, v in obj.items()}
    if isinstance(obj, list):
        return [relocate(v, replacements) for v in obj]
    if isinstance(obj, str):
        for old, new in replacements.items():
            if obj.startswith(old):
                return new + obj[len(old):]
    return obj


class WorkerApp:
    """A worker's APP_DIR, its rendered config and how to start its script."""

    def __init__(self, script, app_dir, config, config_path, init_log):
        self.script, self.app_dir, self.config, self.config_path, self.init_log = script, app_dir, config, config_path, init_log

    @property
    def task_script(self):
        return os.path.join(self.app_dir, ".venv", "bin", f"{PROJECT_NAME[self.script]}script")


def reload_config(app):
    """``app`` with its config read again from its file (after a pool's own edit of it)."""
    with open(app.config_path) as fh:
        return WorkerApp(app.script, app.app_dir, json.load(fh), app.config_path, app.init_log)


#: treescript's hg share directory in its pod (init_worker.sh HG_SHARE_BASE_DIR).
POD_TMP_SHARE = "/tmp/share_base"


def image_mercurial_config(upstream_scripts, app, cacerts=None):
    """What treescript's image adds for Mercurial (scriptworker-scripts'
    ``taskcluster/docker/treescript/Dockerfile``): treescript's ``data/hgrc`` as
    ``/etc/mercurial/hgrc.d/treescript.rc`` (username, the purge and strip extensions),
    ``docker.d/extensions.rc`` as ``extensions.rc`` (robustcheckout and firefoxtree from
    ``/app/version-control-tools/hgext``), and version-control-tools cloned there.

    Here: the ``etc/mercurial/hgrc.d`` beside the ``hg`` that runs (``<APP_DIR>/.venv``:
    Mercurial reads ``<prefix>/etc/mercurial`` as system config, as it reads
    ``/etc/mercurial``), extensions.rc's ``/app/`` relocated to the APP_DIR as in the
    rendered configs, and robustcheckout from treescript's vendored copy
    (``tests/vendored/robustcheckout.py``, the extension its hg path runs).
    firefoxtree is not in shared/upstream, so its line is left out (hg would warn on
    every command that it cannot import it, in the output treescript parses as JSON:
    ``hg tags --template=json``); no treescript action uses it."""
    source = os.path.join(upstream_scripts, "treescript")
    rc_dir = os.path.join(app, ".venv", "etc", "mercurial", "hgrc.d")
    os.makedirs(rc_dir)
    shutil.copy(os.path.join(source, "src", "treescript", "data", "hgrc"), os.path.join(rc_dir, "treescript.rc"))
    _link(os.path.join(source, "tests", "vendored", "robustcheckout.py"), os.path.join(app, "version-control-tools", "hgext", "robustcheckout", "__init__.py"))
    kept = []
    with open(os.path.join(source, "docker.d", "extensions.rc")) as fh:
        for line in fh:
            line = line.replace("= /app/", f"= {app}/")
            path = line.split("=", 1)[1].strip() if "=" in line else ""
            if path.startswith(app) and not os.path.exists(path):
                continue  # firefoxtree: hg's import warning would be read as treescript's JSON output
            kept.append(line)
    with open(os.path.join(rc_dir, "extensions.rc"), "w") as fh:
        fh.writelines(kept)
    if cacerts:
        with open(os.path.join(rc_dir, "suite-cacerts.rc"), "w") as fh:
            fh.write(f"[web]\ncacerts = {cacerts}\n")


def worker_app(script, base, upstream_scripts, venvs, endpoints, extra_env=None, product="firefox"):
    """Lay out ``base/<script>`` as the worker's image and render the config of its
    dev pool for ``product`` (``COT_PRODUCT``) with the real init.sh. Raises
    ``RuntimeError`` with init.sh's output if it fails."""
    app = os.path.join(base, script)
    if os.path.exists(app):
        shutil.rmtree(app)
    os.makedirs(app)
    templates = os.path.join(app, "docker.d")
    os.makedirs(templates)
    for folder in (os.path.join(upstream_scripts, "docker.d"), os.path.join(upstream_scripts, script, "docker.d")):
        for name in os.listdir(folder):
            dest = os.path.join(templates, name)
            if os.path.lexists(dest):
                os.remove(dest)
            os.symlink(os.path.join(folder, name), dest)
    _link(os.path.join(upstream_scripts, script), os.path.join(app, script))
    _link(os.path.join(venvs, "configloader", "bin", "configloader"), os.path.join(app, "configloader_venv", "bin", "configloader"))
    bin_dir = os.path.join(app, ".venv", "bin")
    _link(os.path.join(venvs, script, "bin", script), os.path.join(bin_dir, script))
    # The image's venv is the script's: Mercurial, a dependency of treescript, puts its
    # `hg` there, which treescript's config (`hg: 'hg'`) runs from PATH.
    if os.path.exists(os.path.join(venvs, script, "bin", "hg")):
        _link(os.path.join(venvs, script, "bin", "hg"), os.path.join(bin_dir, "hg"))
    if script == "treescript":
        image_mercurial_config(upstream_scripts, app, (extra_env or {}).get("SSL_CERT_FILE"))
    with open(os.path.join(bin_dir, "scriptworker"), "w") as fh:
        fh.write(FAKE_SCRIPTWORKER)
    os.chmod(os.path.join(bin_dir, "scriptworker"), 0o755)
    env = secret_env(upstream_scripts)  # the pool's own variables below win
    env.update({
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": app,
        "APP_DIR": app,
        "PROJECT_NAME": PROJECT_NAME[script],
        "ENV": "dev",
        "COT_PRODUCT": product,
        "TASKCLUSTER_ROOT_URL": TASKCLUSTER_ROOT_URL,
        "TASKCLUSTER_CLIENT_ID": "project/releng/scriptworker/v2/test",
        "TASKCLUSTER_ACCESS_TOKEN": "test-access-token",
        "WORKER_ID": f"{PROJECT_NAME[script]}-test-0",
        "ED25519_PRIVKEY": "test-ed25519",
    })
    env.update(extra_env or {})
    proc = subprocess.run(["bash", os.path.join(templates, "init.sh")], env=env, cwd=app, capture_output=True, text=True)
    init_log = proc.stdout + proc.stderr
    config_path = os.path.join(app, "configs", "worker.json")
    if proc.returncode != 0 or not os.path.exists(config_path):
        raise RuntimeError(f"{script}: the worker's init.sh failed (exit {proc.returncode}): {init_log.strip()[-2000:]}")
    replacements = dict(endpoints, **{"/app/": app + "/"})
    # the pod's /tmp is its own; here several suites share the machine's
    replacements[POD_TMP_SHARE] = os.path.join(app, "share_base")
    configs = os.path.join(app, "configs")
    for name in sorted(os.listdir(configs)):  # worker.json and what init_worker.sh rendered beside it
        if name.endswith(".json"):
            path = os.path.join(configs, name)
            with open(path) as fh:
                try:
                    rendered = json.load(fh)
                except ValueError:
                    continue  # not a rendered config: a file init_worker.sh wrote as is (pushapkscript's dummy fake_cert.json)
            with open(path, "w") as fh:
                json.dump(relocate(rendered, replacements), fh, indent=2)
    with open(config_path) as fh:
        config = json.load(fh)
    return WorkerApp(script, app, config, config_path, init_log)


def promised_artifacts(definition):
    """The artifacts the task's staging explanation says the worker writes (every
    ``extra.staging.<key>.artifact``: treescript's ``public/logs/outgoing.diff``, which
    its ``explain`` row names as what production would have pushed)."""
    staging = (definition.get("extra") or {}).get("staging") or {}
    return sorted({v["artifact"] for v in staging.values() if isinstance(v, dict) and isinstance(v.get("artifact"), str)})


class Outcome:
    """What the worker did with a task: its exit code and status, and its own words.
    ``missing``: promised artifacts (:func:`promised_artifacts`) a successful run did not
    write; a task that exits 0 without them did not do what the graph says it does."""

    def __init__(self, exit_code, log, seconds, artifacts_dir, missing=()):
        self.exit_code, self.log, self.seconds, self.artifacts_dir = exit_code, log, seconds, artifacts_dir
        self.missing = tuple(missing)

    @property
    def status(self):
        return STATUS.get(self.exit_code, f"exit {self.exit_code}")

    @property
    def accepted(self):
        """The worker took the task: it did not refuse it as malformed (status 3) nor
        fail its checks of the task (``REFUSALS``: schema, scopes against payload,
        formats against its config; scriptworker_client reports these with status 1).
        A failure after that (a service, an artifact, a lookup in its config) leaves
        the task accepted but not completed."""
        if self.exit_code == 0:
            return True
        return self.exit_code != 3 and not re.search(REFUSALS, self.log)

    @property
    def completed(self):
        return self.exit_code == 0 and not self.missing

    @property
    def limit(self):
        """The step of :data:`LIMITS` this (accepted, not completed) task ended at, or None:
        matched in the failure the worker reported last (its traceback), not in what it
        logged before (signingscript logs the widevine ImportError at every start)."""
        found = self._limit()
        return found[1] if found else None

    @property
    def limit_named(self):
        """What the explain row of the task's family must say for the limit this task
        ended at (:data:`LIMITS`' third field) to be an honest exception, or None."""
        found = self._limit()
        return found[2] if found else None

    def _limit(self):
        if self.completed or not self.accepted:
            return None
        failure = self.log.rsplit("Failed to run async_main", 1)[-1] if "Failed to run async_main" in self.log else self.log[-4000:]
        for pattern, step, named in LIMITS:
            # a pattern that spans lines (``(?s:``) reads the whole log: what the worker's
            # tool wrote before the traceback, then the traceback
            if re.search(pattern, self.log if "(?s:" in pattern else failure):
                return pattern, step, named
        return None

    @property
    def message(self):
        """The worker's own error text: the exception its last traceback ends with, else
        the last exception or error line it wrote (not an earlier logged one:
        signingscript logs the widevine ImportError at every start)."""
        if self.completed:
            return ""
        if self.exit_code == 0:
            return f"exit 0 without the artifacts the task's staging explanation promises: {', '.join(self.missing)} (its log: {self._last_line()})"
        if "Traceback (most recent call last):" in self.log:
            last = self.log.rsplit("Traceback (most recent call last):", 1)[1]
            raised = [line.strip() for line in last.splitlines() if re.match(r"[A-Za-z_][\w.]*: \S", line)]
            if raised:
                return raised[0][:400]
        lines = [line.strip() for line in self.log.splitlines() if line.strip()]
        for pattern in (r"^\S*(Error|Exception|Exit)\S*: ", r"(ERROR|CRITICAL)", r"(?i)error|fail"):
            found = [line for line in lines if re.search(pattern, line)]
            if found:
                return re.sub(r"^\d{4}-\d\d-\d\d[ T][\d:,.]+ ", "", found[-1])[:400]
        return (lines[-1] if lines else f"exit {self.exit_code} with no output")[:400]

    def _last_line(self):
        lines = [re.sub(r"^\d{4}-\d\d-\d\d[ T][\d:,.]+ ", "", line.strip()) for line in self.log.splitlines() if line.strip()]
        return (lines[-1] if lines else "empty")[:200]


def run_task(app, task_id, definition, place_artifacts, extra_env=None, timeout=600):
    """Run ``definition`` on ``app`` as scriptworker does: a fresh work and artifact
    directory, ``task.json``, upstream artifacts (``place_artifacts(cot_dir)``), then
    the task script with scriptworker's environment."""
    work_dir = app.config["work_dir"]
    artifacts_dir = app.config.get("artifact_dir") or os.path.join(app.app_dir, "artifacts")  # shipitscript has none
    for path in (work_dir, artifacts_dir):
        if os.path.exists(path):
            shutil.rmtree(path)
        os.makedirs(path)
    # scriptworker makes the task log directory (public/logs) in the artifact dir before
    # starting the script; workers write beside it (beetmover's public/manifest.json).
    os.makedirs(os.path.join(artifacts_dir, "public", "logs"))
    with open(os.path.join(work_dir, "task.json"), "w") as fh:
        json.dump(definition, fh, indent=2, sort_keys=True)
    place_artifacts(os.path.join(work_dir, "cot"))
    env = {
        "PATH": f"{os.path.dirname(app.task_script)}:/usr/local/bin:/usr/bin:/bin",
        "HOME": app.app_dir,
        "TASK_ID": task_id,
        "RUN_ID": "0",
        "TASKCLUSTER_ROOT_URL": TASKCLUSTER_ROOT_URL,
        "NO_PROXY": "127.0.0.1,localhost",
    }
    env.update(extra_env or {})
    started = time.monotonic()
    try:
        proc = subprocess.run([app.task_script, app.config_path], env=env, cwd=app.app_dir, capture_output=True, text=True, timeout=timeout)
        code, log = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as e:
        code, log = -9, f"{(e.stdout or b'').decode(errors='replace')}{(e.stderr or b'').decode(errors='replace')}\nExceeded max run time of {timeout} seconds"
    missing = [path for path in promised_artifacts(definition) if not os.path.exists(os.path.join(artifacts_dir, path))] if code == 0 else []
    with open(os.path.join(artifacts_dir, "public", "logs", "live_backing.log"), "w") as fh:
        fh.write(log)
    kept = artifacts_dir + f".{task_id}"
    if os.path.exists(kept):
        shutil.rmtree(kept)
    shutil.move(artifacts_dir, kept)
    return Outcome(code, log, time.monotonic() - started, kept, missing)
