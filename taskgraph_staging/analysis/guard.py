"""The production guard: a non-production graph may ask for nothing production has.

Registered as a taskgraph ``full_task_set`` verification: on a staging graph (level
below 3 or a try project, see :func:`taskgraph_staging.model.parameters.is_staging`) it
fails generation with every production request of
:mod:`taskgraph_staging.analysis.production_requests`, one line each, naming task,
value and reason.
"""

from taskgraph.util.verify import verifications

from taskgraph_staging.model.parameters import is_staging
from .production_requests import check_graph, task_violations, violation_error

__all__ = ["check_graph", "task_violations", "violation_error", "verify_no_production"]


# Registered on the full task SET, which taskgraph verifies before the full task graph:
# taskgraph's own verify_task_identifiers (a full_task_graph verification) reads
# task["workerType"] and raises KeyError on a task that names its pool only by
# taskQueueId, so the guard must have spoken by then.
@verifications.add("full_task_set")
def verify_no_production(task, taskgraph, scratch_pad, graph_config, parameters):
    """taskgraph verification: fail a staging graph that asks for production."""
    if task is not None or not is_staging(parameters, graph_config):
        return
    lines = check_graph(taskgraph, graph_config, parameters)
    if lines:
        raise violation_error(lines)
