"""The Lando, treestatus and Queue stand-ins answer as the real services do (Lando's
headless API module, landoscript's client code), errors included."""

import json
import subprocess
import urllib.error
import urllib.request

import pytest

import lando_api
import services
import standins

pytestmark = pytest.mark.workers
TOKEN = "t0ken"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "User-Agent": "Lando-User/release+landoscript@mozilla.com"}
TARGET = "1" * 40


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    work = tmp_path_factory.mktemp("repo")
    (work / "browser" / "config").mkdir(parents=True)
    (work / "browser" / "config" / "version_display.txt").write_text("121.0b3\n")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", "-C", str(work), *args], check=True)
    bare = tmp_path_factory.mktemp("bare") / "repo.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    return str(bare)


@pytest.fixture(scope="module")
def lando(repo):
    state = lando_api.LandoState(TOKEN, {"staging-firefox-beta": ("https://github.com/o/r", repo, "main")})
    servers = [services.Server(standins.handler(h, state)) for h in (lando_api.LandoHandler, lando_api.TreestatusHandler, lando_api.QueueHandler)]
    yield state, *servers
    for server in servers:
        server.stop()


def call(server, path, body=None, headers=HEADERS):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", data=data, headers=dict(headers, **({"Content-Type": "application/json"} if data else {})))
    try:
        with urllib.request.urlopen(request) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def commit(diff):
    return {"action": "create-commit", "author": "A <a@a>", "commitmsg": "bump", "date": "2026-12-02T00:00:00+00:00", "diff": diff}


BUMP = (
    "diff --git a/browser/config/version_display.txt b/browser/config/version_display.txt\n"
    "--- a/browser/config/version_display.txt\n+++ b/browser/config/version_display.txt\n"
    "@@ -1 +1 @@\n-121.0b3\n+121.0b4\n"
)


def test_repoinfo_names_the_github_repository_and_branch(lando):
    _, server, _, _ = lando
    assert call(server, "/api/repoinfo/staging-firefox-beta") == (200, {"repo_url": "https://github.com/o/r", "branch_name": "main", "scm_level": "scm_level_1"})


def test_a_production_repository_is_unknown_to_the_staging_lando(lando):
    _, server, _, _ = lando
    assert call(server, "/api/repoinfo/firefox-beta") == (404, {"details": "Repo with short name firefox-beta does not exist."})
    assert call(server, "/api/repo/firefox-beta", {"actions": [{"action": "tag", "name": "X", "target": TARGET}]}) == (404, {"details": "Repo firefox-beta does not exist."})


@pytest.mark.parametrize("headers, details", [
    pytest.param({"User-Agent": "Lando-User/x"}, "Authorization header is required.", id="no-token"),
    pytest.param({"Authorization": f"Bearer {TOKEN}", "User-Agent": ""}, "`User-Agent` header is required.", id="no-user-agent"),
    pytest.param({"Authorization": f"Bearer {TOKEN}", "User-Agent": "curl"}, "Incorrect `User-Agent` format.", id="bad-user-agent"),
    pytest.param({"Authorization": "Bearer nope", "User-Agent": "Lando-User/x"}, "Token is invalid.", id="bad-token"),
])
def test_requests_without_lando_authentication_are_401(lando, headers, details):
    _, server, _, _ = lando
    assert call(server, "/api/repoinfo/staging-firefox-beta", headers=headers) == (401, {"details": details})


def test_a_bump_that_applies_lands_and_is_kept(lando):
    state, server, _, _ = lando
    code, job = call(server, "/api/repo/staging-firefox-beta", {"actions": [commit(BUMP), {"action": "tag", "name": "T_STAGING_ALICE", "target": TARGET}]})
    assert code == 202 and job["status"] == "SUBMITTED"
    path = job["status_url"].split(str(server.port), 1)[1]
    code, status = call(server, path)
    assert (code, status["status"], status["error"]) == (200, "LANDED", None)
    assert [a["action"] for a in state.landed("staging-firefox-beta")][-2:] == ["create-commit", "tag"]


def test_a_diff_that_does_not_apply_fails_as_a_merge_conflict(lando):
    _, server, _, _ = lando
    _, job = call(server, "/api/repo/staging-firefox-beta", {"actions": [commit(BUMP.replace("-121.0b3", "-120.0b9"))]})
    _, status = call(server, job["status_url"].split(str(server.port), 1)[1])
    assert status["status"] == "FAILED"
    assert status["error"].startswith("Merge conflict while creating commit")  # landoscript's MergeConflictError


def test_a_tag_on_another_commit_fails_the_same_one_again_lands(lando):
    _, server, _, _ = lando
    results = []
    for target in (TARGET, TARGET, "2" * 40):
        _, job = call(server, "/api/repo/staging-firefox-beta", {"actions": [{"action": "tag", "name": "AGAIN", "target": target}]})
        results.append(call(server, job["status_url"].split(str(server.port), 1)[1])[1]["status"])
    assert results == ["LANDED", "LANDED", "FAILED"]


def test_malformed_actions_are_422_and_unknown_jobs_404(lando):
    _, server, _, _ = lando
    code, body = call(server, "/api/repo/staging-firefox-beta", {"actions": [{"action": "create-commit", "diff": BUMP}]})
    assert code == 422 and "author, commitmsg, date" in body["detail"][0]["msg"]
    assert call(server, "/api/repo/staging-firefox-beta", {"actions": []})[0] == 422
    assert call(server, "/api/job/999") == (404, {"details": "Automation job 999 does not exist."})


def test_treestatus_and_queue(lando):
    _, _, treestatus, queue = lando
    code, body = call(treestatus, "/trees/staging-firefox-beta", headers={})
    assert (code, body["result"]["status"]) == (200, "open")
    assert call(treestatus, "/trees/firefox-beta", headers={})[0] == 404
    code, body = call(queue, "/api/queue/v1/task/abc/status", headers={})
    assert (code, body["status"]["runs"]) == (200, [{"runId": 0, "state": "running", "reasonCreated": "scheduled"}])
    assert call(queue, "/api/queue/v1/task/abc/artifacts", headers={})[0] == 404


def test_a_train_branch_holds_its_versions_and_keeps_the_comments(repo):
    name = lando_api.train_branch(repo, "main", "staging-firefox-esr115", {"browser/config/version_display.txt": "115.5.0esr"})
    shown = subprocess.run(["git", "-C", repo, "show", f"{name}:browser/config/version_display.txt"], check=True, capture_output=True, text=True).stdout
    assert shown == "115.5.0esr\n"
    assert subprocess.run(["git", "-C", repo, "show", "main:browser/config/version_display.txt"], check=True, capture_output=True, text=True).stdout == "121.0b3\n"
