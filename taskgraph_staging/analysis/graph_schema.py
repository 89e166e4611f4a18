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
Every optional field defaults to ``UNSET``.

:func:`decode_graph` decodes a whole graph file against the same types, written as
``TypedDict`` s derived from these Structs: msgspec then builds plain dicts
straight away (no Structs converted to builtins afterwards, a third less time), and a
task holds exactly the typed keys the file holds, a null as null, an absent field
absent (every reader asks ``.get`` with the default the Struct gives).
"""

from typing import Any, Optional, TypedDict, Union, get_args, get_origin

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


class UpstreamArtifact(Struct):
    # Files a task reads from an upstream task (addonscript's langpacks).
    paths: list[str] = []


class SubmissionEntry(Struct):
    # Bouncer platform -> location path.
    paths_per_bouncer_platform: Union[dict[str, str], None, UnsetType] = UNSET


class Payload(Struct):
    """The payload fields that name what a task writes, and where."""

    # beetmover
    artifactMap: Union[list[ArtifactMapEntry], None, UnsetType] = UNSET
    dataMap: Union[list[Destinations], None, UnsetType] = UNSET
    partners: Union[list[str], None, UnsetType] = UNSET
    # beetmover's import into Artifact Registry (apt): the bucket keys it imports
    gcs_sources: Union[list[str], None, UnsetType] = UNSET
    # addonscript: the langpacks it submits
    upstreamArtifacts: Union[list[UpstreamArtifact], None, UnsetType] = UNSET
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


#: Struct -> the TypedDict :func:`_as_typed_dict` made of it.
_TYPED_DICTS = {}


def _as_typed_dict(tp):
    """The type ``tp`` of a Struct field with every Struct in it a ``total=False``
    ``TypedDict`` of the same fields, and ``UNSET`` dropped (absence is absence)."""
    if isinstance(tp, type) and issubclass(tp, Struct):
        if tp not in _TYPED_DICTS:
            fields = msgspec.structs.fields(tp)
            if any(f.required for f in fields):
                raise TypeError(f"{tp.__name__} has required fields; write its TypedDict by hand")
            _TYPED_DICTS[tp] = TypedDict(f"{tp.__name__}Dict", {f.encode_name: _as_typed_dict(f.type) for f in fields}, total=False)
        return _TYPED_DICTS[tp]
    origin = get_origin(tp)
    if origin is Union:
        args = tuple(_as_typed_dict(a) for a in get_args(tp) if a is not UnsetType)
        return Union[args] if len(args) > 1 else args[0]
    if origin in (list, dict):
        return origin[tuple(_as_typed_dict(a) for a in get_args(tp))]
    return tp


class _GraphTaskRequired(TypedDict):
    label: str
    task: _as_typed_dict(TaskDefinition)


class _GraphAttributes(TypedDict, total=False):
    """The attributes a reader of a finished graph reads: the AMO inventory names a
    langpack by its task's shipping product (addonscript's payload does not say it).
    The others are skipped."""

    shipping_product: Optional[str]


class _GraphTask(_GraphTaskRequired, total=False):
    """A task as :func:`decode_graph` reads it: the fields of :class:`Task`, with
    attributes checked to be a mapping and only :class:`_GraphAttributes` kept."""

    attributes: _GraphAttributes


_GRAPH_DECODER = msgspec.json.Decoder(dict[str, _GraphTask])


def _pool_problem(definition):
    if isinstance(definition, dict):
        named = "taskQueueId" in definition or ("provisionerId" in definition and "workerType" in definition)
    else:
        named = definition.taskQueueId is not UNSET or (definition.provisionerId is not UNSET and definition.workerType is not UNSET)
    if not named:
        return "task: names no worker pool (taskQueueId, or provisionerId and workerType)"
    return None


def decode_graph(data):
    """The tasks of a task-graph json (bytes) as ``{key: {"label": ..., "task": ...}}``
    of builtins holding only the fields typed here, decoded straight into dicts of the
    schema (the untyped fields are skipped, never built).

    None when the file is not JSON, not a mapping, or holds a task :func:`task_problem`
    refuses: the caller decodes it again untyped to name the problem as it always has.
    """
    try:
        graph = _GRAPH_DECODER.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return None
    for task in graph.values():
        if _pool_problem(task["task"]):
            return None
    return graph


def task_problem(task):
    """Why ``task`` (one value of a task-graph json) is not a task the audit can read,
    as ``"<field>: <problem>"``, or None."""
    try:
        checked = msgspec.convert(task, Task)
    except msgspec.ValidationError as e:
        return validation_problem(e)
    return _pool_problem(checked.task)
