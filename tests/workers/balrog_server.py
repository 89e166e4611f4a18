"""Serve the real Balrog (``shared/upstream/balrog``) on 127.0.0.1 for the worker suite.

Run with Balrog's own Python 3.13 environment (``setup_workers.py`` builds it)::

    python balrog_server.py admin|public --balrog DIR --db sqlite:///PATH --port N

``admin`` serves ``uwsgi/admin.wsgi`` under ``/api`` (production's nginx strips that
prefix, so does this server) and ``public`` serves ``uwsgi/public.wsgi``. The only
change to Balrog is the one its own tests make: Auth0's token check
(``verified_userinfo``) is replaced by one that accepts the suite's bearer token
and names the machine account ``balrogagent``. This is the test server's set-up,
not the worker's. ``--create`` makes the SQLite database with ``manage-db.py`` and
gives ``balrogagent`` the admin permission and the releng role, as Balrog's
``create-local-admin`` does.
"""

import argparse
import os
import runpy
import sqlite3
import subprocess
import sys

TOKEN = "staging-test-token"
ACCOUNT = "balrogagent"


def create(balrog, dburi):
    subprocess.run([sys.executable, os.path.join(balrog, "scripts", "manage-db.py"), "-d", dburi, "create"], check=True)
    db = sqlite3.connect(dburi[len("sqlite:///"):])
    with db:
        db.execute("insert into permissions (username, permission, data_version) values (?, 'admin', 1)", (ACCOUNT,))
        db.execute("insert into user_roles (username, role, data_version) values (?, 'releng', 1)", (ACCOUNT,))
    db.close()


def verified_userinfo(request, auth_domain, auth_audience):
    from auslib.util.auth import AuthError

    if request.headers.get("Authorization") != f"Bearer {TOKEN}":
        raise AuthError({"code": "invalid_header", "description": "not the staging test token"}, 401)
    return {"email": ACCOUNT}


class StripPrefix:
    def __init__(self, app, prefix):
        self.app, self.prefix = app, prefix

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefix):
            environ["PATH_INFO"] = path[len(self.prefix):] or "/"
        return self.app(environ, start_response)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app", choices=["admin", "public"])
    parser.add_argument("--balrog", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--create", action="store_true")
    args = parser.parse_args()
    os.environ.update(
        DBURI=args.db,
        LOCALDEV="1",
        INSECURE_SESSION_COOKIE="1",
        SECRET_KEY="staging-test",
        AUTH0_DOMAIN="auth.staging.test",
        AUTH0_AUDIENCE="balrog-cloudops-stage",
        RELEASES_HISTORY_BUCKET="releases-history",
        NIGHTLY_HISTORY_BUCKET="nightly-history",
        LOG_FORMAT="plain",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, os.path.join(args.balrog, "src"))
    if args.create:
        create(args.balrog, args.db)
    namespace = runpy.run_path(os.path.join(args.balrog, "uwsgi", f"{args.app}.wsgi"))
    application = namespace["application"]
    if args.app == "admin":
        import auslib.web.admin.base
        import auslib.web.admin.views.base

        auslib.web.admin.base.verified_userinfo = verified_userinfo
        auslib.web.admin.views.base.verified_userinfo = verified_userinfo
        application = StripPrefix(application, "/api")
    from werkzeug.serving import run_simple

    print(f"balrog {args.app} on 127.0.0.1:{args.port}", flush=True)
    run_simple("127.0.0.1", args.port, application, threaded=True)


if __name__ == "__main__":
    main()
