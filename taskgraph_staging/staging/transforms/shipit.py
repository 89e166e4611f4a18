"""Try form of Ship-it tasks (shipitscript ``mark-as-shipped``).

``ship-it:production`` (and mozilla-taskgraph's ``ship-it:server:production``) become
the staging instance's scope, and the release name is the one Ship-it gives the
release (:func:`naming.shipit_release_name`, ``<Product>-<version>-build<N>``): Ship-it
names releases itself, so on the shared staging Ship-it the name is shared by every
namespace of this version (shared by nature); a dedicated Ship-it (a library slot)
isolates it. shipitscript only marks a release that exists: it is created there
through Ship-it's ``POST /releases`` (:mod:`taskgraph_staging.interfaces.push.shipit`).
"""

from taskgraph_staging.model import naming
from .explain import explains
from .registry import rewriter
from .staging import apply_pool_override, replace_scopes, task_release

PRODUCTION = "production"
STAGING = "staging"


@rewriter("shipit", summary="staging Ship-it, the release name Ship-it gives")
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
    try_form="ship-it:server:staging scope, release name <Product>-<version>-build<N>, the name Ship-it itself "
    "gives a release from POST /releases (no namespace can be part of it); it must be created there first "
    "(POST /releases, which Ship-it accepts once the decision task of the revision is indexed)",
    verifies="the staging Ship-it knows this release and accepts marking it shipped",
    cannot="the production Ship-it's state (product-details, release history) that shipping updates; on the "
    "shared staging Ship-it the release is shared by nature with every namespace of this version and build "
    "(a collision the audit reports): only a dedicated Ship-it (a library slot) isolates it",
)
