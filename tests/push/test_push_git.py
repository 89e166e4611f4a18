"""``taskgraph-staging push`` from a real git checkout to a bare repository standing in for Try."""

import json
import os
import re
import subprocess

import pytest

from taskgraph_staging.interfaces.cli import main

from vcs_repos import git_commits, git_state, run

FIREFOX_FILES = {
    "browser/config/version.txt": "122.0\n",
    "browser/config/version_display.txt": "122.0b1\n",
    "config/milestone.txt": "# Holds the current milestone.\n#   x.x.x\n\n122.0\n",
    "browser/locales/shipped-locales": "de\nfr\n",
}


def pushed_files(bare, ref):
    """{path: text} of the files the pushed commit changes, and the commit's parents."""
    commit = run("git", "rev-parse", ref, cwd=bare).strip()
    parents = run("git", "log", "-1", "--format=%P", commit, cwd=bare).split()
    changed = run("git", "diff", "--name-only", parents[0], commit, cwd=bare).split()
    return {p: run("git", "show", f"{commit}:{p}", cwd=bare) for p in changed}, parents


def test_push_makes_one_commit_on_try_and_leaves_the_checkout_as_it_was(git_checkout, git_try, capsys):
    base = run("git", "rev-parse", "HEAD", cwd=git_checkout).strip()
    before_try = set(git_commits(git_try))
    before = git_state(git_checkout)

    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b1", "--partial", "121.0b9:1"]) == 0

    assert git_state(git_checkout) == before
    new = set(git_commits(git_try)) - before_try
    assert len(new) == 1
    files, parents = pushed_files(git_try, "refs/heads/feature")
    assert parents == [base]
    config = json.loads(files.pop("try_task_config.json"))
    assert files == FIREFOX_FILES
    assert config == {
        "version": 2,
        "parameters": {
            "target_tasks_method": "staging_release_builds",
            "optimize_target_tasks": True,
            "release_type": "beta",
            "release_product": "firefox",
            "version": "122.0b1",
            "app_version": "122.0",
            "next_version": "122.0b2",
            "build_number": 1,
            "staging": {
                "namespace": "alice",
                "behavior": "beta",
                "partials": [{"version": "121.0b9", "build_number": 1, "source": "production"}],
                "services": config["parameters"]["staging"]["services"],
                "reservation": None,
            },
        },
    }
    assert config["parameters"]["staging"]["services"]["archive_domain"] == "ftp.stage.mozaws.net"
    message = run("git", "log", "-1", "--format=%s", "refs/heads/feature", cwd=git_try).strip()
    assert message == "staging release: alice firefox 122.0b1 build1 (beta)"
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("live check skipped: ")
    assert out[1].startswith(f"Pushed {new.pop()[:12]} to try refs/heads/feature: ")


def test_choices_migrations_and_a_remote_url(git_checkout, git_try, tmp_path):
    before = git_state(git_checkout)
    argv = [
        "push", "--repository", str(git_checkout), "-v", "122.0", "--behavior", "release-rc",
        "--namespace", "qa-team", "--migration", "early-to-late-beta", "--migration", "beta-to-release",
        "--no-limit-locales", "--tasks", "release-sim", "--remote", str(git_try), "-m", "{msg} for QA",
    ]
    assert main(argv) == 0
    assert git_state(git_checkout) == before
    files, _ = pushed_files(git_try, "refs/heads/feature")
    config = json.loads(files.pop("try_task_config.json"))
    assert files == {
        "browser/config/version.txt": "122.0\n",
        "browser/config/version_display.txt": "122.0\n",
        "config/milestone.txt": "# Holds the current milestone.\n#   x.x.x\n\n122.0\n",
        "build/defines.sh": "EARLY_BETA_OR_EARLIER=\nMAR_CHANNEL_ID=firefox-mozilla-release\nMAJOR=122\n",
    }
    params = config["parameters"]
    assert (params["target_tasks_method"], params["release_type"], params["staging"]["behavior"]) == (
        "release_simulation", "release-rc", "release-rc"
    )
    assert params["staging"]["namespace"] == "qa-team"
    message = run("git", "log", "-1", "--format=%s", "refs/heads/feature", cwd=git_try).strip()
    assert message == "staging release: qa-team firefox 122.0 build1 (release-rc) for QA"


def test_detached_head_pushes_to_a_namespaced_branch(git_checkout, git_try):
    run("git", "checkout", "-q", "--detach", cwd=git_checkout)
    before = git_state(git_checkout)
    assert main(["push", "--repository", str(git_checkout), "-v", "115.5.0esr", "--namespace", "qa-long"]) == 0
    assert git_state(git_checkout) == before
    files, _ = pushed_files(git_try, "refs/heads/staging-qa-long")
    params = json.loads(files["try_task_config.json"])["parameters"]
    assert (params["release_type"], params["app_version"]) == ("esr115", "115.5.0")
    assert files["browser/config/version.txt"] == "115.5.0\n"
    assert files["browser/config/version_display.txt"] == "115.5.0esr\n"


def test_dry_run_prints_and_changes_nothing(git_checkout, git_try, capsys):
    before, before_try = git_state(git_checkout), git_commits(git_try)
    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b1", "--dry-run"]) == 0
    assert git_state(git_checkout) == before
    assert git_commits(git_try) == before_try
    out = capsys.readouterr().out
    head, _, config = out.partition("try_task_config.json:\n")
    assert "Files it would change:\n  M browser/config/version.txt\n  M browser/config/version_display.txt\n" in head
    assert "  M browser/locales/shipped-locales\n  M config/milestone.txt\n  A try_task_config.json\n" in head
    assert "-121.0b3\n+122.0b1\n" in head
    assert json.loads(config)["parameters"]["staging"]["namespace"] == "alice"


def refuse_pushes(bare):
    hook = os.path.join(bare, "hooks", "pre-receive")
    with open(hook, "w") as fh:
        fh.write("#!/bin/sh\necho 'try is closed' >&2\nexit 1\n")
    os.chmod(hook, 0o755)


@pytest.mark.parametrize(
    "argv, message",
    [
        pytest.param(["-v", "122.0a1"], r"--version: '122.0a1' is a nightly version", id="nightly"),
        pytest.param(["-v", "122.0b1", "--namespace", "release"], r"--namespace: 'release' uses the reserved word", id="namespace"),
        pytest.param(["-v", "122.0b1", "--partial", "121.0b9"], r"--partial 121.0b9: '121.0b9' must look like VERSION:BUILD", id="partial"),
        pytest.param(["-v", "122.0b1", "--migration", "merge-day"], r"--migration: 'merge-day' is not a migration", id="migration"),
        pytest.param(["-v", "122.0b1", "--product", "thunderbird"], r"--product: 'thunderbird' is not a product", id="product"),
        pytest.param(["-v", "122.0b1", "--remote", "nowhere"], r"--remote: 'nowhere' is neither a remote", id="remote"),
    ],
)
def test_bad_input_exits_2_and_changes_nothing(git_checkout, git_try, capsys, argv, message):
    before, before_try = git_state(git_checkout), git_commits(git_try)
    assert main(["push", "--repository", str(git_checkout), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert re.search(message, err), err
    assert git_state(git_checkout) == before
    assert git_commits(git_try) == before_try


def test_a_refused_push_exits_2_and_changes_nothing(git_checkout, git_try, capsys):
    refuse_pushes(git_try)
    before, before_try = git_state(git_checkout), git_commits(git_try)
    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("taskgraph-staging push: error: push to try: ")
    assert "pre-receive hook declined" in err
    assert git_state(git_checkout) == before
    assert git_commits(git_try) == before_try


@pytest.mark.parametrize(
    "dirty",
    [
        pytest.param(lambda p: (p / "browser/config/version.txt").write_text("121.0.1\n"), id="modified"),
        pytest.param(lambda p: (p / "try_task_config.json").write_text("{}\n"), id="untracked"),
        pytest.param(
            lambda p: ((p / "config/milestone.txt").write_text("x\n"), run("git", "add", "config/milestone.txt", cwd=p)),
            id="staged",
        ),
    ],
)
def test_a_dirty_file_it_would_overwrite_exits_2(git_checkout, git_try, capsys, dirty):
    dirty(git_checkout)
    before, before_try = git_state(git_checkout), git_commits(git_try)
    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b1"]) == 2
    assert "would be overwritten; commit, revert or move them first" in capsys.readouterr().err
    assert git_state(git_checkout) == before
    assert git_commits(git_try) == before_try


def test_a_repository_without_commits_is_an_error(tmp_path, capsys):
    subprocess.run(["git", "init", "-q", str(tmp_path / "empty")], check=True)
    assert main(["push", "--repository", str(tmp_path / "empty"), "-v", "122.0b1"]) == 2
    assert "the repository has no commit yet" in capsys.readouterr().err
