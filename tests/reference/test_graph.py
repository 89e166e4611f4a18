"""The reference release graph at production level holds every release task type in its phase."""

import pytest


#: kind -> (phase, products); the graph is a beta's, so Devedition (beta only) is in it
#: wherever the real tree has it. No partner is published (no release_partner_config), so
#: the partner Bouncer submission has no entries and no task.
EXPECTED_KINDS = {
    "build": ("build", {"firefox", "fenix", "devedition"}),
    "build-signing": ("build", {"firefox", "fenix", "devedition"}),
    "shippable-l10n": ("build", {"firefox", "devedition"}),
    "shippable-l10n-signing": ("build", {"firefox", "devedition"}),
    "repackage": ("build", {"firefox", "devedition"}),
    "repackage-signing": ("build", {"firefox", "devedition"}),
    "partials": ("promote", {"firefox", "devedition"}),
    "partials-signing": ("promote", {"firefox", "devedition"}),
    "beetmover-repackage": ("promote", {"firefox", "devedition"}),
    "repackage-deb": ("promote", {"firefox", "devedition"}),
    "repackage-deb-l10n": ("promote", {"firefox", "devedition"}),
    "beetmover-apt": ("ship", {"firefox", "devedition"}),
    "repackage-rpm": ("promote", {"firefox", "devedition"}),
    "repackage-rpm-signing": ("promote", {"firefox", "devedition"}),
    "beetmover-repackage-rpm": ("promote", {"firefox", "devedition"}),
    "beetmover-rpm": ("ship", {"firefox", "devedition"}),
    "release-push-langpacks": ("promote", {"firefox", "devedition"}),
    "beetmover-checksums": ("promote", {"firefox", "devedition"}),
    "balrog": ("promote", {"firefox", "devedition"}),
    "release-generate-checksums": ("promote", {"firefox", "devedition"}),
    "release-generate-checksums-signing": ("promote", {"firefox", "devedition"}),
    "release-generate-checksums-beetmover": ("promote", {"firefox", "devedition"}),
    "release-balrog-submit-toplevel": ("promote", {"firefox", "devedition"}),
    "release-bouncer-sub": ("promote", {"firefox", "devedition"}),
    "release-early-tagging": ("promote", {"firefox", "fenix", "devedition"}),
    "release-update-verify-config": ("promote", {"firefox", "devedition"}),
    "release-update-verify": ("promote", {"firefox", "devedition"}),
    "release-notify-promote": ("promote", {"firefox", "fenix", "devedition"}),
    "release-source": ("promote", {"firefox", "devedition"}),
    "release-source-signing": ("promote", {"firefox", "devedition"}),
    "beetmover-source": ("promote", {"firefox", "devedition"}),
    "release-source-checksums-signing": ("promote", {"firefox", "devedition"}),
    "release-beetmover-source-checksums": ("promote", {"firefox", "devedition"}),
    "release-beetmover-signed-langpacks": ("promote", {"firefox", "devedition"}),
    "release-notify-started": ("promote", {"devedition", "firefox", "fenix"}),
    "repackage-flatpak": ("promote", {"firefox"}),
    "release-flatpak-push": ("ship", {"firefox"}),
    "repackage-shippable-l10n-msix": ("build", {"firefox"}),
    "release-msix-push": ("ship", {"firefox"}),
    "release-snap-repackage": ("promote", {"firefox"}),
    "release-partner-repack": ("promote", {"firefox"}),
    "release-partner-repack-mac-signing": ("promote", {"firefox"}),
    "release-partner-repack-repackage": ("promote", {"firefox"}),
    "release-partner-repack-repackage-signing": ("promote", {"firefox"}),
    "release-partner-repack-beetmover": ("promote", {"firefox"}),
    "release-eme-free-repack": ("promote", {"firefox"}),
    "release-eme-free-repack-mac-signing": ("promote", {"firefox"}),
    "release-eme-free-repack-repackage": ("promote", {"firefox"}),
    "release-eme-free-repack-repackage-signing": ("promote", {"firefox"}),
    "release-eme-free-repack-beetmover": ("promote", {"firefox"}),
    "release-eme-free-repack-beetmover-checksums": ("promote", {"firefox"}),
    "release-partner-attribution": ("promote", {"firefox"}),
    "release-partner-attribution-beetmover": ("promote", {"firefox"}),
    "release-beetmover-push-to-release": ("push", {"firefox", "devedition"}),
    "release-bouncer-check": ("push", {"firefox", "devedition"}),
    "release-final-verify": ("push", {"firefox", "devedition"}),
    "release-snap-push": ("push", {"firefox"}),
    "release-notify-push": ("push", {"firefox", "fenix", "devedition"}),
    "release-balrog-scheduling": ("ship", {"firefox", "devedition"}),
    "release-bouncer-aliases": ("ship", {"firefox", "devedition"}),
    "release-mark-as-shipped": ("ship", {"firefox", "fenix", "devedition"}),
    "release-version-bump": ("ship", {"firefox", "fenix", "devedition"}),
    "release-notify-ship": ("ship", {"firefox", "fenix", "devedition"}),
    "beetmover-android-app": ("promote", {"fenix"}),
    "push-bundle": ("push", {"fenix"}),
    # The android-components: built and signed in promote, published to maven in ship.
    "build-components": ("promote", {"fenix"}),
    "signing": ("promote", {"fenix"}),
    "beetmover-components": ("ship", {"fenix"}),
    # push-apks (Samsung) exists for release and release-rc only: this graph is a beta.
    # The release-secondary-* kinds are release-rc's only, release-update-verify(-config)-next
    # esr115's only (tests/reference/test_secondary_real_tree.py).
}


@pytest.fixture(scope="module")
def full(production_graph):
    return production_graph


def test_every_kind_in_its_phase(full):
    seen = {}
    for task in full.tasks.values():
        entry = seen.setdefault(task.kind, (set(), set()))
        entry[0].add(task.attributes["shipping_phase"])
        entry[1].add(task.attributes["shipping_product"])
    # Each kind's tasks share one phase: a task of another phase fails here.
    assert seen == {kind: ({phase}, products) for kind, (phase, products) in EXPECTED_KINDS.items()}


def test_locale_tasks_cover_platforms_and_shipped_locales(full):
    repacks = {(t.attributes["build_platform"], t.attributes["locale"]) for t in full.tasks.values() if t.kind == "repackage"}
    platforms = {"linux64", "linux64-aarch64", "macosx64", "win64", "win32"}
    assert {p for p, _ in repacks} == platforms
    assert len(repacks) == 5 * 15
    assert ("win64", "de") in repacks and ("macosx64", "en-US") in repacks


def test_dependencies_follow_the_release_flow(full):
    tasks = full.tasks
    assert tasks["beetmover-repackage-firefox-win64-de"].dependencies == {
        "signed-build": "shippable-l10n-signing-firefox-win64-de",
        "repackage-signing": "repackage-signing-firefox-win64-de",
        "partials-signing-partials-signing-firefox-win64-de-from-120.0b8": "partials-signing-firefox-win64-de-from-120.0b8",
        "partials-signing-partials-signing-firefox-win64-de-from-120.0b9": "partials-signing-firefox-win64-de-from-120.0b9",
    }
    for label, task in tasks.items():
        phases = ("build", "promote", "push", "ship")
        for dep in task.dependencies.values():
            upstream = tasks[dep]
            assert upstream.attributes["shipping_product"] == task.attributes["shipping_product"], label
            assert phases.index(upstream.attributes["shipping_phase"]) <= phases.index(task.attributes["shipping_phase"]), label


def test_partials_take_endpoints_from_env(full):
    env = full.tasks["partials-firefox-linux64-fr-from-120.0b9"].task["payload"]["env"]
    assert env["FROM_MAR_URL"] == (
        "https://archive.mozilla.org/pub/firefox/candidates/120.0b9-candidates/build1/update/linux-x86_64/fr/firefox-120.0b9.complete.mar"
    )
    assert (env["FROM_VERSION"], env["FROM_BUILD_NUMBER"], env["TO_VERSION"]) == ("120.0b9", "1", "121.0b3")


def test_production_scopes_and_pools(full):
    tasks = full.tasks
    # The server scope alone, as the real tree's add_balrog_scopes.
    assert tasks["balrog-firefox-linux64-de"].task["scopes"] == ["project:releng:balrog:server:beta"]
    assert "project:releng:beetmover:bucket:release" in tasks["beetmover-repackage-firefox-linux64-de"].task["scopes"]
    assert tasks["release-early-tagging-firefox"].task["scopes"] == [
        "project:releng:lando:action:tag", "project:releng:lando:repo:firefox-beta"]
    assert tasks["release-mark-as-shipped-firefox"].task["payload"] == {"release_name": "Firefox-121.0b3-build1"}
    assert tasks["release-mark-as-shipped-firefox"].task["scopes"] == [
        "project:releng:ship-it:action:mark-as-shipped", "project:releng:ship-it:server:production"]
    assert tasks["build-signing-firefox-win64"].task["workerType"] == "gecko-3-signing"
    assert tasks["push-bundle-fenix"].task["scopes"] == ["project:releng:googleplay:product:fenix"]
    assert tasks["push-bundle-fenix"].task["payload"]["channel"] == "fenix-beta"


@pytest.mark.parametrize(
    "release_type, channels, rules",
    [
        pytest.param("beta", ["beta", "beta-localtest", "beta-cdntest"], ["firefox-beta-cdntest", "firefox-beta-localtest"], id="beta"),
        pytest.param("release", ["release", "release-localtest", "release-cdntest"], ["firefox-release-cdntest", "firefox-release-localtest"], id="release"),
    ],
)
def test_by_release_type(graph, production_params, release_type, channels, rules):
    version = "121.0b3" if release_type == "beta" else "121.0"
    graph = graph(production=True, **dict(production_params, version=version, release_type=release_type))
    payload = graph.tasks["release-balrog-submit-toplevel-firefox"].task["payload"]
    assert (payload["channel_names"], payload["rules_to_update"]) == (channels, rules)
