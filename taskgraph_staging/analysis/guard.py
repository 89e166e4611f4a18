"""The production guard: a non-production graph may ask for nothing production has.

Registered as a taskgraph ``full_task_graph`` verification. On a staging graph (level
below 3 or a try project, see :func:`taskgraph_staging.model.parameters.is_staging`) it fails
generation when a task

* requests a scope scriptworker's ``cot_restricted_scopes`` restricts to production
  trees (or a wildcard covering one),
* runs on a level-3 worker pool or provisioner,
* writes (per :mod:`taskgraph_staging.analysis.inventory`) to a production host, bucket, store
  or Balrog channel.

All violations are reported at once, one line each, naming task, value and reason.
"""

from taskgraph.util.verify import verifications

from taskgraph_staging.model.errors import GuardViolation
from .inventory import as_task, graph_tasks, inventory_in, inventory_options, make_context, scope_strings
from taskgraph_staging.model.parameters import is_staging
from taskgraph_staging.model.production import production_pool_reason, production_scope_reason, resource_reason


def task_violations(task, trust_domain, ctx):
    """Violations of one finished task, as ``(label, value, reason)``."""
    task_def = task["task"]
    label = task["label"]
    found = []
    for scope in scope_strings(task_def):
        reason = production_scope_reason(scope)
        if reason:
            found.append((label, f"scope {scope}", reason))
    if "workerType" in task_def:
        pool = f"{task_def.get('provisionerId', '')}/{task_def['workerType']}"
    else:
        pool = task_def.get("taskQueueId", "")
    reason = pool and production_pool_reason(pool, trust_domain)
    if reason:
        found.append((label, f"worker pool {pool}", reason))
    seen = set()
    for resource in inventory_in(task, ctx):
        hit = resource_reason(resource)
        if hit and hit not in seen:
            seen.add(hit)
            found.append((label, *hit))
    return found


def check_graph(taskgraph, graph_config, parameters):
    """Every production request of the graph's tasks, one line each (empty when clean).

    Checks regardless of the graph's level; the verification only runs it on staging graphs.
    """
    options = inventory_options(graph_config, parameters)
    ctx = make_context(**options)
    trust_domain = graph_config["trust-domain"]
    lines = []
    for task in graph_tasks(taskgraph):
        for label, value, reason in task_violations(as_task(task), trust_domain, ctx):
            lines.append(f"{label}: {value} is production: {reason}")
    return sorted(lines)


def violation_error(lines):
    count = len(lines)
    body = "\n".join(f"  {line}" for line in lines)
    return GuardViolation(
        f"{count} production request(s) in a non-production graph; give these tasks their "
        f"staging form (see docs/architecture.rst, 'The staging layer'):\n{body}",
        where="production guard",
    )


@verifications.add("full_task_graph")
def verify_no_production(task, taskgraph, scratch_pad, graph_config, parameters):
    """taskgraph verification: fail a staging graph that asks for production."""
    if task is not None or not is_staging(parameters, graph_config):
        return
    lines = check_graph(taskgraph, graph_config, parameters)
    if lines:
        raise violation_error(lines)
