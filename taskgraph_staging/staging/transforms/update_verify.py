"""Try form of update verify: release-update-verify-config and the verify chunks.

Update verify asks Balrog for updates from every previous release to this one and
applies them. On Try it asks the staging Balrog's public endpoint on this
namespace's ``-localtest`` channel (:func:`naming.update_verify_channel`), takes
this release's files from its namespaced ``pub`` directory and previous releases
from the production archive (read only), and sets ``OVERRIDE_CERTS=dep`` so the
updater accepts the dep-signed MARs. ``PARTIAL_VERSIONS`` lists the partials of
the release parameters (``parameters.partials()``, the same list Balrog's
``partial_versions`` and the partials kind use) whose previous build the config
can reach, so nothing is asked for that cannot exist: no perma-red by construction.
"""

from taskgraph_staging.model import naming
from .explain import explains
from .docker_env import task_env
from .registry import rewriter
from .staging import explain, record, task_release

#: Where production keeps previous releases (read only; update verify downloads them).
PRODUCTION_ARCHIVE_PUB = "https://archive.mozilla.org/pub"
OVERRIDE_CERTS = "dep"
CONFIG_ENV = (
    "PRODUCT", "PLATFORM", "TO_VERSION", "TO_APP_VERSION", "TO_BUILD_NUMBER", "CHANNEL", "AUS_SERVER",
    "ARCHIVE_PREFIX", "PREVIOUS_ARCHIVE_PREFIX", "PARTIAL_VERSIONS", "LAST_WATERSHED",
)
VERIFY_ENV = ("CHANNEL", "AUS_SERVER", "CHUNK", "TOTAL_CHUNKS", "UPDATE_VERIFY_CONFIG")


def partial_version(partial):
    """How ``PARTIAL_VERSIONS`` names a previous release: ``<version>build<N>``."""
    return f"{partial.version}build{partial.build_number}"


def previous_releases(rel, chosen):
    """(previous archive prefix, partials it holds, partials it cannot reach).

    Previous releases come from the production archive; only when every partial is a
    previous *staging* release of this namespace does the namespace's ``pub`` serve them.
    """
    if chosen and all(p.source == "staging" for p in chosen):
        return naming.archive_pub_prefix(rel), list(chosen), []
    reachable = [p for p in chosen if p.source == "production"]
    return PRODUCTION_ARCHIVE_PUB, reachable, [p for p in chosen if p.source != "production"]


@rewriter("update-verify-config", summary="staging Balrog, namespace -localtest channel, dep certs, this release's files in the namespace")
def rewrite_update_verify_config(ctx, task):
    rel = task_release(ctx, task)
    env = task_env(task, "update-verify-config", CONFIG_ENV)
    prefix, reachable, unreachable = previous_releases(rel, ctx.partials)
    env.update({
        "CHANNEL": naming.update_verify_channel(rel, env["CHANNEL"]),
        "AUS_SERVER": rel.services.balrog_public,
        "ARCHIVE_PREFIX": naming.archive_pub_prefix(rel),
        "PREVIOUS_ARCHIVE_PREFIX": prefix,
        "PARTIAL_VERSIONS": ",".join(partial_version(p) for p in reachable),
        "OVERRIDE_CERTS": OVERRIDE_CERTS,
    })
    if unreachable:
        names = ", ".join(str(p) for p in unreachable)
        record(task, "update-verify-unreachable-partials", [str(p) for p in unreachable])
        explain(task, (
            f"partials {names} come from staging while other previous releases come from production; "
            "update verify has one previous-archive prefix, so it does not test updates from them."
        ))


@rewriter("update-verify", summary="staging Balrog, namespace -localtest channel, dep certs")
def rewrite_update_verify(ctx, task):
    rel = task_release(ctx, task)
    env = task_env(task, "update-verify", VERIFY_ENV)
    env.update({
        "CHANNEL": naming.update_verify_channel(rel, env["CHANNEL"]),
        "AUS_SERVER": rel.services.balrog_public,
        "OVERRIDE_CERTS": OVERRIDE_CERTS,
    })


explains(
    "update-verify-config",
    task_types="release-update-verify-config",
    production="writes update-verify.cfg for <channel>-localtest on aus5.mozilla.org: every previous release from "
    "archive.mozilla.org and this release's candidates, with its partials",
    try_form="AUS_SERVER = staging Balrog public endpoint, CHANNEL = <ns>-<channel>-localtest, ARCHIVE_PREFIX = "
    "this release's namespaced pub, PREVIOUS_ARCHIVE_PREFIX = archive.mozilla.org/pub (read only), "
    "PARTIAL_VERSIONS = the parameters' partials, OVERRIDE_CERTS=dep",
    verifies="the release history and update paths the config would hold, against this release's own Balrog "
    "release blob and rules",
    cannot="updates served by the production Balrog and CDN; a mix of staging- and production-sourced partials "
    "(one previous-archive prefix: the staging ones are left out and the task says so)",
)
explains(
    "update-verify",
    task_types="release-update-verify",
    production="for every config line, downloads the previous build, asks Balrog for the update and applies it "
    "with the release-signed updater",
    try_form="same chunks against the staging Balrog's <ns>-<channel>-localtest channel, OVERRIDE_CERTS=dep",
    verifies="Balrog's answers (complete and partial MARs, fileUrls inside the namespace), MAR download, dep "
    "signatures, applying each update to each previous build and the resulting files",
    cannot="the release signing key (the updater's certificates are patched to accept dep1 signatures: "
    "production release keys never sign on Try)",
)
