"""hg.mozilla.org's stand-in: real Mercurial repositories served by ``hg serve`` on 127.0.0.1.

treescript's Mercurial path (a host whose release repository is Mercurial: the comm
host's ``comm_head_repository``) clones its task's ``source_repo`` with robustcheckout,
seeding the share from the pool's ``upstream_repo`` (``docker.d/init_worker.sh``:
``https://hg.mozilla.org/comm-unified`` for thunderbird, ``mozilla-unified`` for
firefox), pulls the tagged revision from ``source_repo``, and compares what it made with
``source_repo`` (``hg out``). So the suite serves, with the treescript environment's own
``hg`` (hgweb):

- ``/<upstream>``: the pool's upstream repository, one root changeset;
- ``/<try repository>`` (``try-comm-central``): as right after one release's Try push, a
  clone of the upstream with one changeset on top holding the version files the
  release's tasks bump, at the release's current version (:func:`version_files`). The
  push's node stands for the parameter set's made-up revision
  (``Suite.mercurial_push``); tasks on it run one at a time, each after its own push.

It listens as ``https://hg.mozilla.org`` (``HOST``, pinned by offline.py to a loopback
address, the session's certificate, trusted through ``SSL_CERT_FILE``), so the task's
``source_repo`` and the pool's ``upstream_repo`` are used as they are.

hgweb refuses pushes unless allowed (it is not: a dry run pushes nothing, and a push
would fail visibly with Mercurial's own error).
"""

import os
import re
import shutil
import ssl
import subprocess
import threading
import time
import urllib.request

#: Mercurial's host: the pools' ``upstream_repo`` and the Try repositories are on it, and
#: treescript refuses a ``source_repo`` elsewhere ("Unable to operate on sources not in
#: hg.mozilla.org or github.com"), so offline.py resolves it to a loopback address.
HOST = "hg.mozilla.org"
#: Repositories of the pools' ``upstream_repo`` (treescript docker.d/init_worker.sh).
UPSTREAMS = ("comm-unified", "mozilla-unified")
#: Author and date of the changesets the suite makes (fixed: the same files give the same node).
USER = "Staging Suite <staging-suite@example.com>"
DATE = "1764547200 0"


def version_files(files, version):
    """``{path: contents}`` of the version files ``files`` of a tree at ``version``: the
    display files hold the version as shipped (``140.0b3``, ``140.5.0esr``), the others the
    milestone without the beta or ESR suffix, as Gecko's and comm's trees keep them."""
    milestone = re.sub(r"(b\d+|esr)$", "", version)
    return {path: (version if path.endswith("version_display.txt") else milestone) + "\n" for path in files}


class MercurialTry:
    """``hg serve`` over ``<tmp>/hg``: the upstream repositories and each release's Try push."""

    def __init__(self, hg, tmp, cert, host=HOST, address="127.0.0.1", port=443):
        self.hg, self.root, self.host, self.port = hg, os.path.join(tmp, "hg"), host, port
        #: Held around a task on the Try repository: each push replaces the one before.
        self.lock = threading.RLock()
        self.pushes = {}
        os.makedirs(self.root, exist_ok=True)
        self.env = dict(os.environ, HGPLAIN="1", HGRCPATH=os.devnull, HGUSER=USER)
        for name in UPSTREAMS:
            repo = os.path.join(self.root, name)
            self._hg("init", repo)
            with open(os.path.join(repo, ".hgignore"), "w") as fh:
                fh.write("syntax: glob\n*.orig\n")
            self._hg("-R", repo, "commit", "-A", "-d", DATE, "-m", f"root of {name}")
        conf = os.path.join(os.path.dirname(self.root), "hgweb.conf")
        with open(conf, "w") as fh:
            # every repository under the root, found again at each request (pushes come during the run)
            fh.write(f"[paths]\n/ = {self.root}/**\n[web]\nrefreshinterval = 0\n")
        pem = os.path.join(os.path.dirname(self.root), "hg-serve.pem")  # hg serve takes key and certificate in one file
        with open(pem, "w") as out:
            for path in (cert[1], cert[0]):
                with open(path) as fh:
                    out.write(fh.read())
        self.log = open(os.path.join(os.path.dirname(self.root), "hg-serve.log"), "w")
        self.proc = subprocess.Popen(
            [hg, "serve", "--web-conf", conf, "-a", address, "-p", str(port), "--certificate", pem], env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        context = ssl.create_default_context(cafile=cert[0])
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/{UPSTREAMS[0]}?cmd=capabilities", timeout=2, context=context):
                    break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(f"hg serve did not start on {address}:{port} (see {self.log.name})")
                time.sleep(0.3)

    @property
    def url(self):
        return f"https://{self.host}" + ("" if self.port == 443 else f":{self.port}")

    def _hg(self, *args):
        return subprocess.run([self.hg, *args], env=self.env, check=True, capture_output=True, text=True).stdout

    def push(self, release, upstream, repository, files):
        """``repository`` (a path like ``try-comm-central``) as it is right after the Try
        push of ``release``: a clone of ``upstream`` with ``files`` (``{path: contents}``)
        committed on top, the tip of ``default`` (robustcheckout checks out
        ``--branch default``). Made anew each time (the same files, author and date give
        the same node); hold :attr:`lock` until the task that reads it is done. The node."""
        with self.lock:
            repo = os.path.join(self.root, repository)
            if os.path.exists(repo):
                shutil.rmtree(repo)
            os.makedirs(os.path.dirname(repo), exist_ok=True)
            self._hg("clone", "-q", os.path.join(self.root, upstream), repo)
            for path, contents in sorted(files.items()):
                os.makedirs(os.path.dirname(os.path.join(repo, path)), exist_ok=True)
                with open(os.path.join(repo, path), "w") as fh:
                    fh.write(contents)
            self._hg("-R", repo, "commit", "-A", "-d", DATE, "-m", f"Try push of {release}")
            return self._hg("-R", repo, "log", "-r", "tip", "-T", "{node}").strip()

    def stop(self):
        from services import stop_process

        stop_process(self.proc, self.log)
