"""Services the workers talk to, on 127.0.0.1 only.

- The real Balrog (admin and public apps, one SQLite database) for the session, with
  the rules of the suite's namespaces (:data:`NAMESPACES`) provisioned as
  ``taskgraph-staging library provision-balrog`` makes them on a staging Balrog: a
  release's submit-toplevel points its namespace's test-channel rules at its blob and
  balrogscript cannot create a rule, so they exist before any release, as production's
  rules do on production Balrog (``data/production_rules.json``: production's rules API
  shape, Firefox's beta, release and ESR 115 aliases, and Thunderbird's beta, release and
  ESR 140 aliases for the comm host, under the ids of this file).
- An HTTPS stand-in for Auth0's token endpoint (balrogclient asks
  ``https://<auth0_domain>/oauth/token`` for a machine token, as Auth0 answers it);
  its certificate is made for the session and trusted through ``REQUESTS_CA_BUNDLE``.
- gcp-storage-emulator for beetmover's GCS dev bucket (``STORAGE_EMULATOR_HOST``, the
  storage client's own switch), with a stand-in for Google's token endpoint.
- A stand-in for GitHub's API (``github_api.py``) over a bare clone of this checkout,
  the git Try push that treescript's GitHub code path reads.
- Real Mercurial repositories for treescript's Mercurial path (``hg_try.py``: ``hg serve``
  as https://hg.mozilla.org on a loopback address): the pools' upstream repositories and
  each release's Try push.
- Stand-ins for Bouncer admin and Ship-it (``standins.py``), and for Autograph
  (``autograph.py``: every Autograph root of signingscript's dev pool).
- Every other service root of the dev pool's configuration is relocated to a port
  where nothing listens, so a worker that reaches for a service the suite does not
  run fails with its own connection error instead of leaving this machine.
"""

import datetime
import http.server
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from taskgraph_staging.model.workers import BOUNCER_ALIAS_CHECK_REDIRECTOR

HERE = os.path.dirname(os.path.abspath(__file__))
CLOSED = "http://127.0.0.1:9"
#: The dev pool's service roots (from the workers' docker.d) and where the suite sends them.
UNRUN_SERVICES = (
    "https://admin.prod.bouncer.prod.webservices.mozgcp.net/api",
    "https://shipit-api.mozilla-releng.net",
    "https://lando.moz.tools/api",
    "https://treestatus.mozilla-releng.net",
    "https://manage.devcenter.microsoft.com",
    "https://login.microsoftonline.com",
    "https://aus4-admin.mozilla.org/api",
)
BALROG_ADMIN = "https://admin.stage.balrog.nonprod.webservices.mozgcp.net/api"
AUTH0_DOMAIN = "auth.mozilla.auth0.com"
BOUNCER_ADMIN = "https://admin.dev.bouncer.nonprod.webservices.mozgcp.net/api"
SHIPIT = "https://api.shipit.staging.mozilla-releng.net"
#: landoscript's dev pool: Lando's staging API (docker.d/init_worker.sh, ENV other than prod) and
#: treestatus, which its worker.yml names for every pool (production's treestatus).
LANDO_API = "https://stage.lando.nonprod.webservices.mozgcp.net/api"
TREESTATUS = "https://treestatus.prod.lando.prod.cloudops.mozgcp.net"
#: The version files of each staging Lando repository's branch where they differ from the
#: checkout's (a beta, 121.0b3): each repository holds its own train, as the real staging
#: repositories do, at the versions of the suite's parameter sets (121.0, 115.5.0esr).
LANDO_TRAINS = {
    "staging-firefox-release": {
        "browser/config/version.txt": "121.0", "browser/config/version_display.txt": "121.0",
        "config/milestone.txt": "121.0", "mobile/android/version.txt": "121.0",
    },
    "staging-firefox-esr115": {
        "browser/config/version.txt": "115.5.0", "browser/config/version_display.txt": "115.5.0esr",
        "config/milestone.txt": "115.5.0",
    },
}
#: The token the suite's Lando takes (the pool's LANDO_TOKEN, which conftest gives landoscript's pool).
LANDO_TOKEN = "staging-test-lando-token"
#: Autograph roots in signingscript's passwords.yml: all go to the Autograph stand-in.
AUTOGRAPH = (
    "https://stage.autograph.nonprod.webservices.mozgcp.net",
    "https://prod.autograph.prod.webservices.mozgcp.net",
    "https://autograph-external.prod.autograph.services.mozaws.net",
)
#: The staging redirector that bouncerscript's code names (constants.GO_BOUNCER_URL_TMPL, the
#: project's model.workers.BOUNCER_ALIAS_CHECK_REDIRECTOR); offline.py resolves it to
#: 127.0.0.1, where the redirector stand-in listens on 443.
REDIRECTOR_HOST = urllib.parse.urlsplit(BOUNCER_ALIAS_CHECK_REDIRECTOR).hostname
#: GitHub's API, which simple_github (treescript's and landoscript's GitHub client) names in its code.
GITHUB_HOST = "api.github.com"
#: Hosts that workers' code (not their configuration) names, served here under their own name,
#: each at its own loopback address (both stand-ins listen on 443).
#: hg.mozilla.org (hg_try.HOST): treescript's Mercurial path, which refuses any other host.
HG_HOST = "hg.mozilla.org"
PINNED_HOSTS = {REDIRECTOR_HOST: "127.0.0.1", GITHUB_HOST: "127.0.0.2", HG_HOST: "127.0.0.3"}
#: The GitHub App of the dev pool (treescript docker.d/worker.yml: releng-treescript-dev).
GITHUB_APP_ID = 909547
#: landoscript's App outside prod (its docker.d/worker.yml: releng-read-only-dev).
LANDO_GITHUB_APP_ID = 1227773
#: The Try push of a git head, as GitHub serves it: the reference repository (graphs.REFERENCE_REPOSITORY).
GITHUB_REPOSITORY = "mozilla-releng/staging-reference"
#: Seconds a service may take to answer after it starts.
STARTUP_TIMEOUT = 300
#: Namespaces of the suite's parameter sets (tests/params): their Balrog rules are provisioned.
NAMESPACES = ("alice", "bob")
#: Products of the suite's hosts whose Balrog rules are provisioned (the reference root's firefox and devedition, the comm host's thunderbird).
PRODUCTS = ("firefox", "devedition", "thunderbird")
PRODUCTION_RULES = os.path.join(HERE, "data", "production_rules.json")
#: The token the suite's Balrog takes (balrog_server.py's TOKEN).
BALROG_TOKEN = "staging-test-token"
#: The firefox dev pool's product bucket (beetmoverscript docker.d/worker.yml, clouds.gcloud.dep).
DEP_BUCKET = "moz-fx-productdelivery-no-7d6a-productdelivery"


def _die_with_parent():
    """Linux: the service gets SIGTERM when the test process dies (a killed pytest
    leaves no Balrog or emulator behind)."""
    import ctypes
    import signal

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=60, context=None):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)



def stop_process(proc, log):
    """Stop a server process the suite started (SIGTERM, then SIGKILL after 10 s) and close its log."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()

class Balrog:
    """The real Balrog, admin and public, on one SQLite database."""

    def __init__(self, cache, tmp):
        python = os.path.join(cache, "venvs", "balrog", "bin", "python")
        tree = os.path.join(cache, "src", "balrog")
        self.db = f"sqlite:///{os.path.join(tmp, 'balrog.db')}"
        self.admin_port, self.public_port = free_port(), free_port()
        self.logs = {name: open(os.path.join(tmp, f"balrog-{name}.log"), "w") for name in ("admin", "public")}
        common = [os.path.join(HERE, "balrog_server.py")]
        self.procs = [subprocess.Popen([python, *common, "admin", "--balrog", tree, "--db", self.db, "--port", str(self.admin_port), "--create"], stdout=self.logs["admin"], stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)]
        # Creating the database runs every alembic migration: minutes on a loaded 2-core machine.
        wait_for(f"{self.admin_url}/v2/releases", timeout=STARTUP_TIMEOUT)
        self.procs.append(subprocess.Popen([python, *common, "public", "--balrog", tree, "--db", self.db, "--port", str(self.public_port)], stdout=self.logs["public"], stderr=subprocess.STDOUT, preexec_fn=_die_with_parent))
        wait_for(f"{self.public_url}/__heartbeat__", timeout=STARTUP_TIMEOUT)

    @property
    def admin_url(self):
        return f"http://127.0.0.1:{self.admin_port}/api"

    @property
    def public_url(self):
        return f"http://127.0.0.1:{self.public_port}"

    def get(self, path):
        with urllib.request.urlopen(f"{self.admin_url}{path}") as r:
            return json.load(r)

    def provision(self, namespaces, product="firefox"):
        """Create each namespace's rules for ``product`` with the project's own
        provisioning (what ``library provision-balrog`` does to a slot's Balrog).
        ``{alias: rule id}``."""
        from taskgraph_staging.interfaces.library.balrog import BalrogAdmin, provision_balrog, read_rules_file
        from taskgraph_staging.interfaces.library.slots import Slot
        from taskgraph_staging.model.release import Namespace, Services

        rules = read_rules_file(PRODUCTION_RULES)
        admin = BalrogAdmin(self.admin_url, token=BALROG_TOKEN)
        rule_ids = {}
        for namespace in namespaces:
            slot = Slot(id=namespace, namespace=Namespace.parse(namespace), services=Services.from_dict({}), archive_endpoint="")
            rule_ids.update(provision_balrog(slot, product, rules, admin)[1])
        return rule_ids

    def update(self, product, version, build_id, build_target, locale, channel):
        """What the public update API (``/update/3/...``) answers a client with
        ``version``/``build_id`` on ``channel``: the update XML, as text."""
        path = "/".join(
            urllib.parse.quote(part, safe="")
            for part in (product, version, build_id, build_target, locale, channel, "default", "default", "default")  # osVersion, distribution, distVersion
        )
        url = f"{self.public_url}/update/3/{path}/update.xml"
        try:
            with urllib.request.urlopen(url) as r:
                return r.read().decode()
        except urllib.error.HTTPError as e:
            raise AssertionError(f"Balrog answered {url} with HTTP {e.code}: {e.read().decode(errors='replace')[:500]}") from None

    def stop(self):
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for fh in self.logs.values():
            fh.close()


def self_signed(tmp):
    """A certificate and key for 127.0.0.1 and the :data:`PINNED_HOSTS` (cert path, key path)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), *(x509.DNSName(h) for h in PINNED_HOSTS)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = os.path.join(tmp, "localhost.crt"), os.path.join(tmp, "localhost.key")
    with open(cert_path, "wb") as fh:
        fh.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as fh:
        fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


class Auth0Token(http.server.BaseHTTPRequestHandler):
    """``POST /oauth/token`` with client credentials -> a bearer token, as Auth0 answers;
    other requests get Auth0's 404/401 shapes."""

    token = "staging-test-token"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/oauth/token":
            return self._json(404, {"error": "not_found"})
        try:
            form = json.loads(body)
        except ValueError:
            form = dict(p.split("=", 1) for p in body.decode().split("&") if "=" in p)
        if form.get("grant_type") != "client_credentials" or not form.get("client_id") or not form.get("client_secret"):
            return self._json(401, {"error": "access_denied", "error_description": "Unauthorized"})
        self._json(200, {"access_token": self.token, "expires_in": 86400, "token_type": "Bearer"})

    def _json(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class Server:
    """A threaded HTTP(S) server for a stand-in handler (on ``port``, else a free one)."""

    def __init__(self, handler, cert=None, port=0, host="127.0.0.1"):
        self.httpd = http.server.ThreadingHTTPServer((host, port), handler)
        if cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*cert)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class GoogleToken(Auth0Token):
    """Google's OAuth token endpoint for a service account (a signed JWT, the
    ``jwt-bearer`` grant) -> an access token; the token_uri of the suite's GCS key."""

    def do_POST(self):
        form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()))
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" or form.get("assertion", "").count(".") != 2:
            return self._json(400, {"error": "invalid_grant", "error_description": "Invalid JWT"})
        self._json(200, {"access_token": "staging-gcs-token", "expires_in": 3600, "token_type": "Bearer"})


class GcsEmulator:
    """gcp-storage-emulator (PyPI) on 127.0.0.1, in memory, with the buckets asked for."""

    def __init__(self, cache, tmp, default_bucket):
        self.port = free_port()
        self.log = open(os.path.join(tmp, "gcs.log"), "w")
        tool = os.path.join(cache, "venvs", "gcs-emulator", "bin", "gcp-storage-emulator")
        self.proc = subprocess.Popen([tool, "start", "--host", "127.0.0.1", "--port", str(self.port), "--in-memory", "--default-bucket", default_bucket], stdout=self.log, stderr=subprocess.STDOUT, cwd=tmp, preexec_fn=_die_with_parent)
        wait_for(f"{self.url}/storage/v1/b")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def create_bucket(self, name):
        request = urllib.request.Request(f"{self.url}/storage/v1/b?project=staging-test", data=json.dumps({"name": name}).encode(), headers={"Content-Type": "application/json"}, method="POST")
        try:
            urllib.request.urlopen(request).close()
        except urllib.error.HTTPError as e:
            if e.code != 409:
                raise

    def objects(self, bucket):
        with urllib.request.urlopen(f"{self.url}/storage/v1/b/{bucket}/o") as r:
            return [item["name"] for item in json.load(r).get("items", [])]

    def stop(self):
        stop_process(self.proc, self.log)


class S3Emulator:
    """moto's S3 server on 127.0.0.1 for the dev pools' S3 clouds (beetmoverscript's
    ``clouds.aws``: the maven-staging buckets push-to-maven uploads to), reached through
    ``AWS_ENDPOINT_URL`` (boto3's own switch; beetmoverscript passes no endpoint), with the
    buckets asked for. moto takes any credentials, as the pool's rendered ones are."""

    def __init__(self):
        from taskgraph_staging.interfaces.library.archive import EMBEDDED_CREDENTIALS, s3_client
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        self.client = s3_client(self.endpoint, EMBEDDED_CREDENTIALS)

    def create_bucket(self, name):
        try:
            self.client.create_bucket(Bucket=name)
        except self.client.exceptions.BucketAlreadyOwnedByYou:
            pass

    def stop(self):
        self.server.stop()


class Services:
    """Everything the suite serves, and how the workers' configs and environments reach it."""

    def __init__(self, cache, tmp):
        self.tmp = tmp
        self.cert = self_signed(tmp)
        self.auth0 = Server(Auth0Token, cert=self.cert)
        self.balrog = Balrog(cache, tmp)
        import autograph
        self.balrog_rule_ids = {}
        for product in PRODUCTS:
            self.balrog_rule_ids.update(self.balrog.provision(NAMESPACES, product))
        import standins

        self.bouncer_state, self.shipit_state = standins.BouncerState(), standins.ShipitState()
        self.bouncer = Server(standins.handler(standins.BouncerHandler, self.bouncer_state))
        self.shipit = Server(standins.handler(standins.ShipitHandler, self.shipit_state))
        self.autograph_state = autograph.AutographState(tmp)
        self.autograph = Server(standins.handler(autograph.AutographHandler, self.autograph_state))
        self.google_token = Server(GoogleToken)
        self.gcs = GcsEmulator(cache, tmp, DEP_BUCKET)
        self.s3 = S3Emulator()
        self.redirector = self._redirector()
        self.github_key, self.github = self._github()
        self.lando_state, self.lando, self.treestatus, self.queue = self._lando()
        import hg_try

        # hg.mozilla.org's stand-in (treescript's Mercurial path), served by treescript's own hg;
        # None where the host does not resolve here (outside offline.py): the worker's own error then
        self.hg = None
        try:
            pinned = socket.gethostbyname(HG_HOST) == PINNED_HOSTS[HG_HOST]
        except OSError:
            pinned = False
        if pinned:
            self.hg = hg_try.MercurialTry(os.path.join(cache, "venvs", "treescript", "bin", "hg"), tmp, self.cert, HG_HOST, PINNED_HOSTS[HG_HOST])

    def _redirector(self):
        """go-bouncer's stand-in at https://REDIRECTOR_HOST/; a location's path is under
        the mirror root, which is the archive's ``pub/`` (here the dev bucket's). None when this process may not listen on 443 or the host does
        not resolve here (outside offline.py): bouncerscript then fails with its own
        connection error."""
        import standins

        try:
            if socket.gethostbyname(REDIRECTOR_HOST) != "127.0.0.1":
                return None
            handler = standins.handler(standins.RedirectorHandler, self.bouncer_state, download_root=f"{self.gcs.url}/{DEP_BUCKET}/pub")
            return Server(handler, cert=self.cert, port=443)
        except OSError:
            return None

    def _github(self):
        """GitHub's API stand-in (``github_api.py``) at https://GITHUB_HOST/ over a bare
        clone of this checkout (the reference repository a git Try push holds), and the
        App key the pool's ``GITHUB_PRIVKEY`` carries. The server is None where the
        host does not resolve here or 443 is not allowed (the worker then fails with its
        own connection error)."""
        import subprocess

        import github_api
        import standins
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode()
        lando_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.lando_github_key = lando_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode()
        root = os.path.dirname(os.path.dirname(HERE))
        git_dir = os.path.join(self.tmp, "github", GITHUB_REPOSITORY + ".git")
        subprocess.run(["git", "clone", "--quiet", "--bare", "--depth", "1", f"file://{root}", git_dir], check=True, capture_output=True)
        self.github_state = github_api.GithubState(
            key.public_key(), GITHUB_APP_ID, {GITHUB_REPOSITORY: git_dir}, other_apps={LANDO_GITHUB_APP_ID: lando_key.public_key()}
        )
        try:
            address = PINNED_HOSTS[GITHUB_HOST]
            if socket.gethostbyname(GITHUB_HOST) != address:
                return pem, None
            return pem, Server(standins.handler(github_api.GithubHandler, self.github_state), cert=self.cert, port=443, host=address)
        except OSError:
            return pem, None

    def _lando(self):
        """Lando's staging API, treestatus and Taskcluster's Queue (``lando_api.py``). Lando holds
        the staging repositories, each the GitHub stand-in's repository at its branch (the Try
        push's files, which landoscript reads through GitHub)."""
        import lando_api
        import standins

        git_dir = self.github_state.repositories[GITHUB_REPOSITORY]
        branch = subprocess.run(["git", "-C", git_dir, "symbolic-ref", "--short", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
        repos = {name: (f"https://github.com/{GITHUB_REPOSITORY}", git_dir, branch) for name in lando_api.STAGING_REPOS}
        for name, versions in LANDO_TRAINS.items():
            repos[name] = (repos[name][0], git_dir, lando_api.train_branch(git_dir, branch, name, versions))
        state = lando_api.LandoState(LANDO_TOKEN, repos)
        return (
            state,
            Server(standins.handler(lando_api.LandoHandler, state)),
            Server(standins.handler(lando_api.TreestatusHandler, state)),
            Server(standins.handler(lando_api.QueueHandler, state)),
        )

    def env_for(self, script):
        """:attr:`env`, plus Taskcluster's root for landoscript: it asks the Queue for its task's
        runs before it lands (script.get_status_url_from_earlier_run); other workers keep the
        closed root, so a call they make fails visibly."""
        env = dict(self.env)
        if script == "landoscript":
            env["TASKCLUSTER_ROOT_URL"] = f"http://127.0.0.1:{self.queue.port}"
        if script == "beetmoverscript":
            env["AWS_ENDPOINT_URL"] = self.s3.endpoint
        return env

    @property
    def endpoints(self):
        found = {url: f"{CLOSED}/{url.split('://', 1)[1]}" for url in UNRUN_SERVICES}
        found[BALROG_ADMIN] = self.balrog.admin_url
        found[AUTH0_DOMAIN] = f"127.0.0.1:{self.auth0.port}"
        found[BOUNCER_ADMIN] = f"http://127.0.0.1:{self.bouncer.port}/api"
        found[SHIPIT] = f"http://127.0.0.1:{self.shipit.port}"
        found[LANDO_API] = f"http://127.0.0.1:{self.lando.port}/api"
        found[TREESTATUS] = f"http://127.0.0.1:{self.treestatus.port}"
        found.update({url: f"http://127.0.0.1:{self.autograph.port}" for url in AUTOGRAPH})
        return found

    @property
    def env(self):
        """What a task's environment needs to trust the local HTTPS stand-ins."""
        return {
            "REQUESTS_CA_BUNDLE": self.cert[0],
            "SSL_CERT_FILE": self.cert[0],
            # google-cloud-storage's own switch to an emulator (read from the environment)
            "STORAGE_EMULATOR_HOST": self.gcs.url,
        }

    @property
    def google_token_uri(self):
        return f"http://127.0.0.1:{self.google_token.port}/token"

    def stop(self):
        self.balrog.stop()
        self.gcs.stop()
        self.s3.stop()
        if self.hg:
            self.hg.stop()
        for server in (self.auth0, self.bouncer, self.shipit, self.autograph, self.google_token, self.redirector, self.github, self.lando, self.treestatus, self.queue):
            if server:
                server.stop()
