"""Real git and Mercurial checkouts of a small host project, and stand-ins for Try."""

import os
import shutil
import sys

import pytest
from vcs_repos import run

HOST = os.path.join(os.path.dirname(__file__), "data", "host")
USER_EMAIL = "alice@example.com"


@pytest.fixture(autouse=True)
def isolated_vcs(monkeypatch, tmp_path_factory):
    """No user or system VCS configuration; the venv's hg on PATH."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HGRCPATH", "")
    monkeypatch.setenv("HGPLAIN", "1")
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]]))
    monkeypatch.setenv("USER", "bob")


def seed(path):
    shutil.copytree(HOST, path)


@pytest.fixture
def git_try(tmp_path):
    """A bare git repository standing in for Try."""
    path = tmp_path / "try.git"
    run("git", "init", "-q", "--bare", str(path), cwd=tmp_path)
    return path


@pytest.fixture
def git_checkout(tmp_path, git_try):
    """A git checkout of the host on branch ``feature``, its history already on Try,
    with a remote ``try``, a local uncommitted change and an untracked file."""
    path = tmp_path / "work"
    seed(path)
    run("git", "init", "-q", "-b", "main", cwd=path)
    run("git", "config", "user.email", USER_EMAIL, cwd=path)
    run("git", "config", "user.name", "Alice", cwd=path)
    run("git", "add", ".", cwd=path)
    run("git", "commit", "-q", "-m", "host", cwd=path)
    run("git", "remote", "add", "try", str(git_try), cwd=path)
    run("git", "push", "-q", "try", "main", cwd=path)
    run("git", "fetch", "-q", "try", cwd=path)
    run("git", "checkout", "-q", "-b", "feature", cwd=path)
    with open(path / "taskcluster" / "config.yml", "a") as fh:
        fh.write("# a local edit\n")
    run("git", "add", "taskcluster/config.yml", cwd=path)
    with open(path / "notes.txt", "w") as fh:
        fh.write("untracked\n")
    return path


def _isolated_env(home):
    """The environment :func:`isolated_vcs` sets, for fixtures built once per session."""
    return dict(
        os.environ, HOME=str(home), GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", HGRCPATH="", HGPLAIN="1",
        PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]]), USER="bob",
    )


def _write_hgrc_paths(checkout, try_repo):
    with open(checkout / ".hg" / "hgrc", "w") as fh:
        fh.write(f"[ui]\nusername = Alice <{USER_EMAIL}>\n[paths]\ntry = {try_repo}\n")


@pytest.fixture(scope="session")
def _hg_repos(tmp_path_factory):
    """``(empty try, try, checkout)``: :func:`hg_try` as it is alone and once
    :func:`hg_checkout` has pushed to it, and that checkout, made once per session (a
    dozen hg runs); each test gets its own copy."""
    top = tmp_path_factory.mktemp("hg-template")
    env = _isolated_env(tmp_path_factory.mktemp("home"))
    try_repo = top / "try-hg"
    run("hg", "init", str(try_repo), cwd=top, env=env)
    with open(try_repo / ".hg" / "hgrc", "w") as fh:
        fh.write("[web]\npush_ssl = False\nallow-push = *\n")
    empty = top / "empty-try-hg"
    shutil.copytree(try_repo, empty, symlinks=True)
    path = top / "work-hg"
    seed(path)
    run("hg", "init", cwd=path, env=env)
    _write_hgrc_paths(path, try_repo)
    run("hg", "add", "-q", cwd=path, env=env)
    run("hg", "commit", "-m", "host", cwd=path, env=env)
    run("hg", "push", "-q", "try", cwd=path, env=env)
    with open(path / "build" / "local.sh", "w") as fh:
        fh.write("LOCAL=1\n")
    run("hg", "add", "build/local.sh", cwd=path, env=env)
    run("hg", "commit", "-m", "local work", cwd=path, env=env)
    run("hg", "push", "-q", "try", cwd=path, env=env)
    run("hg", "phase", "--force", "--draft", "-r", ".", cwd=path, env=env)
    run("hg", "bookmark", "feature", cwd=path, env=env)
    with open(path / "taskcluster" / "config.yml", "a") as fh:
        fh.write("# a local edit\n")
    with open(path / "notes.txt", "w") as fh:
        fh.write("untracked\n")
    return empty, try_repo, path


@pytest.fixture
def hg_try(tmp_path, _hg_repos):
    """A (publishing) Mercurial repository standing in for Try."""
    path = tmp_path / "try-hg"
    shutil.copytree(_hg_repos[0], path, symlinks=True)
    return path


@pytest.fixture
def hg_checkout(tmp_path, hg_try, _hg_repos):
    """A Mercurial checkout of the host with an active bookmark, a draft commit
    already on Try, a path ``try``, a modified file and an untracked file."""
    shutil.rmtree(hg_try)  # now holding what the checkout pushed to it
    shutil.copytree(_hg_repos[1], hg_try, symlinks=True)
    path = tmp_path / "work-hg"
    shutil.copytree(_hg_repos[2], path, symlinks=True)
    _write_hgrc_paths(path, hg_try)
    return path
