"""Every scriptworker task of the reference graphs meets its worker's JSON schema.

The schemas are the workers' own (``shared/scriptworker-schemas``); the tests that
need them skip with a reason when shared/ is absent (and fail in CI, see conftest).
"""

import pytest

from taskgraph_staging.analysis.conformance import (
    DECISION_TASK_ID,
    NoSchema,
    WorkerNotHere,
    fake_task_id,
    graph_conformance,
    is_scriptworker,
    load_schema,
    queue_task_definition,
    schema_for,
    validation_errors,
)

PREFIX = "project:releng"

#: (version, behaviour override, next version) of the Try graphs checked, one per behaviour.
BEHAVIORS = [
    pytest.param("121.0b3", None, "121.0b4", id="beta-121.0b3"),
    pytest.param("121.0", None, "121.0.1", id="release-121.0"),
    pytest.param("121.0", "release-rc", "121.0.1", id="release-rc-121.0"),
    pytest.param("115.5.0esr", None, "115.6.0esr", id="esr-115.5.0esr"),
]
NAMESPACES = ["alice", "bob-2"]
#: Schemas the reference graphs must exercise: a graph with none of a family's
#: tasks would pass conformance vacuously.
EXPECTED_SCHEMAS = {
    "signingscript/signing_task_schema.json",
    "beetmoverscript/artifactMap_beetmover_task_schema.json",
    "beetmoverscript/release_beetmover_task_schema.json",
    "balrogscript/balrog_submit-locale_schema.json",
    "balrogscript/balrog_submit-toplevel_schema.json",
    "balrogscript/balrog_schedule_schema.json",
    "bouncerscript/bouncer_submission_task_schema.json",
    "bouncerscript/bouncer_aliases_task_schema.json",
    "shipitscript/mark_as_shipped_task_schema.json",
    "pushapkscript/pushapk_task_schema.json",
    "pushsnapscript/push_snap_task_schema.json",
    # the apt import: beetmoverscript's own schema (scriptworker-schemas lacks it)
    "beetmoverscript/import_from_gcs_to_artifact_registry_task_schema.json",
    # push-to-maven (beetmover-components): beetmoverscript's own maven schema
    "beetmoverscript/maven_beetmover_task_schema.json",
    # the AMO push: addonscript's code and schema are not in shared/upstream
    "addonscript: not here",
}
TAG_SCHEMAS = {"treescript/treescript_task_schema.json", "landoscript/landoscript_task_schema.json"}


def task_def(*scopes, payload=None, implementation="scriptworker"):
    return {
        "provisionerId": "scriptworker-k8s",
        "workerType": "gecko-1-x",
        "scopes": [f"{PREFIX}:{s}" for s in scopes],
        "payload": payload or {},
        "tags": {"worker-implementation": implementation},
    }


@pytest.mark.parametrize(
    "scopes, payload, expected",
    [
        pytest.param(["signing:cert:dep-signing"], None, "signingscript/signing_task_schema.json", id="signing"),
        pytest.param(["beetmover:bucket:dep", "beetmover:action:push-to-candidates"], {"artifactMap": []}, "beetmoverscript/artifactMap_beetmover_task_schema.json", id="candidates"),
        pytest.param(["beetmover:bucket:dep", "beetmover:action:push-to-releases"], None, "beetmoverscript/release_beetmover_task_schema.json", id="push-to-releases"),
        pytest.param(["beetmover:bucket:dep", "beetmover:action:push-to-candidates"], None, "beetmoverscript/beetmover_task_schema.json", id="beetmover-without-artifact-map"),
        pytest.param(["beetmover:apt-repo:dep", "beetmover:action:import-from-gcs-to-artifact-registry"], None, "beetmoverscript/import_from_gcs_to_artifact_registry_task_schema.json", id="apt-import"),
        pytest.param(["beetmover:bucket:maven-staging", "beetmover:action:push-to-maven"], {"artifactMap": []}, "beetmoverscript/maven_beetmover_task_schema.json", id="push-to-maven"),
        pytest.param(["balrog:server:dep", "balrog:action:v2-submit-locale"], None, "balrogscript/balrog_submit-locale_schema.json", id="balrog-v2-locale"),
        pytest.param(["balrog:server:dep", "balrog:action:submit-toplevel"], None, "balrogscript/balrog_submit-toplevel_schema.json", id="balrog-toplevel"),
        pytest.param(["balrog:server:dep"], {"behavior": "schedule"}, "balrogscript/balrog_schedule_schema.json", id="balrog-action-from-payload"),
        pytest.param(["bouncer:server:staging", "bouncer:action:aliases"], None, "bouncerscript/bouncer_aliases_task_schema.json", id="bouncer-aliases"),
        pytest.param(["bouncer:server:staging", "bouncer:action:submission"], None, "bouncerscript/bouncer_submission_task_schema.json", id="bouncer-submission"),
        pytest.param(["ship-it:server:staging", "ship-it:action:mark-as-shipped"], None, "shipitscript/mark_as_shipped_task_schema.json", id="shipit"),
        pytest.param(["treescript:action:tagging"], None, "treescript/treescript_task_schema.json", id="treescript"),
        pytest.param(["lando:repo:staging-firefox-beta", "lando:action:tag"], None, "landoscript/landoscript_task_schema.json", id="lando"),
        pytest.param(["googleplay:product:fenix:dep"], None, "pushapkscript/pushapk_task_schema.json", id="pushapk"),
        pytest.param(["snapcraft:firefox:mock"], None, "pushsnapscript/push_snap_task_schema.json", id="snap"),
    ],
)
def test_schema_for(scopes, payload, expected):
    assert schema_for(task_def(*scopes, payload=payload), PREFIX) == expected


@pytest.mark.parametrize(
    "scopes, message",
    [
        pytest.param([], r"name 0 worker schemas \(none\)", id="no-scopes"),
        pytest.param(["signing:cert:dep-signing", "treescript:action:tagging"], r"name 2 worker schemas \(signingscript/signing_task_schema.json, treescript/treescript_task_schema.json\)", id="two-workers"),
        pytest.param(["balrog:server:dep", "balrog:action:submit-system-addons"], r"no balrogscript schema for action 'submit-system-addons'", id="unknown-action"),
        pytest.param(["ship-it:action:create-new-release"], r"no shipitscript schema for action 'create-new-release'", id="shipit-other-action"),
    ],
)
def test_schema_for_refuses_what_no_single_schema_covers(scopes, message):
    with pytest.raises(NoSchema, match=message):
        schema_for(task_def(*scopes), PREFIX)


def test_a_worker_whose_code_is_not_here_is_named_not_refused():
    with pytest.raises(WorkerNotHere, match=r"addonscript \(langpack submission to addons.mozilla.org\): its code is not in shared/upstream") as e:
        schema_for(task_def("addons.mozilla.org:server:staging"), PREFIX)
    assert e.value.worker == "addonscript"


@pytest.mark.parametrize(
    "definition, expected",
    [
        pytest.param(task_def(), True, id="scriptworker-provisioner"),
        pytest.param(dict(task_def(implementation="beetmover"), provisionerId="slot-7"), True, id="pool-override-beetmover"),
        pytest.param({"provisionerId": "gecko-1", "workerType": "b-linux-gcp", "tags": {"worker-implementation": "docker-worker"}}, False, id="docker-worker"),
        pytest.param({"provisionerId": "built-in", "workerType": "succeed", "tags": {"worker-implementation": "succeed"}}, False, id="built-in"),
    ],
)
def test_is_scriptworker(definition, expected):
    assert is_scriptworker(definition) is expected


class FakeTask:
    def __init__(self, label, task, dependencies):
        self.label, self.task, self.dependencies = label, task, dependencies


def test_queue_task_definition_resolves_references_and_fills_dependencies():
    definition = task_def(
        "signing:cert:dep-signing",
        payload={"upstreamArtifacts": [{"taskId": {"task-reference": "<build>"}, "taskType": "build", "paths": ["a"], "formats": []}]},
    )
    task = FakeTask("build-signing-linux64", definition, {"build": "build-linux64", "docker-image": "docker-image-x"})
    queued = queue_task_definition(task)
    assert queued["payload"]["upstreamArtifacts"][0]["taskId"] == fake_task_id("build-linux64")
    assert queued["dependencies"] == sorted([fake_task_id("build-linux64"), fake_task_id("docker-image-x")])
    assert definition["payload"]["upstreamArtifacts"][0]["taskId"] == {"task-reference": "<build>"}, "the graph's task is left alone"


def test_queue_task_definition_depends_on_the_decision_task_without_dependencies():
    assert queue_task_definition(FakeTask("release-mark-as-shipped", task_def(), {}))["dependencies"] == [DECISION_TASK_ID]


def test_fake_task_ids_are_slug_shaped_and_stable():
    assert len(fake_task_id("a")) == 22 and fake_task_id("a") == fake_task_id("a") != fake_task_id("b")


@pytest.mark.parametrize("label", ["a", "b", "build-linux64", "beetmover-repackage-firefox-linux64-de", "<decision>"])
def test_fake_task_ids_are_nice_slugids(label):
    """As the queue makes them (a UUID v4, first character never '-'); beetmoverscript
    refuses any other path under cot/ ('taskId unable to be extracted')."""
    import re

    assert re.fullmatch(r"[A-Za-f][A-Za-z0-9_-]{7}[Q-T][A-Za-z0-9_-][CGKOSWaeimquy26-][A-Za-z0-9_-]{10}[AQgw]", fake_task_id(label))


def test_validation_errors_name_the_field(schemas_dir):
    schema = load_schema(schemas_dir, "signingscript/signing_task_schema.json")
    definition = task_def("signing:cert:dep-signing", payload={"upstreamArtifacts": [{"taskId": "x", "taskType": "build", "paths": []}]})
    assert validation_errors(definition, schema) == [
        "payload/upstreamArtifacts/0: 'formats' is a required property",
        "payload/upstreamArtifacts/0/paths: [] should be non-empty",
    ]


def check(graph, schemas_dir):
    checked, problems = graph_conformance(graph, PREFIX, schemas_dir)
    assert problems == []
    return checked


@pytest.mark.parametrize("namespace", NAMESPACES)
@pytest.mark.parametrize("version, behavior, next_version", BEHAVIORS)
def test_every_scriptworker_task_of_the_try_graph_meets_its_schema(graph, schemas_dir, version, behavior, next_version, namespace):
    staging = {"namespace": namespace}
    if behavior:
        staging["behavior"] = behavior
    checked = check(graph(version=version, build_number=1, next_version=next_version, staging=staging), schemas_dir)
    assert EXPECTED_SCHEMAS <= set(checked), f"no task checked against {sorted(EXPECTED_SCHEMAS - set(checked))}"
    assert TAG_SCHEMAS & set(checked), "no tagging or version bump task was checked"


@pytest.mark.parametrize(
    "version, release_type, next_version",
    [("121.0b3", "beta", "121.0b4"), ("121.0", "release", "121.0.1"), ("121.0", "release-rc", "121.0.1"), ("115.5.0esr", "esr115", "115.6.0esr")],
)
def test_every_scriptworker_task_of_the_production_graph_meets_its_schema(graph, schemas_dir, version, release_type, next_version):
    checked = check(graph(production=True, version=version, build_number=1, next_version=next_version, release_type=release_type), schemas_dir)
    assert EXPECTED_SCHEMAS <= set(checked)
