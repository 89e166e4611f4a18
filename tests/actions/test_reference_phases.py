"""The phases of the bundled reference release through the action: each graph creates
only its phase's tasks, reuses the earlier graphs' tasks by taskId, applies the
action's staging choices and passes the production guard."""

import pytest
from taskgraph.taskgraph import TaskGraph


def task_id(name):
    return f"{name:A<22}"[:22]


def phases(run):
    return sorted({task["attributes"]["shipping_phase"] for task in run.load("task-graph.json").values()})


def kinds(run):
    return sorted({task["attributes"]["kind"] for task in run.load("task-graph.json").values()})


@pytest.fixture
def chain(reference_runner, fake_tc):
    """Run the push and then each phase, each reusing all earlier graphs."""
    # A Try push of 121.0b3 as `mach try release` writes it: release_type beta, so the
    # push builds Devedition beside Firefox, as a beta push of the real tree does.
    runs = {"Decision": reference_runner.decision(task_id("Decision"), release_type="beta")}
    fake_tc.graph(task_id("Decision"), runs["Decision"])

    def step(name, **input):
        graphs = [run.task_id for run in runs.values()]
        run = reference_runner.action(task_id(name), dict({"build_number": 1, "previous_graph_ids": graphs}, **input))
        fake_tc.graph(run.task_id, run)
        runs[name] = run
        return run

    step.runs = runs
    return step


def reused(run, earlier):
    """Labels of ``earlier``'s tasks that ``run`` points at by the same taskId."""
    return {label for label, tid in run.label_to_taskid.items() if earlier.label_to_taskid.get(label) == tid}


@pytest.mark.parametrize(
    "product, version, next_version, behavior, release_type",
    [
        pytest.param("fenix", "121.0b3", "121.0b4", "release", "release", id="fenix-beta-as-release"),
        pytest.param("firefox", "121.0b3", "121.0b4", "beta", "beta", id="firefox-beta"),
        pytest.param("devedition", "121.0b3", "121.0b4", "beta", "beta", id="devedition-beta"),
    ],
)
def test_promote_push_ship_of_the_reference_release(
    chain, reference_runner, product, version, next_version, behavior, release_type
):
    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, load_config
    from taskgraph_staging.analysis.guard import check_graph

    # The flavors' own rebuild kinds (each phase rebuilds only its notification).
    choices = {
        "namespace": "frank",
        "behavior": behavior,
        "version": version,
        "partial_updates": {"121.0b2": {"buildNumber": 1}},
    }
    decision = chain.runs["Decision"]
    assert "build" in phases(decision)

    promote = chain("Promote", release_promotion_flavor=f"promote_{product}", **choices)
    assert phases(promote) == ["promote"]
    assert {l for l in decision.created if l in promote.label_to_taskid} <= reused(promote, decision)

    push = chain("Push", release_promotion_flavor=f"push_{product}", **choices)
    assert phases(push) == ["push"]
    assert {l for l in promote.created if l in push.label_to_taskid} <= reused(push, promote)

    ship = chain("Ship", release_promotion_flavor=f"ship_{product}", next_version=next_version, **choices)
    assert phases(ship) == ["ship"]
    assert {l for l in push.created if l in ship.label_to_taskid} <= reused(ship, push)

    # Each phase notifies once: its own notification, created by its own graph (the promote
    # graph also tells release drivers the release started, release-notify-started).
    expected = {"promote": ["release-notify-promote", "release-notify-started"]}
    for run, phase in ((promote, "promote"), (push, "push"), (ship, "ship")):
        notifications = [k for k in kinds(run) if k.startswith("release-notify-")]
        assert notifications == expected.get(phase, [f"release-notify-{phase}"])

    graph_config = load_config(REFERENCE_ROOT)
    for run in (promote, push, ship):
        params = run.parameters
        assert params["release_product"] == product
        assert params["staging"]["namespace"] == "frank"
        assert params["staging"]["behavior"] == behavior
        assert params["staging"]["partials"] == [{"version": "121.0b2", "build_number": 1, "source": "production"}]
        assert params["release_type"] == release_type
        _, graph = TaskGraph.from_json(run.load("task-graph.json"))
        assert check_graph(graph, graph_config, params) == []
    assert ship.parameters["next_version"] == next_version


def test_partner_repack_flavor_rebuilds_only_the_partner_kinds(chain, reference_runner):
    """promote_firefox_partner_repack after promote_firefox (the real tree's promote_desktop
    method): only the partner repack kinds run again, every other task is reused."""
    choices = {"namespace": "frank", "behavior": "release", "version": "121.0"}
    promote = chain("Promote", release_promotion_flavor="promote_firefox", **choices)
    partner = chain("Partner", release_promotion_flavor="promote_firefox_partner_repack", **choices)
    assert partner.parameters["target_tasks_method"] == "promote_desktop"
    assert (partner.parameters["release_enable_partner_repack"], partner.parameters["release_enable_partner_attribution"],
            partner.parameters["release_enable_emefree"]) == (True, False, False)
    # The reference graph has 5 of the flavor's 8 rebuild kinds: not the chunking dummy (a
    # no-op nothing depends on), notarization (level 3 only in the real tree, and the
    # reference's macOS signing has none), nor release-partner-repack-signing (a name the
    # real config keeps for a kind its tree no longer has).
    assert kinds(partner) == ["release-partner-repack", "release-partner-repack-beetmover", "release-partner-repack-mac-signing",
                              "release-partner-repack-repackage", "release-partner-repack-repackage-signing"]
    assert {l for l in promote.created if l in partner.label_to_taskid} <= reused(partner, promote)
