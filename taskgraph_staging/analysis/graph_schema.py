"""The fields of a finished task that the audit reads, as msgspec schemas.

A task graph read from a file (what ``plan --output`` wrote, or a task-graph json a
user hands over) is checked against :class:`Task` before the inventory and the guard
read it: a field of the wrong type (``routes`` a string, a ``payload`` that is a
number, a label that is not a string) is refused in one line naming the task and the
field, instead of being read wrongly (a string iterated as a list of routes) or
raising. Taskcluster's own rule holds too: a task names its worker pool.

Only the fields :mod:`~taskgraph_staging.analysis.inventory`,
:mod:`~taskgraph_staging.analysis.guard` and :mod:`~taskgraph_staging.model.families`
read are typed; every other field passes through unchecked (deliberately: payloads
are the workers' contract, which their own schemas check). A field the readers treat
as absent when null is ``Optional``; one they read as soon as it is present is not.
Every optional field defaults to ``UNSET``, so a task read back as builtins
(:func:`decode_graph`) holds exactly the typed keys the file holds, a null as null.
"""

from typing import Any, Optional, Union

import msgspec
from msgspec import UNSET, Struct, UnsetType

from taskgraph_staging.model.errors import validation_problem

#: A scope, or a ``{"task-reference": ...}`` taskgraph resolves when it creates the task.
Scope = Union[str, dict[str, str]]


class Destinations(Struct):
    # Archive keys beetmover uploads to.
    destinations: list[str] = []


class ArtifactMapEntry(Struct):
    # Upstream artifact path -> where it goes.
    paths: Union[dict[str, Destinations], None, UnsetType] = UNSET


class TagInfo(Struct):
    # VCS tags treescript or landoscript would push.
    tags: list[str] = []


class VersionBumpInfo(Struct):
    # Version files a bump would commit, and the version it writes.
    files: list[str] = []
    next_version: Union[str, None, UnsetType] = UNSET


class SubmissionEntry(Struct):
    # Bouncer platform -> location path.
    paths_per_bouncer_platform: Union[dict[str, str], None, UnsetType] = UNSET


class Payload(Struct):
    """The payload fields that name what a task writes, and where."""

    # beetmover
    artifactMap: Union[list[ArtifactMapEntry], None, UnsetType] = UNSET
    dataMap: Union[list[Destinations], None, UnsetType] = UNSET
    partners: Union[list[str], None, UnsetType] = UNSET
    # the release a payload names (beetmover push-to-releases, balrog, bouncer)
    product: Union[str, None, UnsetType] = UNSET
    version: Union[str, None, UnsetType] = UNSET
    build_number: Union[int, None, UnsetType] = UNSET
    # balrog
    behavior: Union[str, None, UnsetType] = UNSET
    blob_suffix: Union[str, None, UnsetType] = UNSET
    suffixes: Union[list[str], None, UnsetType] = UNSET
    channel_names: Union[list[str], None, UnsetType] = UNSET
    pin_channels: Union[list[str], None, UnsetType] = UNSET
    rules_to_update: Union[list[str], None, UnsetType] = UNSET
    publish_rules: Union[list[int], None, UnsetType] = UNSET
    archive_domain: Union[str, UnsetType] = UNSET
    download_domain: Union[str, UnsetType] = UNSET
    # bouncer
    submission_entries: Union[dict[str, Optional[SubmissionEntry]], None, UnsetType] = UNSET
    aliases_entries: Union[dict[str, str], None, UnsetType] = UNSET
    bouncer_products: Union[list[str], None, UnsetType] = UNSET
    # ship-it
    release_name: Union[str, None, UnsetType] = UNSET
    # treescript, landoscript
    actions: Union[list[str], None, UnsetType] = UNSET
    push: Union[bool, None, UnsetType] = UNSET
    dry_run: Union[bool, None, UnsetType] = UNSET
    source_repo: Union[str, UnsetType] = UNSET
    lando_repo: Union[str, UnsetType] = UNSET
    tag_info: Union[TagInfo, None, UnsetType] = UNSET
    version_bump_info: Union[VersionBumpInfo, None, UnsetType] = UNSET
    # stores
    commit: Union[bool, None, UnsetType] = UNSET
    google_play_track: Union[str, None, UnsetType] = UNSET
    channel: Union[str, None, UnsetType] = UNSET
    target_store: Union[str, None, UnsetType] = UNSET


class TaskDefinition(Struct):
    """The Taskcluster task definition's fields the audit reads."""

    scopes: list[Scope] = []
    routes: list[str] = []
    payload: Union[Payload, UnsetType] = UNSET
    # kind, worker-implementation, ...
    tags: dict[str, str] = {}
    # the pool: taskQueueId, or provisionerId and workerType
    provisionerId: Union[str, UnsetType] = UNSET
    workerType: Union[str, UnsetType] = UNSET
    taskQueueId: Union[str, UnsetType] = UNSET


class Task(Struct):
    """One task of a task-graph json: its label and its definition."""

    label: str
    task: TaskDefinition
    attributes: dict[str, Any] = {}


class _GraphTask(Struct):
    """A task as :func:`decode_graph` reads it: attributes checked to be a mapping,
    their values left undecoded (no reader of a finished graph reads them)."""

    label: str
    task: TaskDefinition
    attributes: dict[str, msgspec.Raw] = {}


_GRAPH_DECODER = msgspec.json.Decoder(dict[str, _GraphTask])


def _pool_problem(definition):
    if definition.taskQueueId is UNSET and (definition.provisionerId is UNSET or definition.workerType is UNSET):
        return "task: names no worker pool (taskQueueId, or provisionerId and workerType)"
    return None


def decode_graph(data):
    """The tasks of a task-graph json (bytes) as ``{key: {"label": ..., "task": ...}}``
    of builtins holding only the fields typed here, decoded straight into the schema
    (the untyped fields are skipped, never built).

    None when the file is not JSON, not a mapping, or holds a task :func:`task_problem`
    refuses: the caller decodes it again untyped to name the problem as it always has.
    """
    try:
        graph = _GRAPH_DECODER.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return None
    if any(_pool_problem(t.task) for t in graph.values()):
        return None
    return msgspec.to_builtins({key: {"label": t.label, "task": t.task} for key, t in graph.items()})


def task_problem(task):
    """Why ``task`` (one value of a task-graph json) is not a task the audit can read,
    as ``"<field>: <problem>"``, or None."""
    try:
        checked = msgspec.convert(task, Task)
    except msgspec.ValidationError as e:
        return validation_problem(e)
    return _pool_problem(checked.task)
