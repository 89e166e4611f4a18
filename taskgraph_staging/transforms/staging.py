"""The staging layer: derive the Try form of finished production-shaped tasks.

Appended after the ``task`` transforms by :mod:`taskgraph_staging.loader`. On a
production graph it changes nothing. On a staging graph (level below 3, or a try
project) it runs each task family's registered rewrite, then records what it did
in ``task.extra.staging`` so the plan, the explanation and the audit can show it.
"""

from dataclasses import dataclass

from taskgraph.transforms.base import TransformSequence

from ..parameters import is_staging, staging_config, staging_release
from ..release import StagingRelease
from .registry import DEFAULT_KIND_FAMILIES, REWRITERS, families_of

transforms = TransformSequence()


@dataclass
class StagingContext:
    """What a family rewrite needs to know, resolved once per kind."""

    config: object  # taskgraph TransformConfig
    release: StagingRelease
    scope_prefix: str

    @property
    def params(self):
        return self.config.params

    @property
    def graph_config(self):
        return self.config.graph_config

    def scope(self, rest):
        return f"{self.scope_prefix}:{rest}"


def replace_scopes(task_def, mapping):
    """Replace scopes by ``{old: new}``, keeping the list de-duplicated and sorted."""
    scopes = {mapping.get(s, s) for s in task_def.get("scopes", [])}
    task_def["scopes"] = sorted(scopes)


def note(task, family, summary):
    task["task"].setdefault("extra", {}).setdefault("staging", {})[family] = summary


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
    for task in tasks:
        for family in families_of(task, ctx.scope_prefix, kind_families):
            rewrite = REWRITERS.get(family)
            if rewrite:
                rewrite.func(ctx, task)
                note(task, family, rewrite.summary)
        task["task"].setdefault("extra", {}).setdefault("staging", {})["namespace"] = str(ctx.release.namespace)
        yield task
