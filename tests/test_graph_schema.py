"""``analysis/graph_schema.py``: a task the audit cannot read is named with its field."""

import pytest

from taskgraph_staging.analysis.graph_schema import task_problem

POOL = {"provisionerId": "scriptworker-k8s", "workerType": "gecko-1-beetmover"}


def task(**task_def):
    return {"label": "a", "task": dict(POOL, **task_def)}


def beetmover(destinations):
    return task(payload={"artifactMap": [{"taskId": {"task-reference": "<build>"}, "paths": {"x.zip": {"destinations": destinations}}}]})


@pytest.mark.parametrize("value, problem", [
    pytest.param({"label": 7, "task": POOL}, "label: expected str, got int", id="label-int"),
    pytest.param({"label": "a"}, "object missing required field task", id="no-task"),
    pytest.param(task(routes="index.x"), "task.routes: expected array, got str", id="routes-str"),
    pytest.param(task(routes=[1]), "task.routes[0]: expected str, got int", id="route-int"),
    pytest.param(task(payload=1), "task.payload: expected object, got int", id="payload-int"),
    pytest.param(task(tags={"kind": 1}), "task.tags[...]: expected str, got int", id="tag-int"),
    pytest.param(beetmover("pub/x.zip"), "task.payload.artifactMap[0].paths[...].destinations: expected array, got str", id="destinations-str"),
    pytest.param(task(payload={"channel_names": "beta"}), "task.payload.channel_names: expected array | null, got str", id="channels-str"),
    pytest.param(task(payload={"source_repo": None}), "task.payload.source_repo: expected str, got null", id="source-repo-null"),
    pytest.param(task(payload={"dry_run": "false"}), "task.payload.dry_run: expected bool | null, got str", id="dry-run-str"),
    pytest.param({"label": "a", "task": {"provisionerId": "p"}}, "task: names no worker pool (taskQueueId, or provisionerId and workerType)", id="half-a-pool"),
    pytest.param({"label": "a", "task": {}}, "task: names no worker pool (taskQueueId, or provisionerId and workerType)", id="no-pool"),
])
def test_a_task_the_audit_cannot_read_is_named_with_its_field(value, problem):
    import json

    from taskgraph_staging.analysis.graph_schema import decode_graph

    assert task_problem(value) == problem
    # The fast decoder's TypedDicts, derived from the Structs, refuse the same task.
    assert decode_graph(json.dumps({"a": value}).encode()) is None


@pytest.mark.parametrize("value", [
    pytest.param(beetmover(["pub/x.zip"]), id="beetmover"),
    pytest.param({"label": "a", "task": {"taskQueueId": "scriptworker-k8s/gecko-1-signing"}}, id="task-queue-id"),
    pytest.param(task(scopes=["a", {"task-reference": "<b>"}], payload={"channel_names": None}), id="reference-scope-null-field"),
    pytest.param(task(payload={"anything": [1, {"else": 2}]}, metadata={"name": 3}), id="unread-fields-pass"),
])
def test_a_task_the_audit_can_read_passes(value):
    import json

    from taskgraph_staging.analysis.graph_schema import decode_graph

    assert task_problem(value) is None
    assert decode_graph(json.dumps({"a": value}).encode())["a"]["label"] == "a"


def test_decode_graph_keeps_the_typed_fields_as_the_file_holds_them():
    # an absent field stays absent (routes, tags), a null stays null, untyped ones go
    import json

    from taskgraph_staging.analysis.graph_schema import decode_graph

    graph = {"a": {"label": "a", "attributes": {"kind": "k", "x": [1], "shipping_product": "devedition"}, "task": dict(
        POOL, metadata={"name": "a"}, scopes=["s"],
        payload={"blob_suffix": None, "release_name": "R", "anything": {"else": 2},
                 "gcs_sources": ["staging/alice/pub/x.deb"], "upstreamArtifacts": [{"taskId": "T", "paths": ["p/ar/l.xpi"]}]},
    )}}
    # the attributes a reader reads (the AMO inventory: shipping_product) are kept, the others go
    assert decode_graph(json.dumps(graph).encode()) == {"a": {"label": "a", "attributes": {"shipping_product": "devedition"}, "task": {
        "scopes": ["s"],
        "payload": {"blob_suffix": None, "release_name": "R", "gcs_sources": ["staging/alice/pub/x.deb"],
                    "upstreamArtifacts": [{"paths": ["p/ar/l.xpi"]}]},
        **POOL,
    }}}


@pytest.mark.parametrize("text", [
    pytest.param(b'{"a": {"label": 7, "task": {}}}', id="refused-task"),
    pytest.param(b'{"a": {"label": "a", "task": {"provisionerId": "p"}}}', id="no-pool"),
    pytest.param(b'[]', id="not-a-mapping"),
    pytest.param(b'{"a": ', id="not-json"),
])
def test_decode_graph_leaves_a_file_it_refuses_to_the_checks_that_name_why(text):
    from taskgraph_staging.analysis.graph_schema import decode_graph

    assert decode_graph(text) is None
