"""The staging layer: derive the Try form of finished production-shaped tasks.

Appended after the ``task`` transforms by :mod:`taskgraph_staging.staging.loader`. On a
production graph it changes nothing. On a staging graph (level below 3, or a try
project) it runs each task family's registered rewrite, then records what it did
in ``task.extra.staging`` so the plan, the explanation and the audit can show it. A
rewrite that finds no Try form for a task returns :class:`~.registry.LeaveOut`: the task
is left out of the graph, and its family's explain row says when.
"""

import functools
import logging
from dataclasses import dataclass, replace

from taskgraph.transforms.base import TransformSequence

from taskgraph_staging.model.parameters import is_staging, partials, staging_config, staging_release
from taskgraph_staging.model.release import StagingRelease
from taskgraph_staging.model import naming
from taskgraph_staging.model.families import DEFAULT_KIND_FAMILIES, families_of
from .registry import REWRITERS, LeaveOut

logger = logging.getLogger(__name__)
transforms = TransformSequence()


@dataclass
class StagingContext:
    """What a family rewrite needs to know, resolved once per kind."""

    config: object  # taskgraph TransformConfig
    release: StagingRelease
    scope_prefix: str
    #: ``{kind: family}`` of the graph (the defaults and ``staging-release.kind-families``).
    kind_families: dict = None

    @property
    def params(self):
        return self.config.params

    @property
    def graph_config(self):
        return self.config.graph_config

    @functools.cached_property
    def memo(self):
        """A per-kind cache for rewrites that read the same upstream task many times
        (every update verify chunk reads its platform's config task)."""
        return {}

    @functools.cached_property
    def partials(self):
        """The release's partials (:func:`~taskgraph_staging.model.parameters.partials`), read once per kind."""
        return partials(self.params, self.graph_config)

    def scope(self, rest):
        return f"{self.scope_prefix}:{rest}"


def replace_scopes(task_def, mapping):
    """Replace scopes by ``{old: new}``, keeping the list de-duplicated and sorted."""
    scopes = {mapping.get(s, s) for s in task_def.get("scopes", [])}
    task_def["scopes"] = sorted(scopes)


def record(task, key, value):
    """Record a fact in ``task.extra.staging.<key>``. The layer records each family's
    summary under the family's name and the namespace under ``namespace``; a rewrite
    records what it found out under any other key."""
    task["task"].setdefault("extra", {}).setdefault("staging", {})[key] = value


def explain(task, text):
    """Append a paragraph to the task's ``metadata.description``, the first thing a
    release engineer reads on the task's page."""
    metadata = task["task"].setdefault("metadata", {})
    description = metadata.get("description", "").rstrip()
    metadata["description"] = f"{description}\n\nStaging: {text}" if description else f"Staging: {text}"


def task_release(ctx, task):
    """The staging release as this task's shipping product sees it (a graph may ship
    several products, e.g. firefox and fenix)."""
    product = task.get("attributes", {}).get("shipping_product")
    if product and product != ctx.release.product:
        return replace(ctx.release, product=product)
    return ctx.release


def scopes_under(task_def, prefix):
    """The rest of every scope of ``task_def`` that starts with ``prefix``."""
    return [s[len(prefix):] for s in task_def.get("scopes", []) if isinstance(s, str) and s.startswith(prefix)]


def retarget_scopes(ctx, task_def, under, target, only=None):
    """Point every ``<prefix>:<under><value>`` scope at ``<under><target>`` (for the
    values ``only`` accepts): ``signing:cert:``, ``beetmover:bucket:``..."""
    prefix = ctx.scope(under)
    replace_scopes(
        task_def,
        {
            f"{prefix}{value}": f"{prefix}{target}"
            for value in scopes_under(task_def, prefix)
            if value != target and (only is None or only(value))
        },
    )


def apply_pool_override(ctx, task, family):
    """Run the task on the worker pool the services give ``family`` (a library slot's
    dedicated pool, ``"provisioner/worker-type"``), if any. Returns the pool or None."""
    pool = ctx.release.services.pool(family)
    if pool:
        provisioner, worker_type = pool.split("/", 1)
        task["task"]["provisionerId"] = provisioner
        task["task"]["workerType"] = worker_type
    return pool


@transforms.add
def rewrite_for_staging(config, tasks):
    if not is_staging(config.params, config.graph_config):
        yield from tasks
        return
    ctx = StagingContext(
        config=config,
        release=staging_release(config.params, config.graph_config),
        scope_prefix=config.graph_config["scriptworker"]["scope-prefix"],
    )
    kind_families = dict(DEFAULT_KIND_FAMILIES)
    kind_families.update(staging_config(config.graph_config).get("kind-families", {}))
    ctx.kind_families = kind_families
    if config.kind == staging_config(config.graph_config).get("index-kind", "build"):
        # Only the index kind waits for all its tasks; every other kind streams them.
        tasks = list(tasks)
        index_in_flight(ctx, tasks)
    namespace = str(ctx.release.namespace)
    for task in tasks:
        left_out = None
        for family in families_of(task, ctx.scope_prefix, kind_families):
            rewrite = REWRITERS.get(family)
            if rewrite:
                result = rewrite.func(ctx, task)
                if isinstance(result, LeaveOut):
                    left_out = result
                    break
                record(task, family, rewrite.summary)
        if left_out:
            logger.warning("staging: %s has no Try form and is left out of the graph: %s", task["label"], left_out.reason)
            continue
        record(task, "namespace", namespace)
        yield task


def index_in_flight(ctx, tasks):
    """Index the release at its in-flight path, so ``audit --live`` and ``push`` find it
    while it runs: in the kind named by ``staging-release.index-kind`` (default
    ``build``), the first build-phase task without dependencies of each product (by
    label) carries the route. taskgraph allows one task per index route; the indexed
    task's task group is the release's decision task (see
    :func:`taskgraph_staging.analysis.live.fetch_graph`).
    """
    if ctx.config.kind != staging_config(ctx.graph_config).get("index-kind", "build"):
        return
    first = {}
    for task in tasks:
        attributes = task.get("attributes", {})
        if attributes.get("shipping_phase") == "build" and not task.get("dependencies"):
            product = attributes.get("shipping_product")
            if product not in first or task["label"] < first[product]["label"]:
                first[product] = task
    for task in first.values():
        route = naming.index_route(task_release(ctx, task), ctx.graph_config["trust-domain"], ctx.params["project"])
        task["task"].setdefault("routes", []).append(route)
