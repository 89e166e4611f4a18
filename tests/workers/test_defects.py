"""Putting back a known defect makes the real worker refuse the task, in its own words.

Each case takes a task of the default beta graph, puts one defect of issue 19 back
into it, and runs it through the worker as the suite does: the suite's verdict must
be "not completed", with the worker's own message. (While the staging layer still
has a defect, putting it back changes nothing, and the case holds all the same.)
"""

import copy

import pytest

import tasks

pytestmark = pytest.mark.workers
PREFIX = tasks.SCOPE_PREFIX


def balrog_action_scope(definition):
    # What the staging layer used to send: behavior v2-submit-locale and the scope
    # balrog:action:submit-locale, two behaviors to balrogscript.
    definition["payload"]["behavior"] = "v2-submit-locale"
    definition["scopes"] = sorted(set(definition["scopes"]) | {f"{PREFIX}:balrog:action:submit-locale"})


def unsupported_signing_format(definition):
    for upstream in definition["payload"]["upstreamArtifacts"]:
        upstream["formats"] = ["autograph_hash_only_mar384"]


def app_name_browser(definition):
    definition["payload"].setdefault("releaseProperties", {})["appName"] = "browser"


CASES = [
    pytest.param("balrogscript", "balrog", balrog_action_scope, "Only one behavior can be used", False, id="balrog-action-scope"),
    pytest.param("signingscript", "repackage-signing", unsupported_signing_format, "No autograph config found with cert type project:releng:signing:cert:dep-signing and formats ['autograph_hash_only_mar384']", False, id="unsupported-signing-format"),
    pytest.param("beetmoverscript", "beetmover-repackage", app_name_browser, "KeyError: 'browser'", True, id="app-name-browser"),
]


@pytest.fixture(scope="module")
def beta_tasks():
    selected, _ = tasks.select(["firefox-beta-build-alice", "firefox-beta-promote-alice"], ci=False)
    return selected


@pytest.mark.parametrize("worker, kind, defect, message, accepted", CASES)
def test_putting_back_a_defect_fails_with_the_workers_message(suite, beta_tasks, worker, kind, defect, message, accepted):
    sel = next(s for s in beta_tasks if s.worker == worker and s.label.startswith(kind + "-"))
    definition = copy.deepcopy(sel.definition)
    defect(definition)
    import artifacts

    app = suite.app(worker, slot=99)  # a work dir of its own, apart from the suite's slots
    outcome = suite.harness.run_task(app, sel.task_id, definition, lambda cot: artifacts.place(cot, definition, {}, suite.mar_tool), extra_env=suite.services.env)
    assert not outcome.completed, f"{worker} completed {sel.label} with the defect put back"
    assert message in outcome.message, outcome.log[-2000:]
    assert outcome.accepted is accepted
