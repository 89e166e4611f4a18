"""What landoscript lands on the staging Lando: the version bump diff moves the right
files to the next version, and the tags are the namespaced production names."""

import json
import os

import pytest

import tasks

pytestmark = pytest.mark.workers


@pytest.fixture(scope="module")
def landings(suite):
    selected, _ = tasks.select(["firefox-beta-promote-alice", "firefox-beta-ship-alice"], ci=False)
    ran = {}
    for label in ("release-early-tagging-firefox", "release-version-bump-firefox"):
        sel = next(s for s in selected if s.label == label)
        before = len(suite.services.lando_state.jobs)
        app = suite.app(sel.worker, slot=98)
        outcome = suite.harness.run_task(app, sel.task_id, sel.definition, lambda cot: None, extra_env=suite.services.env_for(sel.worker))
        assert outcome.completed, outcome.message
        ran[label] = (outcome, suite.services.lando_state.jobs[before:])
    return ran


def test_tagging_lands_the_namespaced_build_tag_on_the_try_revision(landings):
    outcome, jobs = landings["release-early-tagging-firefox"]
    assert [(j["repo"], j["status"]) for j in jobs] == [("staging-firefox-beta", "LANDED")]
    assert [(a["action"], a["name"]) for a in jobs[0]["actions"]] == [("tag", "FIREFOX_121_0b3_BUILD1_STAGING_ALICE")]


def test_version_bump_lands_the_next_version_of_the_beta_files(landings):
    outcome, jobs = landings["release-version-bump-firefox"]
    assert [(j["repo"], j["status"]) for j in jobs] == [("staging-firefox-beta", "LANDED")]
    tag, commit = sorted(jobs[0]["actions"], key=lambda a: a["action"] != "tag")
    assert tag["name"] == "FIREFOX_121_0b3_RELEASE_STAGING_ALICE"
    changed = [line for line in commit["diff"].splitlines() if line.startswith(("+++", "-1", "+1"))]
    assert changed == [
        "+++ b/browser/config/version_display.txt", "-121.0b3", "+121.0b4",
        "+++ b/mobile/android/version.txt", "-121.0b3", "+121.0b4",
    ]
    with open(os.path.join(outcome.artifacts_dir, "public", "build", "version-bump.diff")) as fh:
        assert fh.read() == commit["diff"]
    with open(os.path.join(outcome.artifacts_dir, "public", "build", "lando-status.json")) as fh:
        assert json.load(fh)["failure_reason"] == ""
