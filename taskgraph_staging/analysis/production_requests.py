"""The production requests of a graph's tasks: what the production guard refuses.

Pure, and free of taskgraph's verifications (importing them loads taskgraph's task
transforms), so the audit reads graphs without them.
:mod:`taskgraph_staging.analysis.guard` registers :func:`check_graph` as a taskgraph
verification: on a staging graph (level below 3 or a try project, see
:func:`taskgraph_staging.model.parameters.is_staging`) it fails generation when a task

* requests a scope scriptworker's ``cot_restricted_scopes`` restricts to production
  trees (or a wildcard covering one),
* runs on a level-3 worker pool or provisioner,
* writes (per :mod:`taskgraph_staging.analysis.inventory`) to a production host, bucket, store
  or Balrog channel.

All violations are reported at once, one line each, naming task, value and reason.
"""

import dataclasses
import functools

from taskgraph_staging.model.errors import GuardViolation
from .inventory import as_task, graph_tasks, inventory_in, inventory_options, make_context, scope_strings
from taskgraph_staging.model.production import (
    channel_reason,
    destination_reason,
    host_reason,
    pool_reason,
    lando_repo_reason,
    repository_reason,
    resource_reason,
    route_reason,
    scope_reason,
    store_scope_channel,
)

#: Balrog payload fields naming channels, and fields naming hosts.
CHANNEL_FIELDS = ("channel_names", "rules_to_update", "pin_channels")
HOST_FIELDS = ("archive_domain", "download_domain")
MOCK_CHANNEL = "mock"
#: Every payload field :func:`_payload_violations` reads.
PAYLOAD_FIELDS = frozenset(
    CHANNEL_FIELDS + HOST_FIELDS + ("artifactMap", "actions", "push", "dry_run", "source_repo", "lando_repo", "channel")
)


def _pools(task_def):
    """Every pool the task names: ``provisionerId/workerType`` and ``taskQueueId``."""
    pools = []
    if "workerType" in task_def or "provisionerId" in task_def:
        pools.append(f"{task_def.get('provisionerId', '')}/{task_def.get('workerType', '')}")
    if "taskQueueId" in task_def:
        pools.append(task_def["taskQueueId"])
    return pools


def _pool_form_reason(pools):
    """Why a task's pool forms (:func:`_pools`) cannot be classed: they disagree (the
    queue would act on one of them), or neither is given."""
    if not pools:
        return "the task names no worker pool"
    if len({str(p).lower() for p in pools}) > 1:
        return "provisionerId/workerType and taskQueueId name different pools"
    return None


def _shown(value):
    """A value as the report prints it: quoted when it holds whitespace or control characters."""
    return value if isinstance(value, str) and value.isprintable() and value == value.strip() else repr(value)


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _payload_violations(task_def, scopes):
    """``(value, reason)`` for each payload field a worker reads as a production target."""
    payload = task_def.get("payload") or {}
    if not isinstance(payload, dict):
        return [("payload", "it is not a mapping")]
    if PAYLOAD_FIELDS.isdisjoint(payload):
        return []  # most tasks: no field below to read
    found = []
    for field in CHANNEL_FIELDS:
        for channel in _as_list(payload.get(field) or []):
            reason = channel_reason(channel)
            if reason:
                found.append((f"Balrog channel {_shown(channel)}", reason))
    for field in HOST_FIELDS:
        if field in payload:
            reason = host_reason(payload[field])
            if reason:
                found.append((f"{field} {_shown(payload[field])}", reason))
    for entry in payload.get("artifactMap") or []:
        for path in (entry.get("paths") or {}).values():
            for dest in path.get("destinations") or []:
                reason = destination_reason(dest)
                if reason:
                    found.append((f"beetmover destination {_shown(dest)}", reason))
    pushes = "push" in (payload.get("actions") or []) or payload.get("push") or payload.get("dry_run") is False
    if "source_repo" in payload and pushes:
        reason = repository_reason(payload["source_repo"])
        if reason:
            found.append((f"treescript push to {_shown(payload['source_repo'])}", reason))
    if "lando_repo" in payload and payload.get("dry_run") is not True:
        reason = lando_repo_reason(payload["lando_repo"])
        if reason:
            found.append((f"lando push to {_shown(payload['lando_repo'])}", reason))
    if payload.get("channel") == MOCK_CHANNEL:
        for scope in scopes:
            words = scope.split(":")
            family_at = next((i for i, w in enumerate(words) if w in ("snapcraft", "flathub", "microsoftstore")), None)
            if family_at is not None and store_scope_channel(words[family_at + 1:] or [""]) != MOCK_CHANNEL:
                found.append((f"scope {scope} beside channel mock", "the worker publishes by the scope's channel"))
    return found


def _definition_violations(scopes, routes, pools, owner):
    """``(value, reason)`` of a task's scopes, routes and pool forms (tuples): the part
    of its verdict that does not depend on its payload, which the tasks of a graph
    share in a few dozen forms (25 in 12,786 tasks of the reference beta)."""
    found = []
    for scope in scopes:
        reason = scope_reason(scope)
        if reason:
            found.append((f"scope {_shown(scope)}", reason))
    for route in routes:
        reason = route_reason(route, owner)
        if reason:
            found.append((f"route {_shown(route)}", reason))
    for pool in pools:
        reason = pool_reason(pool)
        if reason:
            found.append((f"worker pool {_shown(pool)}", reason))
    reason = _pool_form_reason(pools)
    if reason:
        found.append((f"worker pool {' and '.join(map(_shown, pools)) or '(none)'}", reason))
    return tuple(found)


_remembered_definition_violations = functools.lru_cache(maxsize=1024)(_definition_violations)


def task_violations(task, trust_domain, ctx, owner=None, resources=None):
    """Violations of one finished task, as ``(label, value, reason)``: every scope, route
    and pool form, the payload fields workers read as targets, and the inventory.

    ``resources``: the task's inventory when the caller has it already (the audit).
    """
    task_def = task["task"]
    label = task["label"]
    scopes = scope_strings(task_def)
    shape = (tuple(scopes), tuple(task_def.get("routes") or ()), tuple(_pools(task_def)), owner)
    try:
        fixed = _remembered_definition_violations(*shape)
    except TypeError:  # a value of no hashable type (unclassable: reported, not remembered)
        fixed = _definition_violations(*shape)
    found = [(label, value, reason) for value, reason in fixed]
    for value, reason in _payload_violations(task_def, scopes):
        found.append((label, value, reason))
    if resources is None:
        resources = inventory_in(task, ctx)
    if resources:
        seen = {(value, reason) for _, value, reason in found}
        for resource in resources:
            hit = resource_reason(resource)
            if hit and hit not in seen:
                seen.add(hit)
                found.append((label, *hit))
    return found


def _shape(task_def):
    """What decides a task's inventory and verdict when its payload names nothing a
    reader reads (the typed decode leaves two thirds of a release graph's payloads
    empty): kind, scopes, routes and pool fields. None when the payload names
    something, or a value is of no hashable type (that task is judged on its own)."""
    payload = task_def.get("payload", {})
    if not isinstance(payload, dict) or payload:
        return None
    tags = task_def.get("tags")
    key = (tags.get("kind") if isinstance(tags, dict) else None, tuple(task_def.get("scopes", ())),
           tuple(task_def.get("routes", ())), tuple(_pools(task_def)))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def judge_tasks(tasks, trust_domain, ctx, owner=None):
    """``(inventory, violations)`` of each finished task, in order, as
    :func:`inventory_in` and :func:`task_violations` give them. Tasks of one
    :func:`_shape` are judged once; the others of that shape get the same findings
    under their own label."""
    memo = {}
    out = []
    for task in tasks:
        shape = _shape(task["task"])
        if shape is None:
            resources = inventory_in(task, ctx)
            out.append((resources, task_violations(task, trust_domain, ctx, owner, resources)))
            continue
        found = memo.get(shape)
        if found is None:
            resources = inventory_in(task, ctx)
            violations = task_violations(task, trust_domain, ctx, owner, resources)
            memo[shape] = found = (task["label"], resources, violations)
        label, resources, violations = found
        if label != task["label"] and (resources or violations):
            resources = [dataclasses.replace(r, label=task["label"]) for r in resources]
            violations = [(task["label"], value, reason) for _, value, reason in violations]
        out.append((resources, violations))
    return out


def judge_graph(taskgraph, graph_config, parameters):
    """``(inventories, lines)``: each task's inventory in the graph's task order, and every
    production request of its tasks, one line each, sorted (empty when clean).

    Checks regardless of the graph's level; the verification only runs it on staging graphs.
    """
    ctx = make_context(**inventory_options(graph_config, parameters))
    tasks = [as_task(task) for task in graph_tasks(taskgraph)]
    judged = judge_tasks(tasks, graph_config["trust-domain"], ctx, (parameters or {}).get("owner"))
    lines = [f"{label}: {value} is production: {reason}" for _, violations in judged for label, value, reason in violations]
    return [resources for resources, _ in judged], sorted(lines)


def check_graph(taskgraph, graph_config, parameters):
    """Every production request of the graph's tasks, one line each (empty when clean):
    :func:`judge_graph`'s lines."""
    return judge_graph(taskgraph, graph_config, parameters)[1]


def violation_error(lines):
    count = len(lines)
    body = "\n".join(f"  {line}" for line in lines)
    return GuardViolation(
        f"{count} production request(s) in a non-production graph; give these tasks their "
        f"staging form (see docs/architecture.rst, 'The staging layer'):\n{body}",
        where="production guard",
    )


