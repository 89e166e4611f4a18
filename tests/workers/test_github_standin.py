"""The GitHub API stand-in answers as api.github.com does for treescript's client
(simple_github's App flow, then GraphQL), errors included; and the suite does not
count a run that exits 0 without the artifacts the task's staging explanation names."""

import base64
import json
import subprocess
import time
import urllib.error
import urllib.request

import pytest

import github_api
import harness
import services
import standins

pytestmark = pytest.mark.workers
APP_ID = 909547
REPO = "mozilla-releng/staging-reference"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def app_jwt(key, iss=APP_ID, exp=None):
    """A GitHub App JWT as simple_github's AppAuth makes it (RS256, iss the app id)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    now = int(time.time())
    head = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps({"iat": now, "exp": exp or now + 540, "iss": str(iss)}).encode())
    return f"{head}.{body}." + b64url(key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256()))


@pytest.fixture(scope="module")
def github(tmp_path_factory):
    from cryptography.hazmat.primitives.asymmetric import rsa

    tmp = tmp_path_factory.mktemp("github")
    work = tmp / "work"
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    (work / "browser" / "config").mkdir(parents=True)
    (work / "browser" / "config" / "version.txt").write_text("121.0\n")
    subprocess.run(["git", "-C", str(work), "add", "."], check=True)
    subprocess.run(["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "tree"], check=True)
    git_dir = str(tmp / "repo.git")
    subprocess.run(["git", "clone", "-q", "--bare", str(work), git_dir], check=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    state = github_api.GithubState(key.public_key(), APP_ID, {REPO: git_dir})
    server = services.Server(standins.handler(github_api.GithubHandler, state))
    yield key, server
    server.stop()


def call(server, method, path, token=None, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def installation_token(key, server):
    _, installations = call(server, "GET", "/app/installations", app_jwt(key))
    (found,) = [i for i in installations if i["account"]["login"] == "mozilla-releng"]
    code, answer = call(server, "POST", f"/app/installations/{found['id']}/access_tokens", app_jwt(key), {"repositories": ["staging-reference"]})
    assert code == 201
    return answer["token"]


def test_the_app_flow_needs_the_apps_own_jwt(github):
    from cryptography.hazmat.primitives.asymmetric import rsa

    key, server = github
    assert call(server, "GET", "/app/installations") == (401, {"message": "A JSON web token could not be decoded", "documentation_url": github_api.DOCS})
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert call(server, "GET", "/app/installations", app_jwt(other))[0] == 401
    assert call(server, "GET", "/app/installations", app_jwt(key, iss=1))[1]["message"] == "Integration not found"
    assert call(server, "GET", "/app/installations", app_jwt(key, exp=int(time.time()) - 5))[0] == 401
    assert call(server, "POST", "/app/installations/9/access_tokens", app_jwt(key), {})[0] == 404
    assert installation_token(key, server).startswith("ghs_")


def test_graphql_reads_files_of_the_git_repository_as_get_files_asks(github):
    key, server = github
    token = installation_token(key, server)
    query = 'query getFileContents {\n  repository(owner: "mozilla-releng", name: "staging-reference") {\n' \
        ' a1: object(expression: "HEAD:browser/config/version.txt") {\n  ... on Blob {\n    text\n  }\n}\n,' \
        ' a2: object(expression: "HEAD:product/browser/config/version.txt") {\n  ... on Blob {\n    text\n  }\n}\n  }\n}'
    assert call(server, "POST", "/graphql", "ghs_wrong", {"query": query}) == (401, {"message": "Bad credentials", "documentation_url": github_api.DOCS})
    code, answer = call(server, "POST", "/graphql", token, {"query": query})
    assert code == 200 and answer == {"data": {"repository": {"a1": {"text": "121.0\n"}, "a2": None}}}
    other = query.replace('name: "staging-reference"', 'name: "firefox"')
    assert call(server, "POST", "/graphql", token, {"query": other})[1]["errors"][0]["type"] == "NOT_FOUND"
    assert "does not take mutations" in call(server, "POST", "/graphql", token, {"query": "mutation { createCommitOnBranch }"})[1]["errors"][0]["message"]


def test_exit_0_without_the_promised_outgoing_diff_is_not_completed(tmp_path):
    """treescript's GitHub path has no tag action: it exits 0 having done nothing. The
    task's explanation names public/logs/outgoing.diff; without it, not completed."""
    script = tmp_path / "bin" / "treescript"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\necho 'Action requests: {tag}'\nexit 0\n")
    script.chmod(0o755)
    app = harness.WorkerApp("treescript", str(tmp_path), {"work_dir": str(tmp_path / "work"), "artifact_dir": str(tmp_path / "artifacts")}, "worker.json", "")
    app.__class__ = type("App", (harness.WorkerApp,), {"task_script": str(script)})
    definition = {"payload": {}, "extra": {"staging": {"outgoing": {"artifact": "public/logs/outgoing.diff"}}}}
    outcome = harness.run_task(app, "T", definition, lambda cot: None)
    assert outcome.exit_code == 0 and outcome.accepted and not outcome.completed
    assert outcome.message.startswith("exit 0 without the artifacts the task's staging explanation promises: public/logs/outgoing.diff")
    writes = tmp_path / "bin" / "treescript"
    writes.write_text("#!/bin/sh\nmkdir -p \"$ARTIFACTS\" && echo diff > \"$ARTIFACTS/public/logs/outgoing.diff\"\n")
    outcome = harness.run_task(app, "T", definition, lambda cot: None, extra_env={"ARTIFACTS": str(tmp_path / "artifacts")})
    assert outcome.completed, outcome.log
