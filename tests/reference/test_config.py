"""The reference config.yml's release-promotion section."""

import pytest

from taskgraph_staging.interfaces.actions.input import flavors
from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, load_config

NOTIFY_KINDS = {"release-notify-promote", "release-notify-push", "release-notify-ship"}


@pytest.fixture(scope="module")
def reference_flavors():
    return flavors(load_config(REFERENCE_ROOT))


def test_each_phase_rebuilds_only_its_own_notification(reference_flavors):
    """As gecko: a phase graph reuses earlier phases' notifications and re-creates only its own."""
    notified = {name: sorted(set(f.rebuild_kinds) & NOTIFY_KINDS) for name, f in reference_flavors.items()}
    assert notified == {
        "promote_devedition": ["release-notify-promote"],
        "push_devedition": ["release-notify-push"],
        "ship_devedition": ["release-notify-ship"],
        "promote_firefox": ["release-notify-promote"],
        "promote_firefox_rc": ["release-notify-promote"],
        "promote_firefox_partner_repack": [],
        "promote_firefox_partner_attribution": [],
        "push_firefox": ["release-notify-push"],
        "ship_firefox": ["release-notify-ship"],
        "ship_firefox_rc": ["release-notify-ship"],
        "promote_fenix": ["release-notify-promote"],
        "push_fenix": ["release-notify-push"],
        "ship_fenix": ["release-notify-ship"],
    }


def test_partner_flavors_rebuild_their_partner_kinds(reference_flavors):
    """The real config's partner flavors rebuild 8 and 2 kinds (mozilla-firefox/firefox 06816e114b92)."""
    assert reference_flavors["promote_firefox_partner_repack"].rebuild_kinds == (
        "release-partner-repack",
        "release-partner-repack-chunking-dummy",
        "release-partner-repack-signing",
        "release-partner-repack-mac-signing",
        "release-partner-repack-mac-notarization",
        "release-partner-repack-repackage",
        "release-partner-repack-repackage-signing",
        "release-partner-repack-beetmover",
    )
    assert reference_flavors["promote_firefox_partner_attribution"].rebuild_kinds == (
        "release-partner-attribution", "release-partner-attribution-beetmover")


#: The real config.yml's desktop flavors (mozilla-firefox/firefox taskcluster/config.yml at
#: 06816e114b92): product, target-tasks-method, partial-updates, version-bump.
REAL_DESKTOP_FLAVORS = {
    "promote_devedition": ("devedition", "promote_desktop", True, False),
    "promote_firefox": ("firefox", "promote_desktop", True, False),
    "promote_firefox_partner_repack": ("firefox", "promote_desktop", False, False),
    "promote_firefox_partner_attribution": ("firefox", "promote_desktop", False, False),
    "push_devedition": ("devedition", "push_desktop", True, False),
    "push_firefox": ("firefox", "push_desktop", True, False),
    "ship_devedition": ("devedition", "ship_desktop", True, True),
    "ship_firefox": ("firefox", "ship_desktop", True, True),
}


@pytest.mark.parametrize("name", sorted(REAL_DESKTOP_FLAVORS))
def test_desktop_flavors_are_the_real_configs(reference_flavors, name):
    flavor = reference_flavors[name]
    assert (flavor.product, flavor.target_tasks_method, flavor.partial_updates, flavor.version_bump) == REAL_DESKTOP_FLAVORS[name]
    assert not flavor.is_rc


def test_rc_flavors_are_kept_on_the_real_methods(reference_flavors):
    """Behaviour is chosen apart from the version, so the RC phases stay flavors of their own;
    they run the real tree's methods, which tell an RC by the release type."""
    rc = {name: (f.target_tasks_method, f.is_rc) for name, f in reference_flavors.items() if f.is_rc}
    assert rc == {"promote_firefox_rc": ("promote_desktop", True), "ship_firefox_rc": ("ship_desktop", True)}


def test_global_rebuild_kinds_are_the_real_configs():
    config = load_config(REFERENCE_ROOT)["release-promotion"]
    assert config["rebuild-kinds"] == ["docker-image", "fetch", "packages", "toolchain"]
