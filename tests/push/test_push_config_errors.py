"""``taskgraph-staging push`` refuses a host whose taskgraph config it cannot use: one line
naming the option or the config, exit 2, and neither the checkout nor Try changes."""

import shutil

import pytest

from taskgraph_staging.interfaces.cli import main

from vcs_repos import git_commits, git_state


def refused(capsys, checkout, bare, *argv):
    before, before_try = git_state(checkout), git_commits(bare)
    assert main(["push", "--repository", str(checkout), "-v", "122.0b1", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert git_state(checkout) == before and git_commits(bare) == before_try
    prefix = "taskgraph-staging push: error: "
    assert err.startswith(prefix), err
    return err[len(prefix):].rstrip("\n")


def test_a_root_without_config(git_checkout, git_try, tmp_path, capsys):
    empty = tmp_path / "no-config"
    empty.mkdir()
    assert refused(capsys, git_checkout, git_try, "--root", str(empty)) == f"--root: no taskgraph config.yml in {empty}"


def test_a_checkout_without_config(git_checkout, git_try, tmp_path, capsys):
    shutil.move(git_checkout / "taskcluster", tmp_path / "taskcluster-elsewhere")
    message = refused(capsys, git_checkout, git_try)
    assert message == f"--root: no config.yml in {git_checkout} or its taskcluster/ directory; pass --root"


def test_a_config_taskgraph_rejects(git_checkout, git_try, tmp_path, capsys):
    root = tmp_path / "bad-root"
    root.mkdir()
    (root / "config.yml").write_text("trust-domain: gecko\n")  # taskgraph requires much more
    message = refused(capsys, git_checkout, git_try, "--root", str(root))
    assert message.startswith(f"--root: {root / 'config.yml'} is not a taskgraph configuration: "), message


@pytest.mark.parametrize("edit, message", [
    pytest.param(
        ("- {path: config/milestone.txt, value: milestone}", "- {path: config/no-such-file.txt, value: milestone}"),
        "config.yml staging-release.products.firefox.version-files: config/no-such-file.txt is not in the repository "
        "at its current revision; fix the path",
        id="version-file",
    ),
    pytest.param(
        ("locales-file: browser/locales/shipped-locales", "locales-file: browser/locales/no-such-locales"),
        "config.yml staging-release.locales-file: browser/locales/no-such-locales is not in the repository; fix the path",
        id="locales-file",
    ),
])
def test_a_config_naming_a_file_the_repository_lacks(git_checkout, git_try, capsys, edit, message):
    config = git_checkout / "taskcluster" / "config.yml"
    text = config.read_text()
    assert edit[0] in text
    config.write_text(text.replace(edit[0], edit[1]))
    assert refused(capsys, git_checkout, git_try) == message
