"""Helpers shared by the payload builders."""

from typing import Optional

from taskgraph.util.schema import Schema, taskref_or_string_msgspec


class UpstreamArtifact(Schema, rename=None, forbid_unknown_fields=False, kw_only=True):
    # taskId of the task with the artifacts.
    taskId: taskref_or_string_msgspec
    # Type of that task, for chain of trust.
    taskType: str
    # Paths of the artifacts.
    paths: list[str]
    # Locale of the artifacts, where they have one.
    locale: Optional[str] = None


def scope_prefix(config):
    return config.graph_config["scriptworker"]["scope-prefix"]


def set_scopes(config, task_def, *rests):
    """Add ``<prefix>:<rest>`` scopes, keeping the list sorted and unique."""
    prefix = scope_prefix(config)
    scopes = set(task_def.get("scopes", []))
    scopes.update(f"{prefix}:{rest}" for rest in rests)
    task_def["scopes"] = sorted(scopes)


def mark_scriptworker(task_def):
    task_def.setdefault("tags", {})["worker-implementation"] = "scriptworker"


def release_version(config):
    return config.params["version"]


def release_build_number(config):
    return int(config.params["build_number"])
