"""The function a ``mach try release`` selector calls, and ``--services`` files."""

import json

from taskgraph_staging.interfaces.push import mach
from vcs_repos import git_state, run


def test_mach_run_pushes_with_the_common_try_parameters(git_checkout, git_try, tmp_path):
    services = tmp_path / "services.yml"
    services.write_text("archive_bucket: alice-staging-bucket\n")
    before = git_state(git_checkout)
    code = mach.run(
        version="122.0b1", migrations=[], limit_locales=True, tasks="staging", partials=[], services=str(services),
        repository=str(git_checkout), message="{msg}", dry_run=False, closed_tree=False,
        try_config_params={"env": {"MOZ_LOG": "1"}, "release_type": "nightly"},
    )
    assert code == 0
    assert git_state(git_checkout) == before
    config = json.loads(run("git", "show", "refs/heads/feature:try_task_config.json", cwd=git_try))
    assert config["parameters"]["env"] == {"MOZ_LOG": "1"}
    assert config["parameters"]["release_type"] == "beta"
    assert config["parameters"]["staging"]["services"]["archive_bucket"] == "alice-staging-bucket"


def test_mach_run_reports_user_errors_in_one_line(git_checkout, capsys, tmp_path):
    bad = tmp_path / "services.yml"
    bad.write_text("- not a mapping\n")
    assert mach.run(version="122.0b1", services=str(bad), repository=str(git_checkout)) == 2
    assert capsys.readouterr().err == f"mach try release: error: --services: {bad} must hold a mapping of service name to endpoint\n"
    assert mach.run(version="122.0b1", repository=str(git_checkout), push_to_lando=True) == 2
    assert capsys.readouterr().err == "mach try release: error: mach try release: option push_to_lando is not supported by staging releases\n"
