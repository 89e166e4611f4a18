"""push (git and Mercurial) killed or interrupted at every step leaves the checkout
(files, index or dirstate, refs, bookmarks, phases, store) exactly as it was, and an
interrupted push says whether it landed. Also: pending hg add/rm/mv survive a push, git
never replaces anything but its namespace's Try ref, and a dry run needs no remote."""

import hashlib
import os
import signal
import subprocess
import sys

import pytest
from step_killer import killer_env, steps_of
from vcs_repos import git_commits, git_state, hg_nodes, hg_state, run

from taskgraph_staging.interfaces.cli import main


def store_hashes(repo):
    """{path: sha256} of every file of .hg/store (Mercurial's history, phases, obsstore)."""
    top = os.path.join(repo, ".hg", "store")
    out = {}
    for dirpath, _, names in os.walk(top):
        for name in names:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as fh:
                out[os.path.relpath(full, top)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def hg_snapshot(repo):
    return dict(
        hg_state(repo),
        all=run("hg", "log", "-r", "all()", "-T", "{node} {phase} {bookmarks} {p1node}\n", cwd=repo),
        bookmarks=run("hg", "bookmarks", "-T", "{bookmark} {node} {active}\n", cwd=repo),
        copies=run("hg", "status", "-C", cwd=repo),
        store=store_hashes(repo),
    )


def cli(repo, *argv, env=None):
    command = [sys.executable, "-m", "taskgraph_staging", "push", "--repository", str(repo), "-v", "122.0b1", *argv]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_pending_hg_add_rm_mv_and_copies_survive_a_push(hg_checkout, hg_try):
    (hg_checkout / "new.txt").write_text("new\n")
    run("hg", "add", "new.txt", cwd=hg_checkout)
    run("hg", "rm", "-q", "build/local.sh", cwd=hg_checkout)
    run("hg", "mv", "-q", "build/defines.sh", "build/renamed.sh", cwd=hg_checkout)
    run("hg", "cp", "-q", "browser/config/version.txt", "copied.txt", cwd=hg_checkout)
    before = hg_snapshot(hg_checkout)
    assert "A copied.txt\n  browser/config/version.txt\n" in before["copies"]
    assert main(["push", "--repository", str(hg_checkout), "-v", "122.0b1"]) == 0
    assert hg_snapshot(hg_checkout) == before


def test_a_second_git_push_replaces_only_its_try_ref_and_says_so(git_checkout, git_try, capsys):
    main_before = run("git", "rev-parse", "refs/heads/main", cwd=git_try)
    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b1"]) == 0
    first = run("git", "rev-parse", "refs/heads/staging-release/alice", cwd=git_try).strip()
    capsys.readouterr()
    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b2"]) == 0
    second = run("git", "rev-parse", "refs/heads/staging-release/alice", cwd=git_try).strip()
    assert second != first
    assert run("git", "rev-parse", "refs/heads/main", cwd=git_try) == main_before
    assert run("git", "for-each-ref", "--format=%(refname)", cwd=git_try).split() == ["refs/heads/main", "refs/heads/staging-release/alice"]
    assert f"as refs/heads/staging-release/alice (replacing {first[:12]}, the namespace's previous push)" in capsys.readouterr().out


def test_a_try_ref_without_namespace_is_refused(git_checkout, capsys):
    config = git_checkout / "taskcluster" / "config.yml"
    config.write_text(config.read_text().replace("staging-release:\n", "staging-release:\n    try-ref: 'refs/heads/{branch}'\n", 1))
    run("git", "commit", "-qam", "try-ref", cwd=git_checkout)
    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b1", "--dry-run"]) == 2
    assert "try-ref: 'refs/heads/{branch}' must contain {namespace}" in capsys.readouterr().err


def test_dry_run_needs_no_remote(git_checkout, capsys):
    run("git", "remote", "remove", "try", cwd=git_checkout)
    before = git_state(git_checkout)
    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b1", "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert "(a real push needs the remote: --remote: 'try' is neither a remote" in captured.out
    assert captured.err == ""
    assert git_state(git_checkout) == before


def _every_step(checkout, snapshot, remote_nodes, tmp_path, sig, landed):
    """Kill a push at each of its steps with ``sig``; check the checkout after each."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    env, log = killer_env(hooks, 0, sig)
    before = snapshot(checkout)
    assert cli(checkout, env=env).returncode == 0  # count the steps
    steps = steps_of(log)
    assert len(steps) >= 3
    assert snapshot(checkout) == before
    for n in range(1, len(steps) + 1):
        remote_before = remote_nodes()
        env, log = killer_env(hooks, n, sig)
        result = cli(checkout, "--namespace", f"step-{'abcdefghijklmnop'[n]}", env=env)
        at = steps[n - 1]
        assert steps_of(log)[-1] == at
        assert snapshot(checkout) == before, at
        new = set(remote_nodes()) - set(remote_before)
        if sig == signal.SIGKILL:
            assert result.returncode == -signal.SIGKILL, (at, result.stderr)
            continue
        assert result.returncode == 128 + signal.SIGTERM, (at, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1, (at, result.stderr)
        assert "Traceback" not in result.stderr
        if new:
            assert "the push landed" in lines[0], (at, lines[0])
        else:
            assert "did not land" in lines[0], (at, lines[0])
        assert landed(at) == bool(new), (at, lines[0])


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_git_push_killed_at_every_step(git_checkout, git_try, tmp_path, sig):
    _every_step(git_checkout, git_state, lambda: git_commits(git_try), tmp_path, sig, lambda at: at == "git-pushed")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_hg_push_killed_at_every_step(hg_checkout, hg_try, tmp_path, sig):
    _every_step(hg_checkout, hg_snapshot, lambda: hg_nodes(hg_try), tmp_path, sig, lambda at: at == "hg-pushed")


def test_sigint_during_the_git_push_child_says_whether_it_landed(git_checkout, git_try, tmp_path):
    """SIGINT while ``git push`` itself runs (a pre-receive hook holds it): the child
    is stopped, and the one line matches what the remote holds."""
    hook = git_try / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\ntouch {tmp_path}/receiving\nsleep 5\n")
    hook.chmod(0o755)
    before = git_state(git_checkout)
    command = [sys.executable, "-m", "taskgraph_staging", "push", "--repository", str(git_checkout), "-v", "122.0b1"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(600):
        if (tmp_path / "receiving").exists():
            break
        subprocess.run(["sleep", "0.1"])
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    refs = run("git", "for-each-ref", "--format=%(refname)", cwd=git_try).split()
    landed = "refs/heads/staging-release/alice" in refs
    assert err.splitlines() == [err.splitlines()[0]] and ("the push landed" if landed else "did not land") in err
    assert git_state(git_checkout) == before
