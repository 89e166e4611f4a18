"""Every flavor through taskgraph's action-callback code path (test mode), against
previous graphs made by taskgraph's own decision code and served by a fake Taskcluster."""

import pytest
from taskgraph.taskgraph import TaskGraph

from taskgraph_staging.model.errors import StagingError



def task_id(name):
    """A taskId-shaped (22 characters) id named for the graph it stands for."""
    return f"{name:A<22}"[:22]


DECISION = task_id("Decision")
BUILDS = ["build-fenix-android", "build-firefox-linux64", "build-firefox-win64"]
FIREFOX_PROMOTE = ["release-notify-promote-firefox", "release-promote-firefox-linux64", "release-promote-firefox-win64"]


@pytest.fixture
def push(runner, fake_tc):
    """The push's decision task: it builds, and is indexed as taskgraph indexes it."""
    run = runner.decision(DECISION)
    fake_tc.graph(DECISION, run)
    fake_tc.index(f"gecko.v2.try.revision.{'1' * 40}.taskgraph.decision", DECISION)
    return run


def phase(runner, fake_tc, name, **input):
    """Run the action as task ``name`` and serve its graph as a previous graph."""
    run = runner.action(task_id(name), dict({"build_number": 1}, **input))
    fake_tc.graph(run.task_id, run)
    return run


def env(run, label):
    return run.created[label]["payload"]["env"]


def test_decision_builds_only(push):
    assert sorted(push.created) == BUILDS
    assert push.parameters["staging"] == {}


def test_promote_creates_promote_tasks_and_reuses_builds(runner, fake_tc, push):
    run = phase(
        runner,
        fake_tc,
        "Promote",
        release_promotion_flavor="promote_firefox",
        namespace="bob-test",
        behavior="release",
        partial_updates={
            "120.0": {"buildNumber": 2, "locales": ["de", "fr"]},
            "121.0b2": {"buildNumber": 1, "source": "staging"},
        },
    )
    assert sorted(run.created) == FIREFOX_PROMOTE
    builds = push.label_to_taskid
    for label in BUILDS[1:]:
        assert run.label_to_taskid[label] == builds[label]
    assert run.created["release-promote-firefox-linux64"]["dependencies"] == [builds["build-firefox-linux64"]]
    assert env(run, "release-promote-firefox-win64") == {
        "VERSION": "121.0b3",
        "BUILD_NUMBER": "1",
        "RELEASE_TYPE": "release",
        "NAMESPACE": "bob-test",
        "BEHAVIOR": "release",
        "PARTIALS": "120.0:2:production,121.0b2:1:staging",
        "MOZ_AUTOMATION": "1",
        "SCCACHE_DISABLE": "1",
    }
    params = run.parameters
    assert params["staging"] == {
        "namespace": "bob-test",
        "behavior": "release",
        "partials": [
            {"version": "120.0", "build_number": 2, "source": "production", "locales": ["de", "fr"]},
            {"version": "121.0b2", "build_number": 1, "source": "staging"},
        ],
    }
    assert params["partial_updates"] == {"120.0": {"buildNumber": 2, "locales": ["de", "fr"]}}
    assert (params["release_type"], params["shipping_phase"], params["target_tasks_method"]) == (
        "release",
        "promote_firefox",
        "fixture_promote_firefox",
    )
    assert (params["tasks_for"], params["head_rev"], params["level"]) == ("action", "1" * 40, "1")
    assert params["existing_tasks"] == {label: builds[label] for label in BUILDS}


def test_promote_finds_the_decision_task_through_the_index(runner, fake_tc, push):
    run = phase(runner, fake_tc, "Promote", release_promotion_flavor="promote_fenix", version="121.0b3")
    assert sorted(run.created) == ["release-promote-fenix-android"]
    assert run.created["release-promote-fenix-android"]["dependencies"] == [push.label_to_taskid["build-fenix-android"]]
    # The namespace of the push (derived from its owner) and the version's behaviour carry over.
    assert env(run, "release-promote-fenix-android")["NAMESPACE"] == "alice"
    assert run.parameters["release_product"] == "fenix"
    assert run.parameters["staging"]["behavior"] == "beta"


def _chain(runner, fake_tc, steps):
    """Run ``steps`` (name, input) in order, each reusing every earlier graph."""
    graphs = [DECISION]
    runs = {}
    for name, input in steps:
        runs[name] = phase(runner, fake_tc, name, previous_graph_ids=list(graphs), **input)
        graphs.append(runs[name].task_id)
    return runs


NS = {"namespace": "carol"}


@pytest.mark.parametrize(
    "steps, created, reused_from",
    [
        pytest.param(
            [("Promote", dict(NS, release_promotion_flavor="promote_firefox"))],
            FIREFOX_PROMOTE,
            {"build-firefox-linux64": "Decision"},
            id="promote_firefox",
        ),
        pytest.param(
            [
                ("Promote", dict(NS, release_promotion_flavor="promote_firefox")),
                ("Push", dict(NS, release_promotion_flavor="push_firefox")),
            ],
            ["release-push-firefox"],
            {"release-promote-firefox-linux64": "Promote", "build-firefox-win64": "Decision"},
            id="push_firefox",
        ),
        pytest.param(
            [
                ("Promote", dict(NS, release_promotion_flavor="promote_firefox")),
                ("Push", dict(NS, release_promotion_flavor="push_firefox")),
                ("Ship", dict(NS, release_promotion_flavor="ship_firefox", next_version="121.0b4")),
            ],
            ["release-ship-firefox"],
            {"release-push-firefox": "Push", "release-promote-firefox-win64": "Promote"},
            id="ship_firefox",
        ),
        pytest.param(
            [("PromoteRc", dict(NS, release_promotion_flavor="promote_firefox_rc", version="121.0"))],
            FIREFOX_PROMOTE,
            {"build-firefox-win64": "Decision"},
            id="promote_firefox_rc",
        ),
        pytest.param(
            [
                ("PromoteRc", dict(NS, release_promotion_flavor="promote_firefox_rc", version="121.0")),
                ("ShipRc", dict(NS, release_promotion_flavor="ship_firefox_rc", version="121.0", next_version="121.0.1")),
            ],
            ["release-ship-firefox-rc"],
            {"release-promote-firefox-linux64": "PromoteRc"},
            id="ship_firefox_rc",
        ),
        pytest.param(
            [
                ("Promote", dict(NS, release_promotion_flavor="promote_firefox")),
                ("Partner", dict(NS, release_promotion_flavor="promote_firefox_partner_repack")),
            ],
            # Only the rebuild kinds run again; the promote tasks are reused.
            ["release-notify-promote-firefox"],
            {"release-promote-firefox-linux64": "Promote"},
            id="promote_firefox_partner_repack",
        ),
        pytest.param(
            [("PromoteFenix", dict(NS, release_promotion_flavor="promote_fenix"))],
            ["release-promote-fenix-android"],
            {"build-fenix-android": "Decision"},
            id="promote_fenix",
        ),
        pytest.param(
            [
                ("PromoteFenix", dict(NS, release_promotion_flavor="promote_fenix")),
                ("ShipFenix", dict(NS, release_promotion_flavor="ship_fenix", next_version="122.0b1")),
            ],
            ["release-ship-fenix"],
            {"release-promote-fenix-android": "PromoteFenix"},
            id="ship_fenix",
        ),
    ],
)
def test_each_flavor_creates_only_its_phase(runner, fake_tc, push, steps, created, reused_from):
    from taskgraph_staging.analysis.graphs import load_config
    from taskgraph_staging.analysis.guard import check_graph

    runs = _chain(runner, fake_tc, steps)
    last = runs[steps[-1][0]]
    assert sorted(last.created) == created
    for label, graph in reused_from.items():
        source = push if graph == "Decision" else runs[graph]
        assert last.label_to_taskid[label] == source.label_to_taskid[label]
        assert label not in last.created
    for label in created:
        assert env(last, label)["NAMESPACE"] == "carol"
    _, graph = TaskGraph.from_json(last.load("task-graph.json"))
    assert check_graph(graph, load_config(runner.root), last.parameters) == []


@pytest.mark.parametrize(
    "flavor, version, behavior, release_type",
    [
        pytest.param("promote_firefox", None, None, "beta", id="from-version"),
        pytest.param("promote_firefox", None, "release", "release", id="release-behaviour-for-a-beta"),
        pytest.param("promote_firefox_rc", "121.0", None, "release-rc", id="rc-flavor"),
        pytest.param("promote_firefox", "115.5.0esr", "esr", "esr115", id="esr"),
    ],
)
def test_behaviour_gives_release_type(runner, fake_tc, push, flavor, version, behavior, release_type):
    input = {"release_promotion_flavor": flavor}
    if version:
        input["version"] = version
    if behavior:
        input["behavior"] = behavior
    run = phase(runner, fake_tc, "Promote", **input)
    assert run.parameters["release_type"] == release_type
    assert env(run, "release-promote-firefox-linux64")["RELEASE_TYPE"] == release_type


def test_non_rc_flavor_after_rc_behaves_as_release(runner, fake_tc, push):
    runs = _chain(
        runner,
        fake_tc,
        [
            ("PromoteRc", {"release_promotion_flavor": "promote_firefox_rc", "version": "121.0"}),
            ("Push", {"release_promotion_flavor": "push_firefox", "version": "121.0"}),
        ],
    )
    assert runs["PromoteRc"].parameters["staging"]["behavior"] == "release-rc"
    assert runs["Push"].parameters["staging"]["behavior"] == "release"
    assert runs["Push"].parameters["release_type"] == "release"


def test_partner_flavor_turns_its_flag_on(runner, fake_tc, push):
    run = phase(runner, fake_tc, "Partner", release_promotion_flavor="promote_firefox_partner_repack")
    assert run.parameters["release_enable_partner_repack"] is True
    assert run.parameters["release_enable_partner_attribution"] is False


def test_rebuild_kinds_from_input(runner, fake_tc, push):
    runs = _chain(
        runner,
        fake_tc,
        [
            ("Promote", {"release_promotion_flavor": "promote_firefox"}),
            ("Again", {"release_promotion_flavor": "promote_firefox", "rebuild_kinds": ["release-promote"]}),
        ],
    )
    # The promote tasks run again, and so does the notification that depends on them.
    assert sorted(runs["Again"].created) == FIREFOX_PROMOTE
    for label in FIREFOX_PROMOTE:
        assert runs["Again"].label_to_taskid[label] != runs["Promote"].label_to_taskid[label]


def test_do_not_optimize_reruns_a_reused_task(runner, fake_tc, push):
    runs = _chain(
        runner,
        fake_tc,
        [
            ("Promote", {"release_promotion_flavor": "promote_firefox"}),
            (
                "Push",
                {"release_promotion_flavor": "push_firefox", "do_not_optimize": ["release-promote-firefox-win64"]},
            ),
        ],
    )
    assert sorted(runs["Push"].created) == ["release-promote-firefox-win64", "release-push-firefox"]


def test_unknown_previous_graph_names_the_field(runner, fake_tc, push):
    missing = task_id("Missing")
    fake_tc.mock.get(
        f"https://tc.example.com/api/queue/v1/task/{missing}/artifacts/public%2Fparameters.yml",
        status=404,
        json={"message": "Artifact not found"},
    )
    with pytest.raises(StagingError, match=rf"^input.previous_graph_ids: cannot read public/parameters.yml of task {missing}"):
        phase(runner, fake_tc, "Promote", release_promotion_flavor="promote_firefox", previous_graph_ids=[missing])


def test_refuses_production_level_push(runner, fake_tc, push):
    with pytest.raises(StagingError, match="not available here: the push is production-level"):
        runner.action(task_id("Prod"), {"release_promotion_flavor": "promote_firefox", "build_number": 1}, push={"project": "maple", "level": "3"})


def test_refuses_a_production_previous_graph(runner, fake_tc, push):
    prod = task_id("ProdGraph")
    production = dict(push.parameters, project="mozilla-beta", level="3", staging=None)
    import yaml

    fake_tc.artifact(prod, "public/parameters.yml", yaml.safe_dump(production))
    fake_tc.artifact(prod, "public/full-task-graph.json", (push.artifacts / "full-task-graph.json").read_text())
    fake_tc.artifact(prod, "public/label-to-taskid.json", "{}")
    with pytest.raises(StagingError, match=rf"input.previous_graph_ids: the previous graph {prod} is a production graph"):
        phase(runner, fake_tc, "Promote", release_promotion_flavor="promote_firefox", previous_graph_ids=[prod])


def test_invalid_input_fails_before_reading_anything(runner, fake_tc):
    from taskgraph_staging.interfaces.actions.input import InvalidInput

    with pytest.raises(InvalidInput, match="^action input: build_number: 0 is less than the minimum of 1; next_version: is required"):
        runner.action(task_id("Bad"), {"release_promotion_flavor": "ship_firefox", "build_number": 0})
    assert len(fake_tc.mock.calls) == 0


def test_taskgraph_test_action_callback_command(runner, fake_tc, push, tmp_path, monkeypatch, capsys):
    """The command a release engineer runs locally: ``taskgraph test-action-callback``."""
    import json

    import yaml
    from taskgraph.config import GraphConfig
    from taskgraph.main import main

    params = tmp_path / "push.yml"
    params.write_text(yaml.safe_dump(runner.push))
    input = tmp_path / "input.json"
    input.write_text(json.dumps({"release_promotion_flavor": "promote_fenix", "build_number": 1, "namespace": "erin"}))
    workdir = tmp_path / "cli"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("TASK_ID", task_id("Cli"))
    GraphConfig._PATH_MODIFIED = False
    capsys.readouterr()
    argv = ["test-action-callback", "-r", runner.root, "-p", str(params), "--input", str(input), "staging-release-promotion"]
    assert main(argv) in (0, None)
    created = capsys.readouterr().out
    # test mode prints [taskId, definition] of each task it would create
    assert created.count('"label": "release-promote-fenix-android"') == 1
    assert '"label": "build-fenix-android"' not in created
    assert '"NAMESPACE": "erin"' in created


def test_flavor_naming_an_unknown_target_method_is_a_config_error(host_copy, runner_for, fake_tc):
    from taskgraph_staging.model.errors import ConfigError

    def edit(config):
        config["release-promotion"]["flavors"]["promote_firefox"]["target-tasks-method"] = "{project}_promote_{product}"

    runner = runner_for(host_copy(edit))
    with pytest.raises(
        ConfigError,
        match="^config.yml release-promotion.flavors.promote_firefox: names target-tasks-method "
        "try_promote_firefox, which no extension registers",
    ):
        runner.action(task_id("Promote"), {"release_promotion_flavor": "promote_firefox", "build_number": 1})
    assert len(fake_tc.mock.calls) == 0
