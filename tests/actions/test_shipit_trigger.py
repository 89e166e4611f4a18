"""Ship-it starts the phases of a staging release: the input Ship-it really sends,
through the first ``release-promotion`` entry of the push's ``actions.json``, on a
staging push whose decision parameters carry the staging choices.

What Ship-it sends was read from mozilla-releng/shipit at 1ba068c2f9b3 (2026-07-23):

- ``api/src/shipit_api/admin/api.py``, ``add_release``: ``common_input`` holds
  ``build_number``, ``next_version`` (``bump_version``), ``version``, ``release_eta``
  (null when the release has none), ``release_enable_emefree``,
  ``release_enable_partner_repack`` and ``release_enable_partner_attribution`` (from the
  product and version), and ``partial_updates`` (``{version: {buildNumber, locales}}``)
  when the release has partials. Never a namespace, behaviour, source or reservation.
- ``api/src/shipit_api/admin/tasks.py``: ``generate_phases`` finds the decision task
  through the index, takes the first action named ``release-promotion`` in its
  ``public/actions.json``, adds ``release_promotion_flavor`` and ``previous_graph_ids``
  (the decision task, then every earlier phase's action task, resolved by
  ``rendered_hook_payload``) and renders the action's ``hookPayload`` with json-e over
  ``{parameters: <the decision's parameters.yml>, taskGroupId: <decision>, taskId: null,
  task: null, input, clientId}``; ``do_schedule_phase`` triggers that hook.
"""

import jsone
import pytest
from taskgraph.actions import registry
from taskgraph.taskgraph import TaskGraph

from taskgraph_staging.interfaces.actions.input import InvalidInput
from taskgraph_staging.model.release import DEFAULT_SERVICES

FIREFOX_PROMOTE = ["release-notify-promote-firefox", "release-promote-firefox-linux64", "release-promote-firefox-win64"]


def task_id(name):
    """A taskId-shaped (22 characters) id named for the graph it stands for."""
    return f"{name:A<22}"[:22]


def env(run, label):
    return run.created[label]["payload"]["env"]


DECISION = task_id("Decision")
#: The services of the push's library slot: its own Balrog admin.
SLOT_SERVICES = dict(DEFAULT_SERVICES, balrog_admin="https://balrog-admin.slot-3.example.com/api")
#: The staging block ``taskgraph-staging push`` writes into the Try push's
#: try_task_config.json (a beta rehearsed as a release, on a reserved library slot).
PUSHED = {
    "namespace": "slot-3",
    "behavior": "release",
    "partials": [
        {"version": "120.0", "build_number": 2, "source": "production"},
        {"version": "121.0b2", "build_number": 1, "source": "staging"},
    ],
    "services": SLOT_SERVICES,
    "reservation": "r-42",
}
#: Ship-it's partials of the release: the same previous releases, no source.
SHIPIT_PARTIALS = {"121.0b2": {"buildNumber": 1, "locales": ["de", "fr"]}, "120.0": {"buildNumber": 2, "locales": ["de"]}}


def shipit_input(
    flavor, previous_graph_ids, version="121.0b3", next_version="121.0b4", build_number=2, partial_updates=None, flags=False
):
    """The input of one phase, built as Ship-it builds it (field for field, in its order).

    ``flags``: what Ship-it's is_eme_free_enabled (a Firefox beta from b8, a release),
    is_partner_repacks_enabled and is_partner_attribution_enabled (a beta from b5, a
    release) say for the version; false for 121.0b3.
    """
    input = {
        "build_number": build_number,
        "next_version": next_version,
        "version": version,
        "release_eta": None,
        "release_enable_emefree": flags,
        "release_enable_partner_repack": flags,
        "release_enable_partner_attribution": flags,
    }
    if partial_updates:
        input["partial_updates"] = partial_updates
    input["release_promotion_flavor"] = flavor
    input["previous_graph_ids"] = list(previous_graph_ids)
    return input


class ShipIt:
    """Ship-it's side: one release on one push, its phases started in turn."""

    def __init__(self, runner, fake_tc, decision):
        self.runner = runner
        self.fake_tc = fake_tc
        self.decision = decision
        self.phases = {}

    def action(self):
        """The action Ship-it calls: the first ``release-promotion`` of ``actions.json``."""
        return next(a for a in self.decision.load("actions.json")["actions"] if a["name"] == "release-promotion")

    def schedule(self, flavor, **release):
        action = self.action()
        assert flavor in action["schema"]["properties"]["release_promotion_flavor"]["enum"]
        graphs = [self.decision.task_id] + [run.task_id for run in self.phases.values()]
        context = {
            "parameters": self.decision.parameters,
            "taskGroupId": self.decision.task_id,
            "taskId": None,
            "task": None,
            "input": shipit_input(flavor, graphs, **release),
            "clientId": "project/releng/shipit/staging",
        }
        payload = jsone.render(action["hookPayload"], context)
        # The action task the hook creates: taskgraph's action-callback runs the named
        # callback with the input and the decision task's parameters.
        run = self.runner.action(
            task_id(flavor.replace("_", "")),
            payload["user"]["input"],
            push=self.decision.parameters,
            callback=payload["decision"]["action"]["cb_name"],
        )
        self.fake_tc.graph(run.task_id, run)
        self.phases[flavor] = run
        return run


def staging_push(runner, fake_tc, staging=PUSHED, **params):
    run = runner.decision(DECISION, staging=staging, build_number=1, release_product="firefox", **params)
    fake_tc.graph(DECISION, run)
    return ShipIt(runner, fake_tc, run)


def test_shipit_phases_give_the_push_staging_release(runner, fake_tc):
    from taskgraph_staging.analysis.graphs import load_config
    from taskgraph_staging.analysis.guard import check_graph

    shipit = staging_push(runner, fake_tc)
    promote = shipit.schedule("promote_firefox", partial_updates=SHIPIT_PARTIALS)
    push = shipit.schedule("push_firefox", partial_updates=SHIPIT_PARTIALS)
    ship = shipit.schedule("ship_firefox", partial_updates=SHIPIT_PARTIALS)

    assert sorted(promote.created) == FIREFOX_PROMOTE
    assert sorted(push.created) == ["release-push-firefox"]
    assert sorted(ship.created) == ["release-ship-firefox"]
    assert push.label_to_taskid["release-promote-firefox-linux64"] == promote.label_to_taskid["release-promote-firefox-linux64"]
    assert ship.label_to_taskid["release-push-firefox"] == push.label_to_taskid["release-push-firefox"]
    graph_config = load_config(runner.root)
    for run in (promote, push, ship):
        params = run.parameters
        # The push's namespace, behaviour, partials with their sources and reservation;
        # Ship-it's build number and locales.
        assert params["staging"] == {
            "namespace": "slot-3",
            "behavior": "release",
            "partials": [
                {"version": "120.0", "build_number": 2, "source": "production", "locales": ["de"]},
                {"version": "121.0b2", "build_number": 1, "source": "staging", "locales": ["de", "fr"]},
            ],
            "services": SLOT_SERVICES,
            "reservation": "r-42",
        }
        assert params["partial_updates"] == {"120.0": {"buildNumber": 2, "locales": ["de"]}}
        assert (params["release_type"], params["build_number"], params["release_eta"]) == ("release", 2, None)
        for label in run.created:
            assert {k: env(run, label)[k] for k in ("NAMESPACE", "BEHAVIOR", "RELEASE_TYPE", "BUILD_NUMBER", "PARTIALS")} == {
                "NAMESPACE": "slot-3",
                "BEHAVIOR": "release",
                "RELEASE_TYPE": "release",
                "BUILD_NUMBER": "2",
                "PARTIALS": "120.0:2:production,121.0b2:1:staging",
            }
        _, graph = TaskGraph.from_json(run.load("task-graph.json"))
        assert check_graph(graph, graph_config, params) == []
    assert ship.parameters["next_version"] == "121.0b4"


def test_shipit_without_partials_keeps_the_push_partials(runner, fake_tc):
    promote = staging_push(runner, fake_tc).schedule("promote_firefox")
    assert promote.parameters["staging"]["partials"] == PUSHED["partials"]
    assert env(promote, "release-promote-firefox-win64")["PARTIALS"] == "120.0:2:production,121.0b2:1:staging"


def test_rc_phases_of_a_push_behaving_as_release(runner, fake_tc):
    shipit = staging_push(runner, fake_tc, staging=dict(PUSHED, partials=[]), version="121.0")
    rc = shipit.schedule("promote_firefox_rc", version="121.0", next_version="121.0.1")
    push = shipit.schedule("push_firefox", version="121.0", next_version="121.0.1")
    assert (rc.parameters["staging"]["behavior"], rc.parameters["release_type"]) == ("release-rc", "release-rc")
    assert (push.parameters["staging"]["behavior"], push.parameters["release_type"]) == ("release", "release")
    assert env(rc, "release-promote-firefox-linux64")["NAMESPACE"] == "slot-3"


def test_explicit_staging_fields_still_win(runner, fake_tc):
    """Our own form (Treeherder, test-action-callback) may choose what Ship-it never sends."""
    shipit = staging_push(runner, fake_tc, staging=dict(PUSHED, reservation=None))
    input = shipit_input("promote_firefox", [DECISION], partial_updates={"121.0b2": {"buildNumber": 4, "source": "production"}})
    input.update(namespace="erin", behavior="beta")
    run = runner.action(task_id("Explicit"), input, push=shipit.decision.parameters)
    assert run.parameters["staging"]["namespace"] == "erin"
    assert run.parameters["staging"]["behavior"] == "beta"
    assert run.parameters["staging"]["partials"] == [{"version": "121.0b2", "build_number": 4, "source": "production"}]
    assert run.parameters["staging"]["services"] == SLOT_SERVICES


@pytest.mark.parametrize(
    "staging, flavor, release, message",
    [
        pytest.param(
            PUSHED,
            "promote_firefox",
            {"partial_updates": {"121.0b2": {"buildNumber": 3, "locales": ["de"]}}},
            "partial_updates.121.0b2: build 3 contradicts this push's staging release, which builds its partial "
            "from 121.0b2 build 1 (staging); give that build, or a source to override the push",
            id="partial-of-another-build",
        ),
        pytest.param(
            dict(PUSHED, behavior="beta"),
            "promote_firefox_rc",
            {},
            "release_promotion_flavor: the RC flavor promote_firefox_rc contradicts this push's staging release, "
            "which behaves as beta; run its non-RC flavors, or give behavior release-rc to override the push",
            id="rc-flavor-on-a-beta-push",
        ),
        pytest.param(
            PUSHED,
            "promote_firefox",
            {"version": "121.0b4", "next_version": "121.0b5"},
            "version: 121.0b4 contradicts this push's staging release, 121.0b3, whose builds this phase reuses; "
            "give version 121.0b3, or push 121.0b4",
            id="another-version",
        ),
        pytest.param(
            PUSHED,
            "promote_firefox",
            {"namespace": "erin"},
            "namespace: erin contradicts this push's reservation r-42, whose services use namespace slot-3; "
            "leave namespace out, or give a reservation",
            id="namespace-off-the-reservation",
        ),
        pytest.param(
            PUSHED,
            "promote_focus",
            {},
            "release_promotion_flavor: 'promote_focus' is not one of",
            id="flavor-this-host-does-not-run",
        ),
    ],
)
def test_shipit_input_contradicting_the_push_is_one_line(runner, fake_tc, staging, flavor, release, message):
    shipit = staging_push(runner, fake_tc, staging=staging)
    # Ship-it's fields go through shipit_input; a staging field (our own form's) is added to them.
    ours = {name: value for name, value in release.items() if name == "namespace"}
    theirs = {name: value for name, value in release.items() if name not in ours}
    input = dict(shipit_input(flavor, [DECISION], **theirs), **ours)
    with pytest.raises(InvalidInput) as error:
        runner.action(task_id("Contradicts"), input, push=shipit.decision.parameters, callback=shipit.action()["hookPayload"]["decision"]["action"]["cb_name"])
    assert str(error.value).startswith(f"action input: {message}")
    assert "\n" not in str(error.value)


def test_shipit_finds_the_staging_action_before_the_host_release_promotion(runner, fake_tc, monkeypatch):
    """A host that also enables mozilla-taskgraph's release-promotion (order 500) for its
    production releases: on a staging push, Ship-it's lookup finds the staging action."""
    from mozilla_taskgraph.actions import enable_action

    monkeypatch.setattr(registry, "actions", list(registry.actions))
    monkeypatch.setattr(registry, "callbacks", dict(registry.callbacks))
    runner.decision(task_id("Warm"))  # registers the staging action, as the host's register does
    enable_action("release-promotion")
    shipit = staging_push(runner, fake_tc)
    named = [a for a in shipit.decision.load("actions.json")["actions"] if a["name"] == "release-promotion"]
    assert [a["hookPayload"]["decision"]["action"]["cb_name"] for a in named] == ["staging-release-promotion", "release-promotion"]
    assert shipit.action() is not None and shipit.action()["title"] == "Staging release promotion"


@pytest.mark.parametrize(
    "eta",
    [pytest.param(None, id="no-eta"), pytest.param("2026-12-02T15:00:00.000Z", id="javascript-toISOString")],
)
def test_shipit_release_eta_is_accepted(fixture_root, eta):
    from taskgraph_staging.analysis.graphs import load_config
    from taskgraph_staging.interfaces.actions.input import validate_input

    input = dict(shipit_input("promote_firefox", [DECISION]), release_eta=eta)
    assert validate_input(input, load_config(fixture_root)).release_eta == eta


@pytest.mark.parametrize(
    "version, next_version, flags, partial",
    [
        pytest.param("121.0b3", "121.0b4", False, "121.0b2", id="beta-as-release"),
        # is_partner_repacks_enabled, is_partner_attribution_enabled and
        # is_eme_free_enabled are true for a Firefox release.
        pytest.param("121.0", "121.0.1", True, "120.0.1", id="release"),
    ],
)
def test_shipit_promote_of_the_reference_release(reference_runner, fake_tc, version, next_version, flags, partial):
    """The bundled reference kinds: Ship-it's promote_firefox on a staging push gives the
    staging graph of the push's namespace and behaviour, and it passes the guard."""
    import json

    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, load_config
    from taskgraph_staging.analysis.guard import check_graph

    pushed = dict(PUSHED, partials=[{"version": partial, "build_number": 1, "source": "staging"}])
    shipit = staging_push(reference_runner, fake_tc, staging=pushed, version=version)
    release = dict(version=version, next_version=next_version, partial_updates={partial: {"buildNumber": 1, "locales": ["de"]}})
    promote = shipit.schedule("promote_firefox", flags=flags, **release)
    params = promote.parameters
    assert (params["staging"]["namespace"], params["staging"]["behavior"], params["release_type"]) == ("slot-3", "release", "release")
    assert params["staging"]["partials"] == [{"version": partial, "build_number": 1, "source": "staging", "locales": ["de"]}]
    assert (params["release_enable_partner_repack"], params["release_enable_emefree"]) == (flags, flags)
    assert {task["attributes"]["shipping_phase"] for task in promote.load("task-graph.json").values()} == {"promote"}
    # Every task the phase creates is made for the push's staging release.
    for label, task in promote.created.items():
        assert "slot-3" in json.dumps(task), label
    _, graph = TaskGraph.from_json(promote.load("task-graph.json"))
    assert check_graph(graph, load_config(REFERENCE_ROOT), params) == []
