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


def set_payload(config, task_def, payload, *scope_rests):
    """A scriptworker task's payload, its worker-implementation tag and its ``<prefix>:<rest>`` scopes."""
    task_def["payload"] = payload
    task_def.setdefault("tags", {})["worker-implementation"] = "scriptworker"
    set_scopes(config, task_def, *scope_rests)


def store_artifacts(worker):
    """The worker's ``upstream-artifacts`` as a store push's payload takes them: without
    the ``locale`` key the kind writes for the fan-out (snap, Flatpak and MSIX pushes)."""
    return [{k: v for k, v in a.items() if k != "locale"} for a in worker["upstream-artifacts"]]


def copy_optional(worker, payload, *fields):
    """Copy each worker ``field`` that is set into ``payload`` under its snake_case name."""
    for field in fields:
        if worker.get(field) is not None:
            payload[field.replace("-", "_")] = worker[field]


def release_version(config):
    return config.params["version"]


def release_build_number(config):
    return int(config.params["build_number"])
