"""A stand-in for GitHub's API (``api.github.com``) over a real local git repository:
the Try push of a git head, as treescript's and landoscript's GitHub code paths read it.

Written from the workers' own client code: ``scriptworker_client.github_client``
(``GithubClient``) on ``simple_github``'s ``AppClient``, whose endpoints are fixed
(``https://api.github.com``, ``/graphql``), so ``offline.py`` resolves that host to
127.0.0.1 and the stand-in listens there on 443 with the session's certificate.

- ``GET /app/installations`` and ``POST /app/installations/<id>/access_tokens``: a
  GitHub App's JWT (RS256, ``iss`` the app id, unexpired) signed with the key the test
  made for the pool's ``GITHUB_PRIVKEY``; a bad or missing one is GitHub's 401
  ("A JSON web token could not be decoded"), an unknown installation its 404.
- ``POST /graphql`` with an installation token (401 "Bad credentials" otherwise):
  ``repository(owner:, name:)`` with aliased ``object(expression: "<rev>:<path>")``
  fields (``get_files``' query) and ``object(expression: "<rev>") { oid }``, answered
  from the git repository with ``git``; a repository it does not hold is GitHub's
  ``NOT_FOUND`` error, a missing file ``null``. Mutations (``createCommitOnBranch``,
  ``createRef``: a push) are refused with a GraphQL error naming what this stand-in
  does not do, so a task that would push fails visibly.
"""

import base64
import json
import re
import secrets
import subprocess
import threading
import time

from standins import _Handler

HOST = "api.github.com"
DOCS = "https://docs.github.com/rest"


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class GithubState:
    """The repositories served (``{"owner/name": git dir}``), the Apps and their tokens
    (``other_apps``: ``{app id: public key}`` of further Apps installed on the same owners,
    as landoscript's pool has an App of its own)."""

    def __init__(self, public_key, app_id, repositories, other_apps=None):
        self.public_key, self.app_id = public_key, str(app_id)
        self.apps = {str(k): v for k, v in (other_apps or {}).items()}
        self.apps[self.app_id] = public_key
        self.repositories = dict(repositories)
        self.owners = sorted({name.split("/")[0] for name in self.repositories})
        self.tokens = {}  # token -> repositories it may read
        self.queries = []  # every GraphQL query asked, for tests
        self.lock = threading.Lock()

    def installation_id(self, owner):
        return 1000 + self.owners.index(owner)

    def verify_jwt(self, token):
        """None when ``token`` is the App's JWT, else GitHub's message."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        try:
            header, payload, signature = token.split(".")
            claims = json.loads(b64url_decode(payload))
            if json.loads(b64url_decode(header)).get("alg") != "RS256":
                return "A JSON web token could not be decoded"
            key = self.apps.get(str(claims.get("iss")), self.public_key)
            key.verify(b64url_decode(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, InvalidSignature):
            return "A JSON web token could not be decoded"
        if str(claims.get("iss")) not in self.apps:
            return "Integration not found"
        if int(claims.get("exp", 0)) < time.time():
            return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
        return None

    def git(self, repository, *args):
        proc = subprocess.run(["git", "--git-dir", self.repositories[repository], *args], capture_output=True)
        return proc.stdout if proc.returncode == 0 else None


class GithubHandler(_Handler):
    def _json(self, code, obj):
        self._send(code, json.dumps(obj), "application/json; charset=utf-8")

    def _bearer(self):
        auth = self.headers.get("Authorization", "")
        return auth.split(" ", 1)[1] if auth.lower().startswith(("bearer ", "token ")) else ""

    def _app(self):
        problem = self.state.verify_jwt(self._bearer())
        if problem:
            self._json(401, {"message": problem, "documentation_url": DOCS})
        return problem is None

    def do_GET(self):
        if self.path.split("?")[0] != "/app/installations":
            return self._json(404, {"message": "Not Found", "documentation_url": DOCS})
        if self._app():
            self._json(200, [{"id": self.state.installation_id(o), "account": {"login": o, "type": "Organization"}, "app_id": int(self.state.app_id)} for o in self.state.owners])

    def do_POST(self):
        body = self._body()
        match = re.fullmatch(r"/app/installations/(\d+)/access_tokens", self.path)
        if match:
            if not self._app():
                return
            ids = {self.state.installation_id(o): o for o in self.state.owners}
            owner = ids.get(int(match.group(1)))
            if owner is None:
                return self._json(404, {"message": "Not Found", "documentation_url": DOCS})
            wanted = (json.loads(body or b"{}").get("repositories")) or [n.split("/")[1] for n in self.state.repositories if n.startswith(owner + "/")]
            unknown = [r for r in wanted if f"{owner}/{r}" not in self.state.repositories]
            if unknown:
                return self._json(422, {"message": "There is at least one repository that does not exist or is not accessible to the parent installation.", "documentation_url": DOCS})
            token = "ghs_" + secrets.token_hex(18)
            with self.state.lock:
                self.state.tokens[token] = {f"{owner}/{r}" for r in wanted}
            return self._json(201, {"token": token, "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600)), "permissions": {"contents": "write"}, "repository_selection": "selected"})
        if self.path != "/graphql":
            return self._json(404, {"message": "Not Found", "documentation_url": DOCS})
        allowed = self.state.tokens.get(self._bearer())
        if allowed is None:
            return self._json(401, {"message": "Bad credentials", "documentation_url": DOCS})
        try:
            query = json.loads(body)["query"]
        except (ValueError, KeyError, TypeError):
            return self._json(400, {"message": "Problems parsing JSON", "documentation_url": DOCS})
        with self.state.lock:
            self.state.queries.append(query)
        self._json(200, self.answer(query, allowed))

    def answer(self, query, allowed):
        if re.match(r"\s*mutation\b", query):
            return {"errors": [{"message": "this GitHub stand-in does not take mutations (nothing is pushed from the worker suite)"}]}
        repo = re.search(r'repository\(\s*owner:\s*"([^"]+)",\s*name:\s*"([^"]+)"\s*\)', query)
        if not repo:
            return {"errors": [{"message": "this GitHub stand-in answers repository(owner:, name:) queries only"}]}
        name = f"{repo.group(1)}/{repo.group(2)}"
        if name not in self.state.repositories or name not in allowed:
            return {"data": {"repository": None}, "errors": [{"type": "NOT_FOUND", "path": ["repository"], "locations": [{"line": 2, "column": 3}], "message": f"Could not resolve to a Repository with the name '{name}'."}]}
        found = {}
        for alias, expression, selection in re.findall(r'(\w+)\s*:\s*object\(\s*expression:\s*"([^"]*)"\s*\)\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}', query):
            found[alias] = self._object(name, expression, selection)
        bare = re.search(r'(?<![\w:])\s(object)\(\s*expression:\s*"([^"]*)"\s*\)\s*\{([^{}]*)\}', query)
        if bare and "object" not in found:
            found["object"] = self._object(name, bare.group(2), bare.group(3))
        if re.search(r"^\s*id\s*$", query, re.M):
            found["id"] = "R_" + base64.b64encode(name.encode()).decode()
        return {"data": {"repository": found}}

    def _object(self, name, expression, selection):
        rev, _, path = expression.partition(":")
        rev = rev or "HEAD"
        if not path:
            oid = self.state.git(name, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
            return {"oid": oid.decode().strip()} if oid else None
        if "text" not in selection:
            return {}
        data = self.state.git(name, "cat-file", "blob", f"{rev}:{path}")
        return None if data is None else {"text": data.decode(errors="replace")}
