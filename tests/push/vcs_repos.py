"""Helpers to look at real git and Mercurial repositories in tests."""

import os
import subprocess


def run(*args, cwd, env=None):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, f"{args}: {result.stderr}"
    return result.stdout


def files_of(top, skip=(".git", ".hg")):
    """Every file under ``top`` (bytes and mode), outside the VCS directory."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if d not in skip]
        for name in filenames:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as fh:
                found[os.path.relpath(full, top)] = (fh.read(), os.stat(full).st_mode)
    return found


def git_state(path):
    return {
        "files": files_of(path),
        "refs": run("git", "for-each-ref", "--format=%(refname) %(objectname)", cwd=path),
        "head": run("git", "rev-parse", "--symbolic-full-name", "HEAD", "HEAD", cwd=path),
        "index": run("git", "ls-files", "--stage", cwd=path),
        "status": run("git", "status", "--porcelain", "--untracked-files=all", "--ignored", cwd=path),
        "log": run("git", "log", "--all", "--format=%H %P", cwd=path),
    }


def hg_state(path):
    return {
        "files": files_of(path),
        "log": run("hg", "log", "-T", "{node} {phase} {branch} {bookmarks}\n", cwd=path),
        "parent": run("hg", "log", "-r", ".", "-T", "{node} {activebookmark}", cwd=path),
        "status": run("hg", "status", "-marduic", cwd=path),
    }


def git_commits(bare):
    out = run("git", "log", "--all", "--format=%H", cwd=bare)
    return out.split()


def hg_nodes(repo):
    return run("hg", "log", "-T", "{node}\n", cwd=repo).split()
