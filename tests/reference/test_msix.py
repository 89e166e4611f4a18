"""release-msix-push: the Store MSIX packages of every Windows platform, pushed early when published manually."""

import pytest

RELEASES = [
    pytest.param(dict(version="121.0b3", next_version="121.0b4", release_type="beta"), "beta", "Immediate", "ship", id="beta"),
    pytest.param(dict(version="121.0", next_version="121.0.1", release_type="release"), "release", "Manual", "promote", id="release"),
]


@pytest.mark.parametrize("release, channel, mode, phase", RELEASES)
def test_msix_push(graph, release, channel, mode, phase):
    full = graph(production=True, build_number=1, release_product="firefox", **release)
    (push,) = [t for t in full.tasks.values() if t.kind == "release-msix-push"]
    repacks = sorted(t.label for t in full.tasks.values() if t.kind == "repackage-shippable-l10n-msix")
    assert repacks == ["repackage-shippable-l10n-msix-firefox-win32", "repackage-shippable-l10n-msix-firefox-win64"]
    assert sorted(push.dependencies.values()) == repacks
    payload = push.task["payload"]
    assert (payload["channel"], payload["publishMode"], push.attributes["shipping_phase"]) == (channel, mode, phase)
    assert [a["paths"] for a in payload["upstreamArtifacts"]] == [["public/build/target.store.msix"]] * 2
    assert push.task["scopes"] == [f"project:releng:microsoftstore:{channel}"]
