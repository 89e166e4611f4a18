"""The production guard reads a task's pool from ``taskQueueId`` too (the form newer
taskgraph writes instead of provisionerId/workerType)."""

from taskgraph_staging.analysis.guard import task_violations
from taskgraph_staging.analysis.inventory import make_context


def finished(task_def):
    return {"label": "build-signing-linux64", "task": dict(task_def, tags={"kind": "build-signing"}), "attributes": {}}


def test_a_production_task_queue_is_a_violation():
    ctx = make_context("project:releng", None, None)
    [(label, value, reason)] = task_violations(finished({"taskQueueId": "scriptworker-k8s/gecko-3-signing"}), "gecko", ctx)
    assert (label, value) == ("build-signing-linux64", "worker pool scriptworker-k8s/gecko-3-signing")
    assert reason
    assert task_violations(finished({"taskQueueId": "scriptworker-k8s/gecko-t-signing"}), "gecko", ctx) == []


def test_disagreeing_pool_forms_are_refused():
    ctx = make_context("project:releng", None, None)
    task_def = {"provisionerId": "scriptworker-k8s", "workerType": "gecko-t-signing", "taskQueueId": "scriptworker-k8s/gecko-1-signing"}
    [(label, value, reason)] = task_violations(finished(task_def), "gecko", ctx)
    assert value == "worker pool scriptworker-k8s/gecko-t-signing and scriptworker-k8s/gecko-1-signing"
    assert "different pools" in reason


def test_the_guard_speaks_before_taskgraph_reads_workerType():
    """taskgraph's verify_task_identifiers (full_task_graph) raises KeyError 'workerType' on a
    taskQueueId-only task; the guard runs on the full task set, which taskgraph verifies first."""
    import pytest
    from taskgraph.graph import Graph
    from taskgraph.task import Task
    from taskgraph.taskgraph import TaskGraph
    from taskgraph.util.verify import verifications, verify_task_identifiers

    from taskgraph_staging.analysis.guard import verify_no_production
    from taskgraph_staging.model.errors import GuardViolation

    task = Task(kind="build-signing", label="build-signing-linux64", attributes={"kind": "build-signing"},
                task={"taskQueueId": "scriptworker-k8s/gecko-3-signing", "tags": {"kind": "build-signing"}, "scopes": [], "payload": {}})
    graph = TaskGraph({task.label: task}, Graph(frozenset([task.label]), frozenset()))
    with pytest.raises(KeyError):
        verify_task_identifiers(task, graph, {}, {}, {})
    assert verify_no_production in [v.func for v in verifications._verifications["full_task_set"]]
    config = {"trust-domain": "gecko", "scriptworker": {"scope-prefix": "project:releng"}}
    with pytest.raises(GuardViolation, match="build-signing-linux64: worker pool scriptworker-k8s/gecko-3-signing is production"):
        verify_no_production(None, graph, {}, config, {"level": "1", "project": "try", "owner": "a@example.com", "staging": None})


def test_a_pool_is_classed_by_its_first_level_word():
    from taskgraph_staging.model.production import pool_reason

    assert pool_reason("scriptworker-k8s/gecko-1-balrog-race-3") is None
    assert pool_reason("scriptworker-k8s/app-services-3-signing") == "it is a level-3 (app-services-3-*) pool"
    assert pool_reason("Gecko-3/b-linux") == "provisioner gecko-3 holds the level-3 pools"


def test_tasks_of_one_shape_are_each_named_and_an_unhashable_route_is_still_judged():
    """The guard remembers the verdict of a scopes/routes/pools shape; each task still
    gets its own lines, and a value it cannot remember is judged, not skipped."""
    ctx = make_context("project:releng", None, None)
    task_def = {"taskQueueId": "scriptworker-k8s/gecko-3-signing", "scopes": ["project:releng:signing:cert:release-signing"]}
    first = finished(task_def)
    second = dict(first, label="build-signing-win64")
    one, two = (task_violations(t, "gecko", ctx) for t in (first, second))
    assert [v for _, v, _ in one] == [v for _, v, _ in two] and len(one) == 2
    assert {label for label, _, _ in one} == {"build-signing-linux64"}
    assert {label for label, _, _ in two} == {"build-signing-win64"}
    odd = finished({"taskQueueId": "scriptworker-k8s/gecko-1-signing", "routes": [["index", "x"]]})
    [(_, value, reason)] = task_violations(odd, "gecko", ctx)
    assert value.startswith("route [") and reason


def test_judging_tasks_by_shape_gives_what_judging_each_gives():
    """judge_tasks judges a payload-less shape once; every task still gets exactly its own
    inventory and violations, under its own label."""
    from taskgraph_staging.analysis.inventory import inventory_in
    from taskgraph_staging.analysis.production_requests import judge_tasks

    ctx = make_context("project:releng", None, None)
    shapes = [
        {"taskQueueId": "scriptworker-k8s/gecko-3-signing", "routes": ["notify.email.a@example.com.on-failed"]},
        {"taskQueueId": "scriptworker-k8s/gecko-1-signing", "routes": ["notify.email.a@example.com.on-failed"]},
        {"taskQueueId": "scriptworker-k8s/gecko-1-signing", "payload": {"channel_names": ["release"]}},
        {"taskQueueId": "scriptworker-k8s/gecko-1-signing", "scopes": [{"task-reference": "<x>"}]},
        {"taskQueueId": "scriptworker-k8s/gecko-1-signing"},
    ]
    tasks = [dict(finished(d), label=f"t{i}-{n}") for n in range(3) for i, d in enumerate(shapes)]
    judged = judge_tasks(tasks, "gecko", ctx)
    each = [(inventory_in(t, ctx), task_violations(t, "gecko", ctx)) for t in tasks]
    assert judged == each
    assert any(resources for resources, _ in judged) and any(violations for _, violations in judged)
    assert judged[5][0][0].label == "t0-1"  # the second task of shape 0, its own label
