"""What the earlier graphs of a staging release hold, read from Taskcluster.

Thin I/O over the index and queue (``requests``, each call bounded by
:data:`taskgraph_staging.analysis.live.TIMEOUT`, through the task's proxy when it has
one): the decision task of the push through the index, and the
``public/parameters.yml``, ``public/full-task-graph.json`` and
``public/label-to-taskid.json`` artifacts of each previous graph through the queue.
"""

from dataclasses import dataclass
from urllib.parse import quote

import msgspec
import requests
import yaml
from taskgraph.taskgraph import TaskGraph
from taskgraph.util.taskcluster import get_root_url

from taskgraph_staging.analysis.live import get
from taskgraph_staging.model.errors import StagingError

WHERE = "input.previous_graph_ids"


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


def _root():
    try:
        return get_root_url().rstrip("/")
    except RuntimeError as e:
        raise StagingError(f"{e}; the action reads the previous graphs from Taskcluster", where=WHERE)


def _artifact(task_id, path, session):
    url = f"{_root()}/api/queue/v1/task/{task_id}/artifacts/{quote(path, safe='')}"
    try:
        response = get(session, url, WHERE, what="the queue")
        if not response.ok:
            raise ValueError(f"HTTP {response.status_code}")
        return msgspec.json.decode(response.content) if path.endswith(".json") else yaml.safe_load(response.text)
    except (ValueError, msgspec.DecodeError, yaml.YAMLError) as e:
        first = " ".join(getattr(e, "message", str(e)).split())[:200]
        raise StagingError(
            f"cannot read {path} of task {task_id} ({first}); check the task id is a decision or action task",
            where=WHERE,
        )


def decision_index_path(parameters, graph_config):
    """The index path of the decision task of the push ``parameters`` describe (taskgraph's)."""
    if parameters.get("repository_type", "hg") == "git":
        return f"{graph_config['trust-domain']}.v2.{parameters['project']}.revision.{parameters['head_rev']}.taskgraph.decision"
    return f"{graph_config['trust-domain']}.v2.{parameters['project']}.pushlog-id.{parameters['pushlog_id']}.decision"


def _decision_task(parameters, graph_config, session):
    try:
        path = decision_index_path(parameters, graph_config)
    except KeyError as e:
        raise StagingError(f"cannot find the decision task of this push: no {e} parameter; give previous_graph_ids", where=WHERE)
    response = get(session, f"{_root()}/api/index/v1/task/{path}", WHERE, what=f"the index ({path})")
    task_id = None
    if response.ok:
        try:
            task_id = response.json().get("taskId")
        except (ValueError, AttributeError):
            task_id = None
    if not task_id:
        raise StagingError(
            f"cannot find the decision task of this push in the index ({path}: HTTP {response.status_code}); "
            "give previous_graph_ids",
            where=WHERE,
        )
    return task_id


def fetch_previous_graphs(push_parameters, graph_config, graph_ids=(), session=None):
    """Read the previous graphs (default: the decision task of this push)."""
    session = session or requests.Session()
    if not graph_ids:
        graph_ids = (_decision_task(push_parameters, graph_config, session),)
    parameters = _artifact(graph_ids[0], "public/parameters.yml", session)
    combined = {}
    label_to_taskid = {}
    for graph_id in graph_ids:
        combined.update(_artifact(graph_id, "public/full-task-graph.json", session))
        label_to_taskid.update(_artifact(graph_id, "public/label-to-taskid.json", session) or {})
    _, full_task_graph = TaskGraph.from_json(combined)
    return PreviousGraphs(tuple(graph_ids), dict(parameters), full_task_graph, label_to_taskid)
