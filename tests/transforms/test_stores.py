"""Store pushes on Try: pushapk dep + commit false; snap, flatpak, msix channel mock."""

import pytest

from issue3_tasks import PREFIX, finished, make_config, run_staging

UPSTREAM = [{"taskId": "abc", "taskType": "signing", "paths": ["public/build/target.apk"]}]


def test_pushapk():
    task = finished("push-apk-fenix", "push-apk", "gecko-3-pushapk", [f"{PREFIX}:googleplay:product:fenix"],
                    {"upstreamArtifacts": UPSTREAM, "channel": "beta", "commit": True}, phase="ship", product="fenix")
    out = run_staging(make_config(), task)
    assert out["task"]["scopes"] == [f"{PREFIX}:googleplay:product:fenix:dep"]
    assert out["task"]["payload"] == {"upstreamArtifacts": UPSTREAM, "channel": "beta", "commit": False}


@pytest.mark.parametrize("kind,scope,mocked", [
    pytest.param("release-snap-push", "snapcraft:firefox:beta", "snapcraft:firefox:mock", id="snap"),
    pytest.param("release-flatpak-push", "flathub:firefox:stable:org.mozilla.firefox", "flathub:firefox:mock:org.mozilla.firefox", id="flatpak"),
    pytest.param("release-msix-push", "microsoftstore:release", "microsoftstore:mock", id="msix"),
])
def test_mock_channels(kind, scope, mocked):
    task = finished(f"{kind}-firefox", kind, "gecko-3-push", [f"{PREFIX}:{scope}"],
                    {"upstreamArtifacts": UPSTREAM, "channel": "release"}, phase="ship")
    out = run_staging(make_config(), task)
    assert out["task"]["scopes"] == [f"{PREFIX}:{mocked}"]
    assert out["task"]["payload"] == {"upstreamArtifacts": UPSTREAM, "channel": "mock"}


def test_snap_push_says_its_worker_is_retired_upstream():
    """pushsnapscript was deleted upstream: the task's page and explain row say no worker runs it."""
    from taskgraph_staging.staging.transforms.explain import rows

    task = finished("release-snap-push-firefox", "release-snap-push", "gecko-3-pushsnap", [f"{PREFIX}:snapcraft:firefox:beta"],
                    {"upstreamArtifacts": UPSTREAM, "channel": "beta"}, phase="push")
    description = run_staging(make_config(), task)["task"]["metadata"]["description"]
    assert "No worker runs this task: pushsnapscript is retired upstream" in description
    (row,) = [r for r in rows() if r.family == "pushsnap"]
    assert "retired upstream" in row.production and "nothing fetches or inspects the snap" in row.cannot
    assert "still checked" not in row.summary
