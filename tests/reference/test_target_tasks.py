"""Target-task methods select the right phases of the reference graph."""

import pytest
from taskgraph.target_tasks import get_method

from taskgraph_staging.staging.target_tasks import phase_target_method


@pytest.fixture(scope="module")
def full(production_graph):
    return production_graph


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
def test_phase_methods(full, production_params, method, phases, product):
    labels = get_method(method)(full, production_params, None)
    tasks = [full.tasks[label] for label in labels]
    assert {t.attributes["shipping_phase"] for t in tasks} == phases
    assert {t.attributes["shipping_product"] for t in tasks} == {product}
    assert not any(t.kind.startswith(("release-partner", "release-eme-free")) for t in tasks)


def test_partner_kinds_follow_their_flag(full, production_params):
    params = dict(production_params, release_enable_partner_repack=True)
    kinds = {full.tasks[label].kind for label in get_method("promote_firefox")(full, params, None)}
    assert "release-partner-repack" in kinds and "release-partner-attribution" not in kinds
    assert not any(k.startswith("release-eme-free") for k in kinds)
    emefree = {full.tasks[label].kind for label in get_method("promote_firefox")(full, dict(production_params, release_enable_emefree=True), None)}
    assert {k for k in emefree if k.startswith("release-eme-free")} == {
        "release-eme-free-repack", "release-eme-free-repack-mac-signing", "release-eme-free-repack-repackage",
        "release-eme-free-repack-repackage-signing", "release-eme-free-repack-beetmover", "release-eme-free-repack-beetmover-checksums"}
    only = {full.tasks[label].kind for label in get_method("promote_firefox_partner_repack")(full, production_params, None)}
    assert only - {"build", "build-signing", "shippable-l10n", "shippable-l10n-signing", "repackage", "repackage-signing", "repackage-shippable-l10n-msix"} == {
        "release-partner-repack", "release-partner-repack-mac-signing", "release-partner-repack-repackage",
        "release-partner-repack-repackage-signing", "release-partner-repack-beetmover"}


def test_phase_target_method():
    assert phase_target_method("firefox", "push") == "push_firefox"
    assert phase_target_method("firefox", "ship", rc=True) == "ship_firefox_rc"
    assert phase_target_method("firefox", "build", rc=True) == "staging_release_builds"
    assert phase_target_method("fenix", "build") == "staging_release_builds"
    with pytest.raises(ValueError, match="no target-task method for phase 'push' \\(RC\\)"):
        phase_target_method("firefox", "push", rc=True)
