"""Release tasks of the comm host: attributes, upstreams, keyed-by values, placeholders.

Every comm release kind runs these transforms before taskgraph's ``task`` transforms.
A task names its phase and product, the kinds it depends on (the tasks of the same
platform, or all of them for a task without one) and may write worker values
``by-release-type``; strings may hold ``{version}``, ``{build_number}``,
``{build_platform}``, ``{candidates}``, ``{major_version}`` and ``{next_version}``.
"""

import copy
import re
from typing import Literal, Optional

from taskgraph.transforms.base import TransformSequence
from taskgraph.util.keyed_by import evaluate_keyed_by
from taskgraph.util.schema import Schema


class ReleaseTaskSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    # build, promote, push or ship.
    shipping_phase: Literal["build", "promote", "push", "ship"]
    # The product the task ships (default: the task's name up to its first '-').
    shipping_product: Optional[str] = None
    # Kinds whose tasks (of the same platform) this task depends on.
    upstream_kinds: Optional[list[str]] = None
    # Beetmover bucket word (beetmover:bucket:<bucket>), for beetmover tasks.
    bucket: Optional[str] = None


transforms = TransformSequence()
transforms.add_validate(ReleaseTaskSchema)

_FIELD = re.compile(r"\{([a-z_]+)\}")


def release_context(params, attributes):
    version = params["version"]
    product = attributes["shipping_product"]
    return {
        "version": version,
        "build_number": params["build_number"],
        "next_version": params["next_version"],
        "major_version": version.split(".")[0],
        "build_platform": attributes.get("build_platform", ""),
        "product": product,
        "candidates": f"pub/{product}/candidates/{version}-candidates/build{params['build_number']}/",
    }


def fill(value, context):
    if isinstance(value, str):
        return _FIELD.sub(lambda m: str(context.get(m.group(1), m.group(0))), value)
    if isinstance(value, list):
        return [fill(v, context) for v in value]
    if isinstance(value, dict):
        return {fill(k, context): fill(v, context) for k, v in value.items()}
    return value


def resolve(value, name, release_type):
    """``value`` with every ``by-release-type`` resolved, at any depth."""
    if isinstance(value, dict):
        if len(value) == 1 and "by-release-type" in value:
            return resolve(evaluate_keyed_by(value, name, {"release-type": release_type}), name, release_type)
        return {k: resolve(v, f"{name}.{k}", release_type) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, name, release_type) for v in value]
    return value


@transforms.add
def set_attributes(config, tasks):
    for task in tasks:
        attributes = task.setdefault("attributes", {})
        attributes["shipping_phase"] = task.pop("shipping-phase")
        attributes["shipping_product"] = task.pop("shipping-product", None) or task["name"].split("-")[0]
        yield task


@transforms.add
def set_upstreams(config, tasks):
    for task in tasks:
        platform = task["attributes"].get("build_platform")
        dependencies = {}
        for kind in task.pop("upstream-kinds", None) or ():
            for upstream in config.kind_dependencies_tasks.values():
                if upstream.kind != kind:
                    continue
                if upstream.attributes.get("shipping_product") != task["attributes"]["shipping_product"]:
                    continue
                if platform and upstream.attributes.get("build_platform") not in (None, platform):
                    continue
                dependencies[upstream.label] = upstream.label
        task["dependencies"] = dependencies
        yield task


@transforms.add
def fill_release_values(config, tasks):
    release_type = config.params["release_type"]
    for task in tasks:
        context = release_context(config.params, task["attributes"])
        if "worker" in task:
            task["worker"] = fill(resolve(task["worker"], f"{task['name']}.worker", release_type), context)
        for field in ("description", "scopes", "treeherder"):
            if field in task:
                task[field] = fill(task[field], context)
        task["label"] = f"{config.kind}-{task.pop('name')}"
        yield task


@transforms.add
def expand_upstream_artifacts(config, tasks):
    """``from-kind: K`` in an upstream artifact: one entry per dependency of kind K."""
    for task in tasks:
        entries = task.get("worker", {}).get("upstream-artifacts")
        if entries:
            expanded = []
            for entry in entries:
                kind = entry.pop("from-kind", None)
                if kind is None:
                    expanded.append(entry)
                    continue
                for label in sorted(task["dependencies"]):
                    if label.startswith(f"{kind}-"):
                        expanded.append(dict(copy.deepcopy(entry), taskId={"task-reference": f"<{label}>"}))
            task["worker"]["upstream-artifacts"] = expanded
        yield task


@transforms.add
def build_artifact_map(config, tasks):
    """Beetmover tasks: ``{artifact: destination}`` paths become beetmoverscript's artifactMap."""
    for task in tasks:
        bucket = task.pop("bucket", None)
        if bucket is None:
            yield task
            continue
        worker = task["worker"]
        worker["artifact-map"] = [
            {
                "locale": "en-US",
                "taskId": entry["taskId"],
                "paths": {p: {"destinations": [d], "checksums_path": d.rsplit("/", 1)[-1]} for p, d in sorted(entry["paths"].items())},
            }
            for entry in worker["upstream-artifacts"]
        ]
        worker["upstream-artifacts"] = [dict(e, paths=sorted(e["paths"]), locale="en-US") for e in worker["upstream-artifacts"]]
        prefix = config.graph_config["scriptworker"]["scope-prefix"]
        task["scopes"] = sorted({f"{prefix}:beetmover:bucket:{bucket}", f"{prefix}:beetmover:action:push-to-candidates"})
        yield task
