"""The suite passes a task only when it completed or when what a release engineer reads
names why it did not (report.verdict)."""

import pytest

import harness
import tasks
from report import NotHere, Retired, explained, verdict

pytestmark = pytest.mark.workers

GPG_FAILURE = (
    "2026-12-02 13:59:18,959 - scriptworker.client - ERROR - Failed to run async_main\n"
    "Traceback (most recent call last):\n  File \"sign.py\", line 1066, in verify_gpg\n"
    "signingscript.exceptions.FailedSubprocess: Command `gpgv --keyring k sig file` failed\n"
)


def selected(families, worker="signingscript", description="a task"):
    definition = {"extra": {"staging": {family: "rewritten" for family in families}}, "metadata": {"description": description}}
    return tasks.Selected("firefox-beta-build-alice", "build-signing-firefox-linux64", "t" * 22, worker, definition, {})


def test_a_limit_passes_only_where_the_family_s_explain_row_names_it():
    outcome = harness.Outcome(5, GPG_FAILURE, 0.1, "")
    assert outcome.limit_named == "gpg_pubkey_dep.asc" and outcome.limit_named in explained(selected(["signing"]).definition)
    assert verdict(selected(["signing"]), outcome, None) is None
    failure = verdict(selected(["beetmover"]), outcome, None)
    assert failure and "no explain row of its task families says so (no 'gpg_pubkey_dep.asc')" in failure


def test_a_refusal_or_an_unnamed_failure_fails_with_the_worker_s_words():
    refused = harness.Outcome(3, "jsonschema.exceptions.ValidationError: 'behavior' is a required property\n", 0.1, "")
    failure = verdict(selected(["signing"]), refused, None)
    assert failure.startswith("signingscript refused ") and "'behavior' is a required property" in failure
    other = harness.Outcome(1, "Traceback (most recent call last):\nKeyError: 'browser'\n", 0.1, "")
    assert "KeyError: 'browser'" in verdict(selected(["signing"]), other, None)


def test_a_worker_not_here_passes_only_where_the_explain_row_says_so():
    error = NotHere("iscript: its code is not in shared/upstream")
    assert NotHere.PHRASE in explained(selected(["signing"], worker="iscript").definition)
    assert verdict(selected(["signing"], worker="iscript"), None, error) is None
    assert "no explain row" in verdict(selected(["balrog"], worker="iscript"), None, error)


def test_addonscript_is_not_here_and_its_explain_row_says_so():
    from taskgraph_staging.model.workers import worker_not_here

    push = {"scopes": ["project:releng:addons.mozilla.org:server:staging"], "workerType": "gecko-1-addon"}
    assert tasks.worker_for(push) == worker_not_here(push, "project:releng") == "addonscript"
    error = NotHere("addonscript: its code is not in shared/upstream")
    assert verdict(selected(["addons"], worker="addonscript"), None, error) is None
    assert "no explain row" in verdict(selected(["beetmover"], worker="addonscript"), None, error)


def test_a_retired_worker_passes_only_where_the_task_s_page_says_so():
    error = Retired("pushsnapscript is retired upstream")
    assert verdict(selected([], worker="pushsnapscript", description="pushsnapscript is retired upstream (2021)"), None, error) is None
    assert "the task's page does not say so" in verdict(selected([], worker="pushsnapscript"), None, error)


def test_a_completed_task_passes():
    assert verdict(selected(["signing"]), harness.Outcome(0, "done", 0.1, ""), None) is None


BUNDLETOOL_FAILURE = (
    "mozapkpublisher.common.aab.extractor - DEBUG - Running command: ['java', '-jar', './bundletool.jar', 'dump', 'manifest']\n"
    "{stderr}"
    "2026-12-03 14:49:03,200 - scriptworker.client - ERROR - Failed to run async_main\n"
    "Traceback (most recent call last):\n"
    "subprocess.CalledProcessError: Command '['java', '-jar', './bundletool.jar', 'dump', 'manifest']' returned non-zero exit status 1.\n"
)


def test_bundletool_is_a_limit_only_when_java_cannot_find_the_jar():
    absent = harness.Outcome(1, BUNDLETOOL_FAILURE.format(stderr="Error: Unable to access jarfile ./bundletool.jar\n"), 0.1, "")
    assert absent.limit_named == "bundletool.jar"
    assert verdict(selected(["pushapk"], worker="pushapkscript"), absent, None) is None
    # the jar ran and refused the bundle: a real failure, in the worker's words
    refused = harness.Outcome(1, BUNDLETOOL_FAILURE.format(stderr="[BT:1.15.6] Error: The App Bundle is invalid\n"), 0.1, "")
    assert refused.limit is None
    assert "CalledProcessError" in verdict(selected(["pushapk"], worker="pushapkscript"), refused, None)


GAR_FAILURE = (
    "2026-12-03 18:10:00,000 - scriptworker.client - ERROR - Failed to run async_main\n"
    "Traceback (most recent call last):\n  File \"gcloud.py\", line 179, in import_from_gcs_to_artifact_registry\n"
    "google.api_core.exceptions.ServiceUnavailable: 503 errors resolving artifactregistry.googleapis.com:443: "
    "[field:hostname lookup error:address lookup failed for artifactregistry.googleapis.com:443: Could not contact DNS servers]\n"
)


def test_the_apt_import_ends_at_google_artifact_registry_which_beetmover_s_explain_row_names():
    outcome = harness.Outcome(1, GAR_FAILURE, 0.1, "")
    assert outcome.limit_named == "Google Artifact Registry is not served"
    assert verdict(selected(["beetmover"], worker="beetmoverscript"), outcome, None) is None
    assert "no explain row" in verdict(selected(["balrog"], worker="beetmoverscript"), outcome, None)
