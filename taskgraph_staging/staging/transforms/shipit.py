"""Try form of Ship-it tasks (shipitscript ``mark-as-shipped``).

``ship-it:production`` (and mozilla-taskgraph's ``ship-it:server:production``) become
the staging instance's scope, and the release name is this namespace's
(:func:`naming.shipit_release_name`), unique on the shared staging Ship-it.
"""

from taskgraph_staging.model import naming
from .explain import explains
from .registry import rewriter
from .staging import apply_pool_override, replace_scopes, task_release

PRODUCTION = "production"
STAGING = "staging"


@rewriter("shipit", summary="staging Ship-it, this namespace's release name")
def rewrite_shipit(ctx, task):
    rel = task_release(ctx, task)
    task_def = task["task"]
    replace_scopes(task_def, {
        ctx.scope(f"ship-it:{PRODUCTION}"): ctx.scope(f"ship-it:{STAGING}"),
        ctx.scope(f"ship-it:server:{PRODUCTION}"): ctx.scope(f"ship-it:server:{STAGING}"),
    })
    apply_pool_override(ctx, task, "shipit")
    payload = task_def.setdefault("payload", {})
    if "release_name" in payload:
        payload["release_name"] = naming.shipit_release_name(rel)


explains(
    "shipit",
    task_types="release-mark-as-shipped",
    production="shipitscript marks <Product>-<version>-build<N> shipped on the production Ship-it",
    try_form="ship-it:server:staging scope, release name <Product>-<version>-build<N>-staging-<ns>",
    verifies="the staging Ship-it knows this release and accepts marking it shipped",
    cannot="the production Ship-it's state (product-details, release history) that shipping updates; the "
    "release must exist on the staging Ship-it under its namespaced name (shipitscript only marks an existing release)",
)
