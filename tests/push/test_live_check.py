"""``push`` checks its namespace against staging releases in flight before pushing."""

import pytest
import yaml

from taskgraph_staging.interfaces.cli import main

from vcs_repos import git_commits, git_state


@pytest.fixture
def live_file(tmp_path):
    def write(*releases):
        path = tmp_path / "in-flight.yml"
        path.write_text(yaml.safe_dump({"releases": list(releases)}))
        return str(path)

    return write


def test_a_namespace_in_flight_is_refused_and_nothing_moves(git_checkout, git_try, live_file, capsys, monkeypatch):
    monkeypatch.delenv("TASKCLUSTER_ROOT_URL", raising=False)
    before, before_try = git_state(git_checkout), set(git_commits(git_try))
    in_flight = live_file({"namespace": "alice", "product": "firefox", "version": "121.0b9", "build_number": 1})

    code = main(["push", "--repository", str(git_checkout), "-v", "122.0b1", "--live-file", in_flight])

    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "namespace alice is in flight" in err[0], err
    assert (git_state(git_checkout), set(git_commits(git_try))) == (before, before_try)


def test_another_namespace_of_another_version_in_flight_lets_the_push_through(git_checkout, git_try, live_file, capsys, monkeypatch):
    monkeypatch.delenv("TASKCLUSTER_ROOT_URL", raising=False)
    before_try = set(git_commits(git_try))
    in_flight = live_file({"namespace": "bob", "product": "firefox", "version": "122.0b2", "build_number": 1})

    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b1", "--live-file", in_flight]) == 0

    assert "live check: namespace alice is not in flight" in capsys.readouterr().out
    assert len(set(git_commits(git_try)) - before_try) == 1


def test_the_same_version_in_flight_on_the_shared_archive_is_refused_unless_allowed(git_checkout, git_try, live_file, capsys, monkeypatch):
    monkeypatch.delenv("TASKCLUSTER_ROOT_URL", raising=False)
    before, before_try = git_state(git_checkout), set(git_commits(git_try))
    in_flight = live_file({"namespace": "bob", "product": "firefox", "version": "122.0b1", "build_number": 1})
    argv = ["push", "--repository", str(git_checkout), "-v", "122.0b1", "--live-file", in_flight]

    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "shared by nature and written by a release in flight too: archive net-mozaws-stage-delivery-firefox prefix pub/firefox/releases/122.0b1/" in err[0]
    # Ship-it names the release itself: the same version's release is shared on the shared Ship-it too.
    assert "shipit https://api.shipit.staging.mozilla-releng.net release Firefox-122.0b1-build1" in err[0]
    assert "a dedicated archive (a library slot: its own bucket and beetmover pool)" in err[0]
    assert "a dedicated Ship-it (a library slot)" in err[0] and "--allow-shared pushes anyway" in err[0]
    assert (git_state(git_checkout), set(git_commits(git_try))) == (before, before_try)

    assert main(argv + ["--allow-shared"]) == 0
    out = capsys.readouterr().out
    assert "--allow-shared: sharing archive net-mozaws-stage-delivery-firefox prefix pub/firefox/releases/122.0b1/" in out
    assert len(set(git_commits(git_try)) - before_try) == 1


def test_without_a_source_of_releases_in_flight_the_push_says_it_did_not_check(git_checkout, git_try, capsys, monkeypatch):
    monkeypatch.delenv("TASKCLUSTER_ROOT_URL", raising=False)
    assert main(["push", "--repository", str(git_checkout), "-v", "122.0b1"]) == 0
    assert "live check skipped: give --live-file, or set TASKCLUSTER_ROOT_URL" in capsys.readouterr().out
