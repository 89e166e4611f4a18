"""Target-task methods select the right phases of the reference graph."""

import pytest
from taskgraph.target_tasks import get_method

from taskgraph_staging.staging.target_tasks import phase_target_method


@pytest.fixture(scope="module")
def full(production_graph):
    return production_graph


@pytest.fixture
def params(production_params):
    """The release-promotion action's parameters of the production beta (a graph's
    parameters always hold its level and project)."""
    return dict(production_params, level="3", project="mozilla-beta")


@pytest.mark.parametrize(
    "method, phases, product",
    [
        pytest.param("promote_firefox", {"build", "promote"}, "firefox", id="promote"),
        pytest.param("push_firefox", {"build", "promote", "push"}, "firefox", id="push"),
        pytest.param("ship_firefox", {"build", "promote", "push", "ship"}, "firefox", id="ship"),
        pytest.param("promote_firefox_rc", {"build", "promote"}, "firefox", id="promote-rc"),
        pytest.param("ship_firefox_rc", {"build", "promote", "ship"}, "firefox", id="ship-rc"),
        pytest.param("ship_fenix", {"build", "promote", "push", "ship"}, "fenix", id="fenix"),
    ],
)
def test_phase_methods(full, params, method, phases, product):
    labels = get_method(method)(full, params, None)
    tasks = [full.tasks[label] for label in labels]
    assert {t.attributes["shipping_phase"] for t in tasks} == phases
    assert {t.attributes["shipping_product"] for t in tasks} == {product}
    assert not any(t.kind.startswith(("release-partner", "release-eme-free")) for t in tasks)


def test_partner_kinds_follow_their_flag(full, params):
    enabled = dict(params, release_enable_partner_repack=True)
    kinds = {full.tasks[label].kind for label in get_method("promote_firefox")(full, enabled, None)}
    assert "release-partner-repack" in kinds and "release-partner-attribution" not in kinds
    assert not any(k.startswith("release-eme-free") for k in kinds)
    emefree = {full.tasks[label].kind for label in get_method("promote_firefox")(full, dict(params, release_enable_emefree=True), None)}
    assert {k for k in emefree if k.startswith("release-eme-free")} == {
        "release-eme-free-repack", "release-eme-free-repack-mac-signing", "release-eme-free-repack-repackage",
        "release-eme-free-repack-repackage-signing", "release-eme-free-repack-beetmover", "release-eme-free-repack-beetmover-checksums"}
    only = {full.tasks[label].kind for label in get_method("promote_firefox_partner_repack")(full, params, None)}
    assert only - {"build", "build-signing", "shippable-l10n", "shippable-l10n-signing", "repackage", "repackage-signing", "repackage-shippable-l10n-msix"} == {
        "release-partner-repack", "release-partner-repack-mac-signing", "release-partner-repack-repackage",
        "release-partner-repack-repackage-signing", "release-partner-repack-beetmover"}


SECONDARY_KINDS = {
    "release-secondary-update-verify-config", "release-secondary-update-verify", "release-secondary-final-verify",
    "release-secondary-balrog-submit-toplevel", "release-secondary-balrog-scheduling",
}


#: A production RC's parameters (its full graph holds the secondary kinds: run-on-releases [release-rc]).
RC = dict(version="121.0", app_version="121.0", build_number=1, release_type="release-rc", release_product="firefox")


@pytest.mark.parametrize(
    "method, release_type, expected",
    [
        pytest.param("promote_firefox", "release", set(), id="release-promote"),
        pytest.param("ship_firefox", "release", set(), id="release-ship"),
        pytest.param("promote_firefox_rc", "release", SECONDARY_KINDS - {"release-secondary-balrog-scheduling"}, id="rc-method"),
        # The graph is an RC's: the phases are the method's, the secondary kinds the graph's.
        pytest.param("push_firefox", "release-rc", SECONDARY_KINDS - {"release-secondary-balrog-scheduling"}, id="rc-push"),
        pytest.param("promote_firefox", "release-rc", SECONDARY_KINDS - {"release-secondary-balrog-scheduling"}, id="rc-promote"),
        pytest.param("ship_firefox_rc", "release-rc", SECONDARY_KINDS | {"release-secondary-flatpak-push"}, id="rc-ship"),
    ],
)
def test_secondary_kinds_run_for_an_rc_only(graph, method, release_type, expected):
    """As gecko's promote/push/ship_desktop: 'secondary' kinds only when the release type is release-rc."""
    full = graph(production=True, **RC)
    params = dict(RC, level="3", project="mozilla-release", release_type=release_type)
    labels = get_method(method)(full, params, None)
    assert {full.tasks[label].kind for label in labels if "secondary" in full.tasks[label].kind} == expected


def test_no_secondary_kind_in_another_release(full):
    assert not [t for t in full.tasks.values() if "secondary" in t.kind]


def test_phase_target_method():
    assert phase_target_method("firefox", "push") == "push_firefox"
    assert phase_target_method("firefox", "ship", rc=True) == "ship_firefox_rc"
    assert phase_target_method("firefox", "build", rc=True) == "staging_release_builds"
    assert phase_target_method("fenix", "build") == "staging_release_builds"
    with pytest.raises(ValueError, match="no target-task method for phase 'push' \\(RC\\)"):
        phase_target_method("firefox", "push", rc=True)
