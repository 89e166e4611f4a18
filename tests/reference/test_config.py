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
    assert reference_flavors["promote_firefox_partner_repack"].rebuild_kinds == (
        "release-partner-repack", "release-partner-repack-signing", "release-partner-repack-beetmover")
    assert reference_flavors["promote_firefox_partner_attribution"].rebuild_kinds == (
        "release-partner-attribution", "release-partner-attribution-beetmover")
