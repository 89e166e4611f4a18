"""A thin layer over git and Mercurial: read a checkout, push one commit to Try.

``push(files, message, remote, ref)`` makes one commit on top of the checkout's
current revision holding ``files`` ({path: text}) and pushes it to the Try remote.
Afterwards the checkout (branch, HEAD, working files, index or dirstate, untracked
files, phases) is exactly as it was, whether the push worked or not:

* git builds the commit with plumbing on a temporary index and pushes it by URL,
  so neither the working tree, the index nor any ref (remote-tracking refs included)
  is ever touched. The push updates the one Try ref and nothing else, and replaces
  it only if it still holds what ``git ls-remote`` showed just before;
* Mercurial builds and pushes the commit from a temporary local clone (hardlinked
  where the temporary directory is on the checkout's filesystem), so the checkout's
  working copy, dirstate, bookmarks, phases and store are never written.

An interruption (SIGINT, SIGTERM) stops the VCS child it finds running, then, once a
push may have started, asks the remote whether the commit landed and says so in
:class:`PushInterrupted`'s one line. Every step calls :func:`..steps.step`.
"""

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass

from taskgraph_staging.model.errors import StagingError
from ..steps import step


class VcsError(StagingError):
    """The checkout cannot be used as asked (not a repository, no commit, bad remote...)."""


class PushRefused(StagingError):
    """The Try remote did not accept the push; the checkout is unchanged."""


class PushInterrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM during a push; ``line`` says whether the push landed."""

    def __init__(self, line, signum=signal.SIGINT):
        super().__init__(line)
        self.line = line
        self.signum = signum


@dataclass(frozen=True)
class Pushed:
    """What a push did: the commit, and for each URL the ref and what it replaced."""

    commit: str
    #: [(url, ref or None for Mercurial, replaced commit or None)]
    targets: tuple


#: Seconds an interrupted VCS child gets to stop after SIGTERM before SIGKILL.
STOP_GRACE = 10
#: Seconds the remote is given to say whether an interrupted push landed.
CHECK_TIMEOUT = 60


def _communicate(args, cwd, input, env, timeout=None):
    """Run a child to the end; on any exception (an interruption) stop it first."""
    child = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        stdout, stderr = child.communicate(input, timeout=timeout)
    except BaseException:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        raise
    return subprocess.CompletedProcess(args, child.returncode, stdout, stderr)


def _failure(stderr, default):
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    keep = [line for line in lines if re.search(r"error|abort|reject|denied|fatal|fail", line, re.I)]
    text = " | ".join((keep or lines)[-3:]) or default
    return text[:400]


def _looks_like_url(remote):
    return "://" in remote or bool(re.match(r"^[\w.-]+@[\w.-]+:", remote)) or os.path.exists(remote)


class _Repository:
    tool = None
    command = None

    def __init__(self, root):
        self.root = root

    def read(self, relpath):
        """A file's text at the checkout's revision, or None."""
        return self.read_many([relpath])[relpath]

    def _env(self):
        return None

    def _run(self, *args, input=None, env=None, check=True, cwd=None, timeout=None):
        result = _communicate([self.command, *args], cwd or self.root, input, env or self._env(), timeout)
        if check and result.returncode != 0:
            raise VcsError(_failure(result.stderr, f"{self.command} {args[0]} failed"), where=f"{self.command} {args[0]}")
        return result

    def _out(self, *args, **kwargs):
        return self._run(*args, **kwargs).stdout.decode().strip()

    def path(self, relpath):
        return os.path.join(self.root, *relpath.split("/"))


class GitRepository(_Repository):
    tool = "git"
    command = "git"

    def _env(self):
        return dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")

    @functools.cached_property
    def _user(self):
        return self._run("config", "user.email", check=False).stdout.decode().strip() or None

    def user(self):
        """The user's email address from the VCS configuration, or None."""
        return self._user

    def head(self):
        result = self._run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        if result.returncode:
            raise VcsError("the repository has no commit yet; commit something first", where=self.root)
        return result.stdout.decode().strip()

    def branch(self):
        result = self._run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return result.stdout.decode().strip() or None

    def _tree_entry(self, relpath):
        out = self._out("ls-tree", "-z", "HEAD", "--", relpath)
        if not out:
            return None
        mode, kind, rest = out.rstrip("\0").split(" ", 2)
        return mode, kind

    def read_many(self, relpaths):
        """{path: text at HEAD, or None where HEAD has no such file}."""
        relpaths = list(dict.fromkeys(relpaths))
        query = "".join(f"HEAD:{p}\n" for p in relpaths).encode()
        out = self._run("cat-file", "--batch", input=query).stdout
        texts = {}
        for relpath in relpaths:
            header, _, out = out.partition(b"\n")
            fields = header.split()
            if len(fields) == 3 and fields[1] == b"blob":
                size = int(fields[2])
                texts[relpath], out = out[:size].decode(), out[size + 1:]
            elif len(fields) == 3:  # a tree or other object: skip its body
                out = out[int(fields[2]) + 1:]
                texts[relpath] = None
            else:
                texts[relpath] = None
        return texts

    def uncommitted(self, relpaths):
        """Those of ``relpaths`` that differ from HEAD in the index or working tree,
        or exist untracked or ignored."""
        out = self._run(
            "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching", "--", *relpaths
        ).stdout.decode()
        entries = iter(out.split("\0"))
        changed = set()
        for entry in entries:
            if not entry:
                continue
            changed.add(entry[3:])
            if entry[0] in "RC":  # a rename or copy: the next entry is its source
                changed.add(next(entries, ""))
        return sorted(changed & set(relpaths))

    def state(self):
        """What must be the same before and after a push (cheap on big checkouts)."""
        refs = self._out("for-each-ref", "--format=%(refname) %(objectname)")
        status = self._out("status", "--porcelain=v1")
        return {"head": self.head(), "branch": self.branch(), "refs": refs, "status": status}

    def remote_urls(self, remote):
        if remote in self._out("remote").splitlines():
            urls = self._out("remote", "get-url", "--push", "--all", remote).splitlines()
            return [u for u in urls if u]
        if _looks_like_url(remote):
            return [remote]
        raise VcsError(
            f"{remote!r} is neither a remote of this repository nor a URL; "
            f"add it (git remote add {remote} URL) or pass --remote URL",
            where="--remote",
        )

    def _identity_env(self, env, user):
        if self.user() is None:
            login = user or "staging-release"
            for role in ("AUTHOR", "COMMITTER"):
                env.setdefault(f"GIT_{role}_NAME", login)
                env.setdefault(f"GIT_{role}_EMAIL", login if "@" in login else f"{login}@localhost")
        return env

    def remote_ref(self, url, ref, timeout=None):
        """The commit ``ref`` holds on ``url``, or None where it has no such ref."""
        out = self._out("ls-remote", "--", url, ref, timeout=timeout)
        for line in out.splitlines():
            sha, _, name = line.partition("\t")
            if name == ref:
                return sha
        return None

    def _build(self, files, message, user):
        base = self.head()
        with tempfile.TemporaryDirectory(prefix="staging-push-") as tmp:
            env = dict(self._env(), GIT_INDEX_FILE=os.path.join(tmp, "index"))
            self._run("read-tree", base, env=env)
            for relpath, text in sorted(files.items()):
                blob = self._out("hash-object", "-w", "--stdin", f"--path={relpath}", input=text.encode())
                entry = self._tree_entry(relpath)
                mode = entry[0] if entry else "100644"
                self._run("update-index", "--add", "--cacheinfo", f"{mode},{blob},{relpath}", env=env)
            tree = self._out("write-tree", env=env)
        return self._out("commit-tree", tree, "-p", base, "-m", message, env=self._identity_env(self._env(), user))

    def landed(self, url, ref, commit):
        """True if ``ref`` on ``url`` holds ``commit``, None if the remote cannot say."""
        try:
            return self.remote_ref(url, ref, timeout=CHECK_TIMEOUT) == commit
        except (VcsError, subprocess.TimeoutExpired):
            return None

    def push(self, files, message, remote, ref, user=None):
        """Commit ``files`` on top of HEAD without touching the checkout and push it
        to ``ref``, the one ref it may replace (only if it still holds what it held
        just before)."""
        urls = self.remote_urls(remote)
        commit, started, targets = None, [], []
        try:
            step("git-commit")
            commit = self._build(files, message, user)
            for url in urls:
                step("git-ls-remote")
                old = self.remote_ref(url, ref)
                step("git-push")
                started.append(url)
                result = self._run("push", "--porcelain", f"--force-with-lease={ref}:{old or ''}", "--", url, f"{commit}:{ref}", check=False)
                if result.returncode:
                    raise PushRefused(_failure(result.stderr + result.stdout, "git push failed"), where=f"push to {remote}")
                targets.append((url, ref, old))
                step("git-pushed")
        except KeyboardInterrupt as e:
            raise PushInterrupted(_interrupted_line(started, lambda url: self.landed(url, ref, commit), commit, ref), _signum(e))
        return Pushed(commit, tuple(targets))


def _signum(interruption):
    return getattr(interruption, "signum", signal.SIGINT)


def _interrupted_line(started, landed, commit, ref=None):
    """One line: did an interrupted push of ``commit`` land on each URL it started on?"""
    if not started:
        return "interrupted before anything was pushed: the push did not land"
    where = f" as {ref}" if ref else ""
    parts = []
    for url in started:
        verdict = landed(url)
        if verdict is None:
            parts.append(f"could not tell whether {commit[:12]} landed on {url}{where} (the remote did not answer); look there")
        else:
            parts.append(f"the push {'landed' if verdict else 'did not land'}: {commit[:12]} {'is' if verdict else 'is not'} on {url}{where}")
    return "interrupted: " + "; ".join(parts)


class HgRepository(_Repository):
    tool = "hg"
    command = "hg"

    def _env(self):
        return dict(os.environ, HGPLAIN="1")

    @functools.cached_property
    def _user(self):
        # Mercurial's own order: $HGUSER, ui.username, $EMAIL.
        name = os.environ.get("HGUSER") or self._run("config", "ui.username", check=False).stdout.decode().strip()
        name = name or os.environ.get("EMAIL", "")
        if not name:
            return None
        match = re.search(r"<([^>]+)>", name)
        return match.group(1) if match else name

    def user(self):
        """The user's email address (or name) from the VCS configuration, or None."""
        return self._user

    def head(self):
        node = self._out("log", "-r", ".", "-T", "{node}")
        if not node or set(node) == {"0"}:
            raise VcsError("the repository has no commit yet (or the working directory is at the null revision)", where=self.root)
        return node

    def branch(self):
        return self._out("log", "-r", ".", "-T", "{branch} {activebookmark}")

    def _tracked(self, relpaths):
        result = self._run("files", "-r", ".", "--", *(f"path:{p}" for p in relpaths), check=False)
        return set(result.stdout.decode().splitlines()) & set(relpaths)

    def read_many(self, relpaths):
        """{path: text at ``.``, or None where ``.`` has no such file}."""
        relpaths = list(dict.fromkeys(relpaths))
        out = self._run("cat", "-r", ".", "-Tjson", "--", *(f"path:{p}" for p in relpaths), check=False).stdout
        found = {entry["path"]: entry["data"] for entry in json.loads(out or b"[]")}
        return {p: found.get(p) for p in relpaths}

    def uncommitted(self, relpaths):
        out = self._out("status", "-marduin", "--", *(f"path:{p}" for p in relpaths))
        return sorted(set(out.splitlines()) & set(relpaths))

    def state(self):
        """What must be the same before and after a push (cheap on big repositories:
        heads, bookmarks, non-public changesets and the working directory's parent)."""
        revs = ". or heads(all()) or bookmark() or not public()"
        template = "{node} {phase} {branch} {bookmarks} {ifcontains(rev, revset('.'), 'parent {activebookmark}')}\n"
        return {
            "head": self.head(),
            "log": self._out("log", "-r", revs, "-T", template),
            "status": self._out("status", "-mardu"),
        }

    def remote_urls(self, remote):
        result = self._run("paths", "--", remote, check=False)
        if result.returncode == 0 and result.stdout.strip():
            return [remote]
        if _looks_like_url(remote):
            return [remote]
        raise VcsError(
            f"{remote!r} is neither a path of this repository nor a URL; "
            f"add it under [paths] in .hg/hgrc or pass --remote URL",
            where="--remote",
        )

    def push_url(self, remote):
        """The URL ``hg push REMOTE`` would push to (a path's pushurl, else its URL)."""
        result = self._run("config", f"paths.{remote}:pushurl", check=False)
        url = result.stdout.decode().strip() if result.returncode == 0 else ""
        if not url:
            result = self._run("paths", "--", remote, check=False)
            url = result.stdout.decode().strip() if result.returncode == 0 else ""
        return url or remote

    def landed(self, url, node):
        """True if ``url`` has changeset ``node``, None if it cannot say."""
        try:
            result = self._run("identify", "-r", node, "--", url, check=False, timeout=CHECK_TIMEOUT)
        except subprocess.TimeoutExpired:
            return None
        if result.returncode == 0:
            return True
        return False if b"unknown revision" in result.stderr + result.stdout else None

    def _clone(self, tmp):
        """A temporary clone at ``.``'s revision, without bookmarks, carrying the
        checkout's own configuration (extensions, auth) but none of its paths."""
        clone = os.path.join(tmp, "repo")
        self._run("clone", "-U", "-q", "--", self.root, clone)
        for name in ("bookmarks", "bookmarks.current"):
            _remove(os.path.join(clone, ".hg", name))
        hgrc = os.path.join(self.root, ".hg", "hgrc")
        if os.path.isfile(hgrc):
            shutil.copyfile(hgrc, os.path.join(clone, ".hg", "hgrc"))
        return clone

    def _commit_in(self, clone, files, message, user):
        base, branch = self._out("log", "-r", ".", "-T", "{node} {branch}").split(" ", 1)
        self._run("debugrebuildstate", "-r", base, cwd=clone)
        self._run("branch", "-q", "--force", "--", branch, cwd=clone)
        tracked = self._tracked(list(files))
        for relpath, text in files.items():
            full = os.path.join(clone, *relpath.split("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as fh:
                fh.write(text.encode())
        added = [p for p in files if p not in tracked]
        if added:
            self._run("add", "-q", "--", *(f"path:{p}" for p in added), cwd=clone)
        who = () if self.user() else ("-u", user or "staging-release")
        self._run(
            "commit", "--config", "phases.new-commit=draft", "-m", message, *who,
            "--", *(f"path:{p}" for p in files), cwd=clone,
        )
        return self._out("log", "-r", "tip", "-T", "{node}", cwd=clone)

    def push(self, files, message, remote, ref=None, user=None):
        """Commit ``files`` on top of ``.`` in a temporary clone and push that head to
        ``remote``; the checkout itself is only read."""
        url = self.push_url(remote)
        committed, started = None, []
        tmp = tempfile.mkdtemp(prefix="taskgraph-staging-push-")
        try:
            step("hg-clone")
            clone = self._clone(tmp)
            step("hg-commit")
            committed = self._commit_in(clone, files, message, user)
            step("hg-push")
            started.append(url)
            result = self._run("push", "-r", committed, "-f", "--", url, check=False, cwd=clone)
            if result.returncode:
                raise PushRefused(_failure(result.stderr + result.stdout, "hg push failed"), where=f"push to {remote}")
            step("hg-pushed")
            return Pushed(committed, ((url, None, None),))
        except KeyboardInterrupt as e:
            raise PushInterrupted(_interrupted_line(started, lambda u: self.landed(u, committed), committed or ""), _signum(e))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def repository(path):
    """The git or Mercurial repository holding ``path``."""
    path = os.path.abspath(path)
    probe = path
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return _checked(GitRepository, probe)
        if os.path.isdir(os.path.join(probe, ".hg")):
            return _checked(HgRepository, probe)
        parent = os.path.dirname(probe)
        if parent == probe:
            raise VcsError(f"{path} is not inside a git or Mercurial checkout", where="--repository")
        probe = parent


def _checked(cls, root):
    if shutil.which(cls.command) is None:
        raise VcsError(f"{root} is a {cls.tool} checkout but {cls.command} is not installed", where="--repository")
    return cls(root)
