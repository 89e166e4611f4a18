"""Two namespaces on one real Balrog: alice and bob both release 121.0b3.

Each namespace's promote-phase Balrog chain runs through the real workers, as the
suite runs them: beetmoverscript pushes the en-US Linux build to candidates (its
``public/manifest.json`` feeds balrogscript), balrogscript creates the release blobs
and points the namespace's test-channel rules at them (submit-toplevel), then adds
the locale (v2-submit-locale). Then Balrog's public update API, asked as an older
Firefox would ask on each channel, must answer each namespace with its own release
only, every URL inside its own namespace; and bob's submissions change nothing alice
gets.

Balrog's public app caches the rules of a product and platform for 30 seconds (as in
production): a namespace's answers are read once its release shows on its localtest
channel, and alice's again once bob's shows on his, so the caches hold bob's changes.
"""

import re
import time

import pytest

import artifacts
import tasks

pytestmark = pytest.mark.workers

NAMESPACES = ("alice", "bob")
LABELS = ("beetmover-repackage-firefox-linux64-en-US", "release-balrog-submit-toplevel-firefox", "balrog-firefox-linux64-en-US")
#: An older Firefox beta on Linux asking for an update (Balrog's update URL fields).
CLIENT = {"product": "Firefox", "version": "120.0", "build_id": "20231101000000", "build_target": "Linux_x86_64-gcc3", "locale": "en-US"}
CHANNELS = ("beta-localtest", "beta-cdntest", "beta")
DISPLAY_VERSION = 'displayVersion="121.0 Beta 3"'
#: Longer than Balrog's public caches of rules (30 s) and data versions (60 s).
CACHE_WAIT = 150


def run_chain(suite, namespace):
    """Run the chain of ``namespace``'s promote graph, upstream first; fail with the
    worker's own words if a task does not complete."""
    pset = f"firefox-beta-promote-{namespace}"
    selected, _ = tasks.select([pset], whole=[pset], ci=False)
    by_label = {s.label: s for s in selected}
    produced = {}
    for label in LABELS:
        sel = by_label[label]
        app = suite.app(sel.worker, slot=98)  # a work dir of its own, apart from the suite's slots
        outcome = suite.harness.run_task(app, sel.task_id, sel.definition, lambda cot: artifacts.place(cot, sel.definition, produced, suite.mar_tool), extra_env=suite.services.env)
        assert outcome.completed, f"{sel.worker} did not complete {namespace}:{label}: {outcome.message}\n{outcome.log[-2000:]}"
        produced[sel.task_id] = outcome.artifacts_dir


def answers(suite, namespace):
    """``{channel: update XML}`` the public API gives the client on ``namespace``'s channels."""
    return {channel: suite.services.balrog.update(channel=f"{namespace}-{channel}", **CLIENT) for channel in CHANNELS}


def answers_once_released(suite, namespace):
    """``namespace``'s answers once its localtest channel offers 121.0b3 (or after
    :data:`CACHE_WAIT`, whatever they are then)."""
    deadline = time.monotonic() + CACHE_WAIT
    while True:
        found = answers(suite, namespace)
        if DISPLAY_VERSION in found["beta-localtest"] and DISPLAY_VERSION in found["beta-cdntest"] or time.monotonic() > deadline:
            return found
        time.sleep(3)


def urls(xml):
    """The patch URLs of an update XML."""
    return re.findall(r'<patch [^>]*\bURL="([^"]+)"', xml)


@pytest.fixture(scope="module")
def submitted(suite):
    """Each namespace's answers right after its own submission, and alice's after bob's."""
    seen = {}
    for namespace in NAMESPACES:
        run_chain(suite, namespace)
        seen[namespace] = answers_once_released(suite, namespace)
    seen["alice-after-bob"] = answers(suite, "alice")
    return seen


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_each_namespace_gets_its_own_release_with_urls_in_its_namespace(submitted, namespace):
    other = next(n for n in NAMESPACES if n != namespace)
    for channel in ("beta-localtest", "beta-cdntest"):
        xml = submitted[namespace][channel]
        assert DISPLAY_VERSION in xml, f"{namespace}-{channel}: no 121.0b3 update\n{xml}"
        found = urls(xml)
        assert found, f"{namespace}-{channel}: an update without a patch URL\n{xml}"
        for url in found:
            assert f"staging-{namespace}" in url or f"/staging/{namespace}/" in url, f"{namespace}-{channel}: {url} is outside namespace {namespace}"
            assert other not in url, f"{namespace}-{channel}: {url} names namespace {other}"
    # The release channel's rule stays on its seed until a schedule publishes it.
    assert "<update " not in submitted[namespace]["beta"], submitted[namespace]["beta"]


def test_localtest_points_at_the_namespaced_candidates(submitted):
    (url,) = urls(submitted["alice"]["beta-localtest"])
    assert url == "https://ftp.stage.mozaws.net/staging/alice/pub/firefox/candidates/121.0b3-candidates/build1/update/linux-x86_64/en-US/firefox-121.0b3.complete.mar"


#: The beta what's-new page (the what's-new config's show-url entry for beta channels).
WHATS_NEW = "https://www.firefox.com/en-US/whatsnew/121.0beta/"


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_each_namespace_gets_the_whats_new_page_on_its_channels(submitted, namespace):
    """The update line's channels are the namespace's: an older Firefox on its test
    channels is sent to the beta what's-new page (actions showURL, openURL)."""
    for channel in ("beta-localtest", "beta-cdntest"):
        xml = submitted[namespace][channel]
        assert 'actions="showURL"' in xml and f'openURL="{WHATS_NEW}' in xml, f"{namespace}-{channel}: no what's-new page\n{xml}"
        assert 'detailsURL="https://www.mozilla.org/en-US/firefox/121.0/releasenotes/"' in xml, xml


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_the_no_wnp_blob_and_the_test_channel_pins(suite, submitted, namespace):
    """balrogscript made the blob without what's-new pages beside the one with them, and
    pinned the namespace's test channels (121. and 121.0.) to the release."""
    blob = f"Firefox-121.0b3-build1-staging-{namespace}"
    no_wnp = suite.services.balrog.get(f"/v2/releases/{blob}-No-WNP")["blob"]
    assert [item["fields"].get("actions") for item in no_wnp["updateLine"]] == [None]
    wnp = suite.services.balrog.get(f"/v2/releases/{blob}")["blob"]
    assert any(item["fields"].get("actions") == "showURL" for item in wnp["updateLine"])
    for channel in ("beta-localtest", "beta-cdntest"):
        for version in ("121.", "121.0."):
            pin = suite.services.balrog.get(f"/v2/pins/Firefox/{namespace}-{channel}/{version}")
            assert pin["mapping"] == blob, pin


def test_submitting_bob_changes_nothing_alice_gets(submitted):
    assert submitted["alice-after-bob"] == submitted["alice"]
