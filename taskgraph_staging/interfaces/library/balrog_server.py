"""A real Balrog for a slot, on 127.0.0.1 (``library serve-balrog``).

Runs Balrog from a source tree the user names (``shared/upstream/balrog`` in the
tests), in Balrog's own environment (:mod:`.upstream_env`), on SQLite: the admin API
under ``/api`` and the public update API, each a process of :mod:`.balrog_process`.
The slot's archive and Bouncer hosts are added to Balrog's domain allowlist. The
admin API accepts the instance's token (``BALROG_ADMIN_TOKEN`` for
``provision-balrog`` and the library's clients) as the machine account balrogagent.
The database lives in ``state_dir`` and outlives the process: started again on the
same directory, the instance is the one it was, until the slot is retired.
"""

import os
import secrets
import subprocess
import threading
import time

from .errors import LibraryError
from .upstream_env import balrog_python

PROCESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "balrog_process.py")
START_TIMEOUT = 120


class BalrogServer:
    def __init__(self, balrog_source, state_dir, admin_port=0, public_port=0, allow_domains=(), token=None, python=None, start_timeout=START_TIMEOUT):
        source = os.path.abspath(balrog_source)
        if not os.path.isfile(os.path.join(source, "uwsgi", "admin.wsgi")):
            raise LibraryError(f"{source} is not a Balrog source tree (no uwsgi/admin.wsgi)", where="--balrog")
        self.source = source
        self.state_dir = os.path.abspath(state_dir)
        self.ports = {"admin": admin_port, "public": public_port}
        self.allow_domains = tuple(dict.fromkeys(d for d in allow_domains if d))
        self.token = token or secrets.token_urlsafe(24)
        self.python = python
        #: Seconds each app may take to start (creating the database runs every migration).
        self.start_timeout = start_timeout
        self.processes = {}
        self.urls = {}

    @property
    def db(self):
        return f"sqlite:///{os.path.join(self.state_dir, 'balrog.db')}"

    @property
    def admin_url(self):
        return f"{self.urls['admin']}/api"

    @property
    def public_url(self):
        return self.urls["public"]

    def start(self):
        python = self.python or balrog_python(self.source)
        os.makedirs(self.state_dir, exist_ok=True)
        create = not os.path.exists(os.path.join(self.state_dir, "balrog.db"))
        try:
            for app in ("admin", "public"):
                self._start(python, app, create and app == "admin")
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self, python, app, create):
        cmd = [python, PROCESS, app, "--balrog", self.source, "--db", self.db, "--port", str(self.ports[app]), "--token", self.token]
        cmd += [arg for domain in self.allow_domains for arg in ("--allow-domain", domain)]
        if create:
            cmd.append("--create")
        log = open(os.path.join(self.state_dir, f"{app}.log"), "w")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, cwd=self.state_dir)
        self.processes[app] = proc
        found = {}

        def read():
            for line in proc.stdout:
                if line.startswith(f"balrog {app} on "):
                    found["url"] = line.split(" on ", 1)[1].strip()
                    break

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if "url" not in found:
            proc.kill()
            with open(log.name) as fh:
                tail = " ".join(fh.read().split()[-30:])
            raise LibraryError(f"Balrog's {app} app did not start ({tail or 'no output'}); see {log.name}", where="serve-balrog")
        self.urls[app] = found["url"]

    def stop(self):
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 10
        for proc in self.processes.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        self.processes = {}

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def slot_domains(services):
    """The hosts a slot's blobs point at: its archive and its Bouncer redirector."""
    from urllib.parse import urlsplit

    return [services.archive_domain, urlsplit(services.bouncer_redirector).hostname]
