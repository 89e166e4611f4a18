"""The AMO langpack push as in Firefox's tree (issue 15): release-push-langpacks
(mozilla-firefox/firefox taskcluster/kinds/release-push-langpacks,
transforms/release_sign_and_push_langpacks.py, read in SAP/project-foxhound at
271a916111ae) and release-balrog-scheduling waiting for it (kinds/release-balrog-scheduling,
read there at 8770be4151c7)."""

import pytest


def pushes(graph, product):
    return {t.attributes["locale"]: t for t in graph.tasks.values() if t.kind == "release-push-langpacks" and t.attributes["shipping_product"] == product}


def test_each_linux64_langpack_goes_to_amo_production(production_graph):
    found = pushes(production_graph, "firefox")
    locales = {t.attributes["locale"] for t in production_graph.tasks.values() if t.kind == "shippable-l10n" and t.attributes["shipping_product"] == "firefox"}
    assert set(found) == locales | {"en-US"}
    de, en = found["de"], found["en-US"]
    assert de.dependencies == {"build": "shippable-l10n-firefox-linux64-de"}
    assert en.dependencies == {"build": "build-firefox-linux64"}
    for task in (de, en):
        assert task.attributes["shipping_phase"] == "promote"
        assert task.task["workerType"] == "gecko-3-addon"
        assert task.task["scopes"] == ["project:releng:addons.mozilla.org:server:production"]
        assert task.task["tags"]["worker-implementation"] == "scriptworker"
    # generate_upstream_artifacts: taskType build, public/build[/<locale>]/target.langpack.xpi
    assert de.task["payload"] == {
        "channel": "listed",
        "upstreamArtifacts": [{"taskId": {"task-reference": "<build>"}, "taskType": "build", "paths": ["public/build/de/target.langpack.xpi"]}],
    }
    assert en.task["payload"]["upstreamArtifacts"][0]["paths"] == ["public/build/target.langpack.xpi"]
    assert de.task["metadata"]["description"].startswith("Sends de XPIs for platform to addons.mozilla.org")


@pytest.mark.parametrize("product, channel", [("firefox", "listed"), ("devedition", "unlisted")])
def test_the_channel_is_the_real_tree_s_on_mozilla_beta(production_graph, product, channel):
    assert {t.task["payload"]["channel"] for t in pushes(production_graph, product).values()} == {channel}


def test_balrog_scheduling_waits_for_the_langpack_push(production_graph):
    for product in ("firefox", "devedition"):
        scheduling = production_graph.tasks[f"release-balrog-scheduling-{product}"]
        pushed = {label for label in scheduling.dependencies.values() if label.startswith("release-push-langpacks-")}
        assert pushed == {t.label for t in pushes(production_graph, product).values()}
        assert "release-bouncer-check" in scheduling.dependencies
