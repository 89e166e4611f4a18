"""A thin layer over git and Mercurial: read a checkout, push one commit to Try.

``push(files, message, remote, ref)`` makes one commit on top of the checkout's
current revision holding ``files`` ({path: text}) and pushes it to the Try remote.
Afterwards the checkout (branch, HEAD, working files, index or dirstate, untracked
files, phases) is exactly as it was, whether the push worked or not:

* git builds the commit with plumbing on a temporary index and pushes it by URL,
  so neither the working tree, the index nor any ref (remote-tracking refs included)
  is ever touched;
* Mercurial commits in place, pushes, then strips the commit (keeping the working
  directory), writes the files back and restores the phases the push changed.
"""

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile

from taskgraph_staging.model.errors import StagingError


class VcsError(StagingError):
    """The checkout cannot be used as asked (not a repository, no commit, bad remote...)."""


class PushRefused(StagingError):
    """The Try remote did not accept the push; the checkout is unchanged."""


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

    def _run(self, *args, input=None, env=None, check=True):
        result = subprocess.run(
            [self.command, *args],
            cwd=self.root,
            input=input,
            capture_output=True,
            env=env or self._env(),
        )
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

    def push(self, files, message, remote, ref, user=None):
        """Commit ``files`` on top of HEAD without touching the checkout and push it."""
        urls = self.remote_urls(remote)
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
        commit = self._out("commit-tree", tree, "-p", base, "-m", message, env=self._identity_env(self._env(), user))
        for url in urls:
            result = self._run("push", url, f"+{commit}:{ref}", check=False)
            if result.returncode:
                raise PushRefused(_failure(result.stderr, "git push failed"), where=f"push to {remote}")
        return commit


class HgRepository(_Repository):
    tool = "hg"
    command = "hg"
    STRIP = ("--config", "extensions.strip=", "strip")

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

    def _phases(self):
        out = self._out("log", "-r", "not public()", "-T", "{node} {phase}\n")
        return dict(line.split() for line in out.splitlines())

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

    def push(self, files, message, remote, ref=None, user=None):
        """Commit ``files`` on top of ``.``, push that head to ``remote`` and undo the commit."""
        phases = self._phases()
        originals = {relpath: _read_bytes(self.path(relpath)) for relpath in files}
        tracked = self._tracked(list(files))
        added = [p for p in files if p not in tracked]
        committed = None
        try:
            for relpath, text in files.items():
                full = self.path(relpath)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "wb") as fh:
                    fh.write(text.encode())
            if added:
                self._run("add", "--", *(f"path:{p}" for p in added))
            who = () if self.user() else ("-u", user or "staging-release")
            self._run("commit", "-m", message, *who, "--", *(f"path:{p}" for p in files))
            committed = self.head()
            result = self._run("push", "-r", committed, "-f", "--", remote, check=False)
            if result.returncode:
                raise PushRefused(_failure(result.stderr + result.stdout, "hg push failed"), where=f"push to {remote}")
            return committed
        finally:
            self._restore(committed, originals, added, phases)

    def _restore(self, committed, originals, added, phases):
        if committed:
            self._run(*self.STRIP, "--keep", "--no-backup", "-r", committed)
        still_added = set(self._out("status", "-an", "--", *(f"path:{p}" for p in added)).splitlines()) if added else set()
        if still_added:
            self._run("forget", "--", *(f"path:{p}" for p in sorted(still_added)))
        for relpath, data in originals.items():
            full = self.path(relpath)
            if data is None:
                if os.path.isfile(full):
                    os.remove(full)
            else:
                with open(full, "wb") as fh:
                    fh.write(data)
        now = self._phases()
        for phase in ("draft", "secret"):
            nodes = [n for n, p in phases.items() if p == phase and now.get(n) != phase]
            if nodes:
                self._run("phase", "--force", f"--{phase}", "-r", " or ".join(nodes))


def _read_bytes(full):
    if not os.path.isfile(full):
        return None
    with open(full, "rb") as fh:
        return fh.read()


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
