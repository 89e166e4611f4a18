"""Release notifications on Try: the push owner only, subject naming namespace and behaviour."""

import pytest

from conftest import finished, make_config, run_staging
from taskgraph_staging.errors import ConfigError


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


def test_owner_must_be_an_address():
    with pytest.raises(ConfigError, match=r"task release-notify-push-firefox: the push owner 'alice' is not an email address"):
        run_staging(make_config(owner="alice"), notify_task())
