"""release-notify-started on Try: the bug-list email goes to the push owner only."""

import pytest

from issue3_tasks import finished, make_config, run_staging
from taskgraph_staging.model.errors import ConfigError

CACHE = {"task-reference": "docker-worker:cache:gecko-level-1-checkouts"}


def started(command, scopes=("notify:email:release-signoff@mozilla.org",)):
    payload = {"command": ["/usr/local/bin/run-task", "--", "bash", "-cx", {"task-reference": command}]}
    task = finished("release-notify-started-firefox", "release-notify-started", "b-linux-gcp", list(scopes), payload)
    task["task"]["scopes"] = sorted(task["task"]["scopes"]) + [CACHE]
    return task


def test_every_address_becomes_the_owner():
    task = started(
        "./mach release send-buglist-email --version 121.0b3 --product firefox --address release-signoff@mozilla.org "
        "--address=drivers@mozilla.org --task-group-id <decision>",
        scopes=("notify:email:release-signoff@mozilla.org", "notify:email:drivers@mozilla.org"),
    )
    out = run_staging(make_config(owner="alice@example.com"), task)
    assert out["task"]["payload"]["command"][-1] == {
        "task-reference": "./mach release send-buglist-email --version 121.0b3 --product firefox "
        "--task-group-id <decision> --address alice@example.com"
    }
    assert out["task"]["scopes"] == ["notify:email:alice@example.com", CACHE]
    assert out["task"]["extra"]["staging"]["notify_started"] == {
        "production_recipients": ["release-signoff@mozilla.org", "drivers@mozilla.org"],
        "recipient": "alice@example.com",
    }


def test_a_command_without_recipients_is_a_kind_error():
    task = started("./mach release send-buglist-email --version 121.0b3 --task-group-id <decision>")
    with pytest.raises(ConfigError, match="runs no `mach release send-buglist-email --address"):
        run_staging(make_config(owner="alice@example.com"), task)
