"""One app of a real Balrog, served on 127.0.0.1: run by Balrog's own Python 3.13.

``library serve-balrog`` starts this file twice (``admin``, then ``public``) with the
interpreter of Balrog's environment; it imports nothing of taskgraph-staging::

    python balrog_process.py admin|public --balrog DIR --db sqlite:///PATH --port N
        --token TOKEN [--allow-domain HOST ...] [--create]

It serves Balrog's ``uwsgi/<app>.wsgi`` unchanged but for what a local instance needs,
each done the way Balrog's own tests or local set-up do it:

* Auth0's token check (``verified_userinfo``) is replaced, in this process only, by
  one accepting ``--token`` as the machine account ``balrogagent``;
* the admin app is served under ``/api`` (production's nginx strips that prefix);
* ``--allow-domain`` hosts (the slot's archive and Bouncer) join the domain allowlist
  for every product the allowlist names, so blobs pointing at them are accepted and
  served;
* ``--create`` makes the SQLite database with ``scripts/manage-db.py`` and gives
  ``balrogagent`` the admin permission and the releng role (as ``create-local-admin``).
"""

import argparse
import os
import runpy
import sqlite3
import subprocess
import sys

ACCOUNT = "balrogagent"


def create(balrog, dburi):
    subprocess.run([sys.executable, os.path.join(balrog, "scripts", "manage-db.py"), "-d", dburi, "create"], check=True)
    db = sqlite3.connect(dburi[len("sqlite:///"):])
    with db:
        db.execute("insert into permissions (username, permission, data_version) values (?, 'admin', 1)", (ACCOUNT,))
        db.execute("insert into user_roles (username, role, data_version) values (?, 'releng', 1)", (ACCOUNT,))
    db.close()


def token_check(token):
    def verified_userinfo(request, auth_domain, auth_audience):
        from auslib.util.auth import AuthError

        if request.headers.get("Authorization") != f"Bearer {token}":
            raise AuthError({"code": "invalid_header", "description": "not this instance's token"}, 401)
        return {"email": ACCOUNT}

    return verified_userinfo


class StripPrefix:
    def __init__(self, app, prefix):
        self.app, self.prefix = app, prefix

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefix):
            environ["PATH_INFO"] = path[len(self.prefix):] or "/"
        return self.app(environ, start_response)


def allow(allowlist, domains):
    products = sorted({p for value in allowlist.values() if isinstance(value, tuple) for p in value})
    for domain in domains:
        allowlist[domain] = tuple(products)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app", choices=["admin", "public"])
    parser.add_argument("--balrog", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--allow-domain", action="append", default=[])
    parser.add_argument("--create", action="store_true")
    args = parser.parse_args()
    os.environ.update(
        DBURI=args.db,
        LOCALDEV="1",
        INSECURE_SESSION_COOKIE="1",
        SECRET_KEY=args.token,
        AUTH0_DOMAIN="auth.balrog.localhost",
        AUTH0_AUDIENCE="balrog-localhost",
        RELEASES_HISTORY_BUCKET="releases-history",
        NIGHTLY_HISTORY_BUCKET="nightly-history",
        LOG_FORMAT="plain",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, os.path.join(args.balrog, "src"))
    if args.create:
        create(args.balrog, args.db)
    namespace = runpy.run_path(os.path.join(args.balrog, "uwsgi", f"{args.app}.wsgi"))
    allow(namespace["DOMAIN_ALLOWLIST"], args.allow_domain)
    application = namespace["application"]
    if args.app == "admin":
        import auslib.web.admin.base
        import auslib.web.admin.views.base

        check = token_check(args.token)
        auslib.web.admin.base.verified_userinfo = check
        auslib.web.admin.views.base.verified_userinfo = check
        application = StripPrefix(application, "/api")
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", args.port, application, threaded=True)
    print(f"balrog {args.app} on http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
