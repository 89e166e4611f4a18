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
