"""What the earlier graphs of a staging release hold, read from Taskcluster.

Thin I/O over taskgraph's Taskcluster helpers (``requests`` underneath): the
decision task of the push through the index, and the ``public/parameters.yml``,
``public/full-task-graph.json`` and ``public/label-to-taskid.json`` artifacts of
each previous graph through the queue.
"""

from dataclasses import dataclass

import requests
import yaml
from taskcluster.exceptions import TaskclusterFailure
from taskgraph.taskgraph import TaskGraph
from taskgraph.util.taskcluster import get_artifact
from taskgraph.util.taskgraph import find_decision_task

from taskgraph_staging.model.errors import StagingError


@dataclass(frozen=True)
class PreviousGraphs:
    """The earlier graphs a phase builds on."""

    graph_ids: tuple
    #: Parameters of the first previous graph.
    parameters: dict
    #: Every task of the previous full task graphs, the rightmost graph winning.
    full_task_graph: TaskGraph
    #: label -> taskId of every task the previous graphs created.
    label_to_taskid: dict

    def existing_tasks(self, rebuild_kinds=()):
        """label -> taskId of the tasks to reuse: those of the previous graphs not of ``rebuild_kinds``."""
        rebuild = set(rebuild_kinds)
        reusable = {
            task.label for task in self.full_task_graph.tasks.values() if task.attributes.get("kind") not in rebuild
        }
        return {label: task_id for label, task_id in sorted(self.label_to_taskid.items()) if label in reusable}


def _artifact(task_id, path):
    try:
        return get_artifact(task_id, path)
    except (TaskclusterFailure, requests.RequestException, ValueError, yaml.YAMLError) as e:
        first = " ".join(str(e).split())[:200]
        raise StagingError(
            f"cannot read {path} of task {task_id} ({first}); check the task id is a decision or action task",
            where="input.previous_graph_ids",
        )


def fetch_previous_graphs(push_parameters, graph_config, graph_ids=()):
    """Read the previous graphs (default: the decision task of this push)."""
    if not graph_ids:
        try:
            graph_ids = (find_decision_task(push_parameters, graph_config),)
        except (TaskclusterFailure, requests.RequestException, KeyError) as e:
            first = " ".join(str(e).split())[:200]
            raise StagingError(
                f"cannot find the decision task of this push in the index ({first}); give previous_graph_ids",
                where="input.previous_graph_ids",
            )
    parameters = _artifact(graph_ids[0], "public/parameters.yml")
    combined = {}
    label_to_taskid = {}
    for graph_id in graph_ids:
        combined.update(_artifact(graph_id, "public/full-task-graph.json"))
        label_to_taskid.update(_artifact(graph_id, "public/label-to-taskid.json") or {})
    _, full_task_graph = TaskGraph.from_json(combined)
    return PreviousGraphs(tuple(graph_ids), dict(parameters), full_task_graph, label_to_taskid)
