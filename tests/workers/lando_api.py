"""Stand-ins for Lando's headless (automation) API, Lando's treestatus and the one
Taskcluster Queue call landoscript makes, written from landoscript's client code
(``lando.py``, ``treestatus.py``, ``script.py``) and Lando's own API module
(``lando/headless_api/api.py``: its routes, bodies and error texts).

- :func:`train_branch`: the branch of a staging repository whose version files hold its
  train's versions (the release and ESR repositories do not hold a beta).
- Lando, under ``/api``: every request needs ``Authorization: Bearer <token>`` and a
  ``User-Agent`` starting ``Lando-User/`` (401 ``{"details": ...}`` otherwise, Lando's
  words). ``GET /repoinfo/<short name>`` answers ``repo_url``, ``branch_name``,
  ``scm_level`` for the repositories it holds (the staging ones: ``staging-*``), 404
  ``Repo with short name <name> does not exist.`` for any other (a production
  repository is not on the staging Lando). ``POST /repo/<name>`` takes
  ``{"actions": [...]}`` (``create-commit``: ``author``, ``commitmsg``, ``date``,
  ``diff``; ``tag``: ``name``, ``target``), 202 with the job's status
  (``job_id``, ``status_url``, ``status: SUBMITTED``); an unknown repository is 404
  ``Repo <name> does not exist.``, a malformed action 422. ``GET /job/<id>``: the job
  lands when first asked (``LANDED``), or ``FAILED`` with Lando's ``Merge conflict while
  creating commit`` when a ``create-commit`` diff does not apply to the repository's
  branch (checked with ``git apply --cached --check`` on the git repository behind it);
  a tag already there on another commit fails as Lando's git SCM says (the same tag on
  the same commit again is no error). A landed commit does not move the branch: the
  GitHub stand-in serves the Try push's files unchanged, so every version bump reads the
  Try push's version files (on the real staging repository each bump starts from the
  last one's). Every submission is kept (``LandoState.jobs``)
  for tests to assert what landoscript sent.
- treestatus: ``GET /trees/<name>`` is ``{"result": {"status": ..., ...}}`` (open for
  the repositories it holds), 404 otherwise.
- Taskcluster Queue: ``GET /api/queue/v1/task/<taskId>/status`` with one run (run 0,
  ``running``), the task landoscript is running; landoscript asks it before it
  submits, to resume an earlier run's landing.
"""

import datetime
import json
import os
import re
import subprocess
import tempfile
import threading

from standins import _Handler

#: Lando's short names of the staging repositories (the real tree's Try form) and a
#: production one, which the staging Lando does not hold.
STAGING_REPOS = (
    "staging-firefox-beta",
    "staging-firefox-release",
    "staging-firefox-esr115",
    "staging-firefox-esr128",
    "staging-firefox-esr140",
)


def train_branch(git_dir, base, name, versions):
    """A branch ``name`` of ``git_dir`` on top of ``base`` whose version files hold
    ``versions`` (``{path: version}``: the file's last line replaced, comments kept); its name."""

    def git(*args, env=None, data=None):
        return subprocess.run(["git", "-C", git_dir, *args], env=env, input=data, check=True, capture_output=True, text=True).stdout.strip()

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GIT_INDEX_FILE=os.path.join(tmp, "index"), GIT_AUTHOR_NAME="suite", GIT_AUTHOR_EMAIL="suite@example.com",
                   GIT_COMMITTER_NAME="suite", GIT_COMMITTER_EMAIL="suite@example.com")
        git("read-tree", base, env=env)
        for path, version in versions.items():
            lines = git("show", f"{base}:{path}").splitlines()
            lines[-1] = version
            blob = git("hash-object", "-w", "--stdin", data="\n".join(lines) + "\n")
            git("update-index", "--cacheinfo", f"100644,{blob},{path}", env=env)
        tree = git("write-tree", env=env)
        commit = git("commit-tree", tree, "-p", base, "-m", f"{name}: its train's version files", env=env)
    git("update-ref", f"refs/heads/{name}", commit)
    return name


class LandoState:
    """The repositories Lando holds (``{short name: (repo_url, git dir, branch)}``), the
    token it takes and every job it was given."""

    def __init__(self, token, repositories):
        self.token = token
        self.repositories = dict(repositories)
        self.jobs = []  # {"job_id", "repo", "actions", "status", "error"}
        self.tags = {}  # repo -> {name: target}
        self.lock = threading.Lock()

    def landed(self, repo):
        """The actions of every landed job on ``repo``, in order."""
        return [a for job in self.jobs if job["repo"] == repo and job["status"] == "LANDED" for a in job["actions"]]


def _action_problem(action, index):
    kind = action.get("action") if isinstance(action, dict) else None
    required = {"create-commit": ("author", "commitmsg", "date", "diff"), "tag": ("name",)}.get(kind)
    if required is None:
        return f"action #{index}: unknown action {kind!r}"
    missing = [f for f in required if not isinstance(action.get(f), str)]
    if missing:
        return f"action #{index} ({kind}): field required: {', '.join(missing)}"
    if kind == "create-commit":
        try:
            datetime.datetime.fromisoformat(action["date"])
        except ValueError:
            return f"action #{index} (create-commit): date: invalid datetime format"
    return None


def _diff_conflict(git_dir, branch, diff):
    """Why ``diff`` does not apply to ``branch`` of ``git_dir``, or None."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GIT_INDEX_FILE=os.path.join(tmp, "index"))
        subprocess.run(["git", "-C", git_dir, "read-tree", branch], env=env, check=True, capture_output=True)
        patch = os.path.join(tmp, "patch")
        with open(patch, "w") as fh:
            fh.write(diff if diff.endswith("\n") else diff + "\n")
        proc = subprocess.run(["git", "-C", git_dir, "apply", "--cached", "--check", patch], env=env, capture_output=True, text=True)
        return (proc.stderr.strip() or "patch does not apply") if proc.returncode else None


class LandoHandler(_Handler):
    def _json(self, code, obj):
        self._send(code, json.dumps(obj), "application/json")

    def _refused(self):
        agent = self.headers.get("User-Agent")
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return "Authorization header is required."
        if not agent:
            return "`User-Agent` header is required."
        if not agent.startswith("Lando-User/"):
            return "Incorrect `User-Agent` format."
        if auth[len("Bearer "):] != self.state.token:
            return "Token is invalid."
        return None

    def _status(self, job):
        host = self.headers.get("Host")
        return {
            "job_id": job["job_id"],
            "status_url": f"http://{host}/api/job/{job['job_id']}",
            "message": job["message"],
            "created_at": job["created_at"],
            "status": job["status"],
            "error": job["error"],
        }

    def do_GET(self):
        refused = self._refused()
        if refused:
            return self._json(401, {"details": refused})
        if m := re.fullmatch(r"/api/repoinfo/([^/]+)", self.path):
            found = self.state.repositories.get(m.group(1))
            if not found:
                return self._json(404, {"details": f"Repo with short name {m.group(1)} does not exist."})
            return self._json(200, {"repo_url": found[0], "branch_name": found[2], "scm_level": "scm_level_1"})
        if m := re.fullmatch(r"/api/job/(\d+)", self.path):
            with self.state.lock:
                jobs = [j for j in self.state.jobs if j["job_id"] == int(m.group(1))]
                if not jobs:
                    return self._json(404, {"details": f"Automation job {m.group(1)} does not exist."})
                job = jobs[0]
                if job["status"] == "SUBMITTED":
                    self._land(job)
                return self._json(200, self._status(job))
        return self._json(404, {"details": "Not Found"})

    def _land(self, job):
        _, git_dir, branch = self.state.repositories[job["repo"]]
        tags = self.state.tags.setdefault(job["repo"], {})
        for index, action in enumerate(job["actions"]):
            if action["action"] == "create-commit":
                conflict = _diff_conflict(git_dir, branch, action["diff"])
                if conflict:
                    job.update(status="FAILED", error=f"Merge conflict while creating commit in `create-commit`, action #{index}.\n\n{conflict}")
                    return
            elif action["name"] in tags and tags[action["name"]] != action.get("target"):
                # Lando's git SCM: the same tag again on the same commit is no error, on another one it is.
                job.update(
                    status="FAILED",
                    error=f"Aborting, could not perform `tag`, action #{index}\nTag {action['name']} already exists, "
                    f"and points to different target {tags[action['name']]}",
                )
                return
        for action in job["actions"]:
            if action["action"] == "tag":
                tags[action["name"]] = action.get("target")
        job.update(status="LANDED", message="Job landed.")

    def do_POST(self):
        refused = self._refused()
        if refused:
            return self._json(401, {"details": refused})
        m = re.fullmatch(r"/api/repo/([^/]+)", self.path)
        if not m:
            return self._json(404, {"details": "Not Found"})
        repo = m.group(1)
        try:
            body = json.loads(self._body() or b"{}")
        except ValueError:
            return self._json(400, {"details": "Cannot parse request body"})
        actions = body.get("actions") if isinstance(body, dict) else None
        if not isinstance(actions, list) or not actions:
            return self._json(422, {"detail": [{"loc": ["body", "operation", "actions"], "msg": "List should have at least 1 item"}]})
        problems = [p for i, a in enumerate(actions) if (p := _action_problem(a, i))]
        if problems:
            return self._json(422, {"detail": [{"loc": ["body", "operation", "actions"], "msg": p} for p in problems]})
        if repo not in self.state.repositories:
            return self._json(404, {"details": f"Repo {repo} does not exist."})
        with self.state.lock:
            job = {
                "job_id": len(self.state.jobs) + 1,
                "repo": repo,
                "actions": actions,
                "status": "SUBMITTED",
                "error": None,
                "message": "Job is in the SUBMITTED state.",
                "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            }
            self.state.jobs.append(job)
            return self._json(202, self._status(job))


class TreestatusHandler(_Handler):
    def do_GET(self):
        m = re.fullmatch(r"/trees/([^/]+)", self.path)
        if not m or m.group(1) not in self.state.repositories:
            body = {"detail": "No tree named %s found." % (m.group(1) if m else self.path), "status": 404, "title": "Not Found", "type": "about:blank"}
            return self._send(404, json.dumps(body), "application/problem+json")
        tree = {"tree": m.group(1), "status": "open", "reason": "", "message_of_the_day": "", "tags": [], "log_id": None, "model": {}}
        return self._send(200, json.dumps({"result": tree}), "application/json")


class QueueHandler(_Handler):
    def do_GET(self):
        m = re.fullmatch(r"/api/queue/v1/task/([^/]+)/status", self.path)
        if not m:
            body = {"code": "ResourceNotFound", "message": f"No such resource: {self.path}", "requestInfo": {}}
            return self._send(404, json.dumps(body), "application/json")
        runs = [{"runId": 0, "state": "running", "reasonCreated": "scheduled"}]
        status = {"taskId": m.group(1), "state": "running", "runs": runs}
        return self._send(200, json.dumps({"status": status}), "application/json")
