"""``taskgraph-staging push`` from a real Mercurial checkout to a local or served repository standing in for Try."""

import json
import os

import pytest

from taskgraph_staging.interfaces.cli import main
from vcs_repos import hg_nodes, hg_state, run


def pushed(try_repo, node):
    """{path: text} of the files a changeset on Try changes, and its parent."""
    files = run("hg", "log", "-r", node, "-T", "{join(files, '\\n')}", cwd=try_repo).split()
    parent = run("hg", "log", "-r", f"p1({node})", "-T", "{node}", cwd=try_repo)
    return {p: run("hg", "cat", "-r", node, p, cwd=try_repo) for p in files}, parent


def push(checkout, *argv):
    return main(["push", "--repository", str(checkout), *argv])


def test_push_makes_one_changeset_on_try_and_leaves_the_checkout_as_it_was(hg_checkout, hg_try, capsys):
    parent = run("hg", "log", "-r", ".", "-T", "{node}", cwd=hg_checkout)
    before, before_try = hg_state(hg_checkout), hg_nodes(hg_try)

    assert push(hg_checkout, "-v", "122.0b1", "--migration", "early-to-late-beta") == 0

    assert hg_state(hg_checkout) == before
    new = sorted(set(hg_nodes(hg_try)) - set(before_try))
    assert len(new) == 1
    files, base = pushed(hg_try, new[0])
    assert base == parent
    config = json.loads(files.pop("try_task_config.json"))
    assert files == {
        "browser/config/version.txt": "122.0\n",
        "browser/config/version_display.txt": "122.0b1\n",
        "config/milestone.txt": "# Holds the current milestone.\n#   x.x.x\n\n122.0\n",
        "browser/locales/shipped-locales": "de\nfr\n",
        "build/defines.sh": "EARLY_BETA_OR_EARLIER=\nMAR_CHANNEL_ID=firefox-mozilla-beta\nMAJOR=121\n",
    }
    assert config["parameters"]["staging"]["namespace"] == "alice"
    assert config["parameters"]["target_tasks_method"] == "staging_release_builds"
    assert capsys.readouterr().out.splitlines()[-1] == f"Pushed {new[0][:12]} to try: staging release: alice firefox 122.0b1 build1 (beta)"


@pytest.fixture
def served_try(hg_try, tmp_path):
    """``hg serve`` of the Try stand-in on 127.0.0.1."""
    pid_file = tmp_path / "hg-serve.pid"
    url = run(
        "hg", "serve", "-R", str(hg_try), "-d", "--pid-file", str(pid_file), "-a", "127.0.0.1", "-p", "0", "--print-url",
        cwd=tmp_path,
    ).strip()
    port = url.rstrip("/").rsplit(":", 1)[1]
    yield f"http://127.0.0.1:{port}/"
    with open(pid_file) as fh:
        os.kill(int(fh.read().strip()), 15)


def test_push_over_http_to_hg_serve(hg_checkout, hg_try, served_try):
    before, before_try = hg_state(hg_checkout), hg_nodes(hg_try)
    assert push(hg_checkout, "-v", "122.0b1", "--product", "fenix", "--remote", served_try) == 0
    assert hg_state(hg_checkout) == before
    new = sorted(set(hg_nodes(hg_try)) - set(before_try))
    assert len(new) == 1
    files, _ = pushed(hg_try, new[0])
    params = json.loads(files.pop("try_task_config.json"))["parameters"]
    assert files == {"mobile/android/version.txt": "122.0b1\n", "browser/locales/shipped-locales": "de\nfr\n"}
    assert (params["release_product"], params["app_version"]) == ("fenix", "122.0")


def test_dry_run_changes_nothing(hg_checkout, hg_try, capsys):
    before, before_try = hg_state(hg_checkout), hg_nodes(hg_try)
    assert push(hg_checkout, "-v", "122.0b1", "--dry-run", "--no-limit-locales") == 0
    assert hg_state(hg_checkout) == before
    assert hg_nodes(hg_try) == before_try
    out = capsys.readouterr().out
    assert out.startswith("Would push one hg commit on top of ")
    assert "  M browser/config/version.txt\n  M browser/config/version_display.txt\n  M config/milestone.txt\n  A try_task_config.json\n" in out


def test_a_refused_push_exits_2_and_changes_nothing(hg_checkout, hg_try, capsys):
    with open(hg_try / ".hg" / "hgrc", "a") as fh:
        fh.write("[hooks]\npretxnchangegroup.closed = echo try is closed >&2; exit 1\n")
    before, before_try = hg_state(hg_checkout), hg_nodes(hg_try)
    assert push(hg_checkout, "-v", "122.0b1") == 2
    err = capsys.readouterr().err
    assert err.startswith("taskgraph-staging push: error: push to try: ")
    assert "pretxnchangegroup.closed hook exited with status 1" in err
    assert hg_state(hg_checkout) == before
    assert hg_nodes(hg_try) == before_try


def test_a_dirty_file_it_would_overwrite_exits_2(hg_checkout, hg_try, capsys):
    (hg_checkout / "config" / "milestone.txt").write_text("121.0.1\n")
    before, before_try = hg_state(hg_checkout), hg_nodes(hg_try)
    assert push(hg_checkout, "-v", "122.0b1") == 2
    assert "uncommitted changes to config/milestone.txt would be overwritten" in capsys.readouterr().err
    assert hg_state(hg_checkout) == before
    assert hg_nodes(hg_try) == before_try


def test_a_failing_push_to_a_directory_that_is_no_repository_changes_nothing(hg_checkout, tmp_path, capsys):
    (tmp_path / "not-a-repository").mkdir()
    before = hg_state(hg_checkout)
    assert push(hg_checkout, "-v", "122.0b1", "--remote", str(tmp_path / "not-a-repository")) == 2
    assert "repository" in capsys.readouterr().err
    assert hg_state(hg_checkout) == before
