"""Release notifications on Try: the push owner only, subject naming namespace and behaviour."""

import pytest

from issue3_tasks import finished, make_config, run_staging
from taskgraph_staging.model.errors import ConfigError


def notify_task():
    task = finished("release-notify-push-firefox", "release-notify-push", "b-linux-gcp",
                    ["queue:route:notify.email.release-signoff@mozilla.org.*", "queue:route:notify.matrix-room.!abc:mozilla.org.*"],
                    {"command": ["python3", "notify.py"]}, phase="push")
    task["task"]["routes"] = ["index.x", "notify.email.release-signoff@mozilla.org.on-completed",
                              "notify.matrix-room.!abc:mozilla.org.on-failed"]
    task["task"]["extra"]["notify"] = {"email": {"subject": "Firefox 121.0b3 pushed", "content": "..."}, "matrixBody": "x"}
    return task


def test_owner_only():
    out = run_staging(make_config(owner="alice@example.com"), notify_task())
    assert out["task"]["routes"] == [
        "index.x", "notify.email.alice@example.com.on-completed", "notify.email.alice@example.com.on-failed",
    ]
    assert out["task"]["scopes"] == ["queue:route:notify.email.alice@example.com.*"]
    assert out["task"]["extra"]["notify"] == {"email": {
        "subject": "[staging alice] Firefox 121.0b3 build1 (beta) push phase", "content": "...",
    }}


@pytest.mark.parametrize("owner, problem", [
    ("alice", "'alice' is not an email address"),
    # An '@' alone is not an address: the routes would name a recipient notify cannot reach.
    ("bob\n@example.com", "'bob\\\\n@example.com' is not an email address"),
    ("a" * 60 + "@" + ".".join(["b" * 60] * 3) + ".com", "is too long"),
])
def test_owner_must_be_an_address(owner, problem):
    with pytest.raises(ConfigError, match=r"task release-notify-push-firefox: the push owner: .*" + problem):
        run_staging(make_config(owner=owner), notify_task())


def test_a_succeed_worker_task_becomes_a_message_check():
    import json
    import subprocess
    import sys
    from types import SimpleNamespace

    config = make_config(owner="alice@example.com")
    workers = {"b-linux": {"provisioner": "{trust-domain}-{level}", "implementation": "docker-worker", "os": "linux", "worker-type": "b-linux-gcp"}}
    from taskgraph.config import GraphConfig

    graph_config = GraphConfig(dict(config.graph_config, workers={"aliases": workers}), root_dir="taskcluster")
    config = SimpleNamespace(params=config.params, graph_config=graph_config, kind="test")
    task = notify_task()
    task["task"].update(provisionerId="built-in", workerType="succeed", payload={})
    out = run_staging(config, task)["task"]
    assert (out["provisionerId"], out["workerType"]) == ("gecko-1", "b-linux-gcp")
    message = json.loads(out["payload"]["env"]["STAGING_NOTIFICATION"])
    assert message == {
        "production_recipients": ["release-signoff@mozilla.org"],
        "production_routes": ["notify.email.release-signoff@mozilla.org.on-completed", "notify.matrix-room.!abc:mozilla.org.on-failed"],
        "subject": "Firefox 121.0b3 pushed",
        "content": "...",
        "try_subject": "[staging alice] Firefox 121.0b3 build1 (beta) push phase",
    }
    assert "public/notification.json" in out["payload"]["artifacts"]
    # The command is a real check: it fails on an unfilled placeholder.
    script = out["payload"]["command"][-1]
    for subject, code in (("Firefox 121.0b3 pushed", 0), ("{Product} pushed", 1)):
        env = dict(out["payload"]["env"], STAGING_NOTIFICATION=json.dumps(dict(message, subject=subject)), ARTIFACT_PATH="/dev/null")
        assert subprocess.run([sys.executable, "-c", script], env=env, capture_output=True).returncode == code


def message_check_config(workers, notify_check=None):
    from types import SimpleNamespace

    from taskgraph.config import GraphConfig

    config = make_config(owner="alice@example.com")
    raw = dict(config.graph_config, workers={"aliases": workers})
    if notify_check is not None:
        raw["staging-release"] = dict(raw["staging-release"], **{"notify-check": notify_check})
    return SimpleNamespace(params=config.params, graph_config=GraphConfig(raw, root_dir="taskcluster"), kind="test")


def succeed_notify_task():
    task = notify_task()
    task["task"].update(provisionerId="built-in", workerType="succeed", payload={})
    return task


DOCKER = {"provisioner": "{trust-domain}-{level}", "implementation": "docker-worker", "os": "linux"}


@pytest.mark.parametrize(
    "workers, notify_check, problem",
    [
        pytest.param({"linux": dict(DOCKER, **{"worker-type": "t-linux"})}, None,
                     r"'b-linux' is not in workers.aliases; set staging-release.notify-check.worker-type in config.yml "
                     r"to one of your docker-worker aliases \(linux\)", id="host-without-b-linux"),
        pytest.param({"b-linux": {"provisioner": "p", "implementation": "generic-worker", "os": "linux", "worker-type": "w"}}, None,
                     r"'b-linux' is not a docker-worker alias.*\(none: add one to workers.aliases\)", id="b-linux-not-docker"),
    ],
)
def test_a_host_without_the_default_alias_is_told_which_key_to_set(workers, notify_check, problem):
    with pytest.raises(ConfigError, match=r"task release-notify-push-firefox: the Try form of a no-op notification runs on a docker worker, and " + problem):
        run_staging(message_check_config(workers, notify_check), succeed_notify_task())


def test_a_host_names_its_own_docker_alias():
    workers = {"linux": dict(DOCKER, **{"worker-type": "t-linux"})}
    out = run_staging(message_check_config(workers, {"worker-type": "linux"}), succeed_notify_task())["task"]
    assert (out["provisionerId"], out["workerType"]) == ("gecko-1", "t-linux")


def test_a_notification_check_alias_may_be_one_of_taskgraphs_alias_patterns():
    """comm's workers.aliases has "b-linux.*", which taskgraph matches as a pattern (issue 17)."""
    from taskgraph_staging.staging.transforms.notify import check_worker_alias

    aliases = {"b-linux.*": {"provisioner": "comm-{level}", "implementation": "docker-worker", "os": "linux", "worker-type": "{alias}"}}
    config = {"trust-domain": "comm", "workers": {"aliases": aliases}}
    assert check_worker_alias(config, "b-linux", "release-notify-ship-thunderbird") == "b-linux"
