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
    paths: Optional[dict[str, Destinations]] = None


class TagInfo(Struct):
    # VCS tags treescript or landoscript would push.
    tags: list[str] = []


class VersionBumpInfo(Struct):
    # Version files a bump would commit, and the version it writes.
    files: list[str] = []
    next_version: Optional[str] = None


class SubmissionEntry(Struct):
    # Bouncer platform -> location path.
    paths_per_bouncer_platform: Optional[dict[str, str]] = None


class Payload(Struct):
    """The payload fields that name what a task writes, and where."""

    # beetmover
    artifactMap: Optional[list[ArtifactMapEntry]] = None
    dataMap: Optional[list[Destinations]] = None
    partners: Optional[list[str]] = None
    # the release a payload names (beetmover push-to-releases, balrog, bouncer)
    product: Optional[str] = None
    version: Optional[str] = None
    build_number: Optional[int] = None
    # balrog
    behavior: Optional[str] = None
    blob_suffix: Optional[str] = None
    suffixes: Optional[list[str]] = None
    channel_names: Optional[list[str]] = None
    pin_channels: Optional[list[str]] = None
    rules_to_update: Optional[list[str]] = None
    publish_rules: Optional[list[int]] = None
    archive_domain: Union[str, UnsetType] = UNSET
    download_domain: Union[str, UnsetType] = UNSET
    # bouncer
    submission_entries: Optional[dict[str, Optional[SubmissionEntry]]] = None
    aliases_entries: Optional[dict[str, str]] = None
    bouncer_products: Optional[list[str]] = None
    # ship-it
    release_name: Optional[str] = None
    # treescript, landoscript
    actions: Optional[list[str]] = None
    push: Optional[bool] = None
    dry_run: Optional[bool] = None
    source_repo: Union[str, UnsetType] = UNSET
    lando_repo: Union[str, UnsetType] = UNSET
    tag_info: Optional[TagInfo] = None
    version_bump_info: Optional[VersionBumpInfo] = None
    # stores
    commit: Optional[bool] = None
    google_play_track: Optional[str] = None
    channel: Optional[str] = None
    target_store: Optional[str] = None


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


def task_problem(task):
    """Why ``task`` (one value of a task-graph json) is not a task the audit can read,
    as ``"<field>: <problem>"``, or None."""
    try:
        checked = msgspec.convert(task, Task)
    except msgspec.ValidationError as e:
        return validation_problem(e)
    definition = checked.task
    if definition.taskQueueId is UNSET and (definition.provisionerId is UNSET or definition.workerType is UNSET):
        return "task: names no worker pool (taskQueueId, or provisionerId and workerType)"
    return None
