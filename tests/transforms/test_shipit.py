"""mark-as-shipped on Try: staging Ship-it, the release name Ship-it itself gives (no namespace)."""

import pytest

from issue3_tasks import PREFIX, finished, make_config, run_staging


@pytest.mark.parametrize("server_scope,staging_scope", [
    pytest.param("ship-it:server:production", "ship-it:server:staging", id="mozilla-taskgraph"),
    pytest.param("ship-it:production", "ship-it:staging", id="cot-table"),
])
def test_mark_as_shipped(server_scope, staging_scope):
    task = finished("release-mark-as-shipped-firefox", "release-mark-as-shipped", "gecko-3-shipit",
                    [f"{PREFIX}:ship-it:action:mark-as-shipped", f"{PREFIX}:{server_scope}"],
                    {"release_name": "Firefox-121.0b3-build1"}, phase="ship")
    out = run_staging(make_config(services={"pools": {"shipit": "scriptworker-k8s/gecko-1-shipit-lib-one"}}), task)
    assert out["task"]["scopes"] == sorted([f"{PREFIX}:ship-it:action:mark-as-shipped", f"{PREFIX}:{staging_scope}"])
    assert out["task"]["payload"] == {"release_name": "Firefox-121.0b3-build1"}
    assert out["task"]["workerType"] == "gecko-1-shipit-lib-one"
