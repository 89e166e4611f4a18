"""Try form of release-bouncer-check: this release's products on the staging redirector.

The task follows each product's redirects (as Firefox and curl do) and checks they
land on a file under ``ARCHIVE_PREFIX``. On Try ``PRODUCTS`` holds exactly this
release's Bouncer products as the bouncer rewrite names them
(:func:`naming.bouncer_product`), ``BOUNCER_REDIRECTOR`` is the services' redirector
and ``ARCHIVE_PREFIX`` this release's ``pub`` directory, where its locations land.
"""

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import ConfigError
from .explain import explains
from taskgraph_staging.model.workers import product_kind
from .bouncer import staging_product
from .docker_env import split_list, task_env
from .registry import rewriter
from .staging import task_release

ENV = ("BOUNCER_REDIRECTOR", "PRODUCTS", "ARCHIVE_PREFIX")


@rewriter("bouncer-check", summary="this release's Bouncer products checked on the staging redirector")
def rewrite_bouncer_check(ctx, task):
    rel = task_release(ctx, task)
    env = task_env(task, "bouncer-check", ENV)
    products, sep = split_list(env["PRODUCTS"])
    names = []
    for product in products:
        name = staging_product(rel, product, task["label"])
        if product_kind(name) is None:
            raise ConfigError(f"Bouncer product {name!r} matches none of bouncerscript's product patterns",
                              where=f"task {task['label']}")
        names.append(name)
    env["PRODUCTS"] = sep.join(names)
    env["BOUNCER_REDIRECTOR"] = rel.services.bouncer_redirector
    env["ARCHIVE_PREFIX"] = naming.archive_pub_prefix(rel)


explains(
    "bouncer-check",
    task_types="release-bouncer-check",
    production="follows every product of the release on download.mozilla.org and checks the redirects land on the CDN",
    try_form="PRODUCTS = this release's namespaced Bouncer products, BOUNCER_REDIRECTOR = the staging redirector, "
    "ARCHIVE_PREFIX = this release's pub directory",
    verifies="every product bouncer-sub added exists on the staging redirector for every platform and locale and "
    "redirects to a file of this release that exists",
    cannot="the production CDN and its mirrors' propagation; the production product names on a shared Bouncer "
    "(they are namespaced there)",
)
