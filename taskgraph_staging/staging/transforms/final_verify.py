"""Try form of release-final-verify: every URL of this release's updates resolves.

Production checks, after the release is live, that every file its updates name
exists on the CDN and via Bouncer. On Try the task asks the staging Balrog for this
namespace's channel and checks this release's namespaced archive and the staging
redirector. balrogscript names *production* Bouncer products in the fileUrls of the
non-localtest channels; on a shared Bouncer those products are not this release's
(they are namespaced), so there the task checks the ``-localtest`` channel, whose
fileUrls point at this release's archive files, and says so.

That is the environment-variable form. In the form Firefox's tree writes, the task runs
``final-verification.sh`` on the URLs of its update verify config tasks: the cfg carries
the channel, the Balrog server and the archive, all already rewritten by the config's
Try form (:mod:`.update_verify`), so the task itself has nothing production to change.
"""

from taskgraph_staging.model import naming
from .explain import explains
from .docker_env import task_env
from .registry import rewriter
from .shell_args import find_call
from .staging import explain, record, task_release
from .update_verify import staged_config_channel
from taskgraph_staging.model.errors import ConfigError

ENV = ("CHANNEL", "AUS_SERVER", "ARCHIVE_PREFIX", "BOUNCER_REDIRECTOR")
SCRIPT = "final-verification.sh"


def config_channel(ctx, task):
    """The channel of the (already rewritten) update verify configs the task reads, or
    None: an RC's secondary final verify reads the beta channel's."""
    try:
        return staged_config_channel(ctx, task)
    except ConfigError:
        return None


@rewriter("final-verify", summary="this namespace's Balrog channel, archive and the staging redirector")
def rewrite_final_verify(ctx, task):
    rel = task_release(ctx, task)
    env = task["task"].get("payload", {}).get("env", {})
    if find_call(task["task"], SCRIPT) and not any(name in env for name in ENV):
        channel = config_channel(ctx, task) or naming.update_verify_channel(rel, rel.behavior.channel)
        explain(task, (
            f"final-verification.sh reads this release's update verify configs, whose channel ({channel}, "
            "checked as its -cdntest twin), Balrog server and archive the staging layer already rewrote."
        ))
        if not rel.services.is_dedicated("bouncer"):
            record(task, "final-verify-shared-bouncer", True)
            explain(task, (
                "the Bouncer is shared: the -cdntest fileUrls balrogscript writes name production Bouncer products, "
                "which a shared instance does not hold for this namespace, so those URLs are expected not to resolve; "
                "a dedicated Bouncer (a library slot) checks them."
            ))
        return
    env = task_env(task, "final-verify", ENV)
    channel = env["CHANNEL"]
    if rel.services.is_dedicated("bouncer") or channel.endswith("-localtest"):
        env["CHANNEL"] = naming.balrog_channel(rel, channel)
    else:
        env["CHANNEL"] = naming.update_verify_channel(rel, channel)
        explain(task, (
            f"the Bouncer is shared, so the fileUrls balrogscript writes on {naming.balrog_channel(rel, channel)} "
            f"(production Bouncer product names) are not this release's; the task checks {env['CHANNEL']}, "
            "whose fileUrls point at this release's files."
        ))
    env["AUS_SERVER"] = rel.services.balrog_public
    env["ARCHIVE_PREFIX"] = naming.archive_pub_prefix(rel)
    env["BOUNCER_REDIRECTOR"] = rel.services.bouncer_redirector


explains(
    "final-verify",
    task_types="release-final-verify, release-secondary-final-verify (RC)",
    production="one task per product after bouncer-check: final-verification.sh on the product's update verify "
    "cfg URLs checks every update URL of their -cdntest channel on aus5.mozilla.org and every MAR it names; an "
    "RC's secondary final verify does the same for the beta channel's configs in the promote phase",
    try_form="unchanged: the cfgs are this release's config tasks, whose Try form already holds the namespace's "
    "channel, the staging Balrog and the namespace's archive; a kind passing environment variables gets CHANNEL = "
    "the namespace's channel (its -localtest one on a shared Bouncer), AUS_SERVER = staging Balrog, ARCHIVE_PREFIX "
    "= this release's pub, BOUNCER_REDIRECTOR = the staging redirector",
    verifies="every update URL of this release exists inside the namespace",
    cannot="CDN propagation; on a shared Bouncer the -cdntest and release channels' Bouncer-product fileUrls "
    "(balrogscript names production products there, which a shared instance cannot hold for one namespace: "
    "final-verification.sh checks them anyway and the task says so)",
)
