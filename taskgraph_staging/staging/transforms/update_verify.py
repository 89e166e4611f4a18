"""Try form of update verify: release-update-verify-config and the verify chunks.

Update verify asks Balrog for updates from every previous release to this one and
applies them. On Try it asks the staging Balrog's public endpoint on this
namespace's ``-localtest`` channel (:func:`naming.update_verify_channel`), takes
this release's files from its namespaced ``pub`` directory and previous releases
from the production archive (read only), and overrides the updater's certificates
with ``dep`` so it accepts the dep-signed MARs. The partials are those of the release
parameters (``parameters.partials()``, the same list Balrog's ``partial_versions`` and
the partials kind use) whose previous build the config can reach, so nothing is asked
for that cannot exist: no perma-red by construction.

A kind gives the config's inputs in either of two forms (docs/contracts.rst):

* arguments of ``update-verify-config-creator.py``, as Firefox's tree writes them
  (``--channel``, ``--aus-server``, ``--archive-prefix``, ``--previous-archive-prefix``,
  ``--override-certs``, one ``--partial-version`` per partial), production or staging
  values alike: the endpoint arguments are replaced by this release's, in one order, so
  both give the same Try task;
* environment variables (``CONFIG_ENV``), which a command reads as ``"$NAME"``.

The chunks read the cfg, which carries the endpoints; their ``CHANNEL`` is always their
config task's, read from that (already rewritten) dependency: a chunk never namespaces
a channel itself, so a ``CHANNEL`` it copied from a staged config cannot be namespaced
twice.
"""

from taskgraph_staging.model import naming
from .explain import explains
from .docker_env import task_env
from .registry import rewriter
from .shell_args import find_call
from .staging import explain, record, task_release
from taskgraph_staging.model.errors import ConfigError

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


#: The scripts whose arguments carry the inputs in the argument form.
CONFIG_SCRIPT = "update-verify-config-creator.py"
CHUNK_SCRIPT = "chunked-verify.sh"
#: Config arguments the Try form sets, with the environment variable of the same input.
CONFIG_ARGS = {
    "channel": "CHANNEL",
    "archive-prefix": "ARCHIVE_PREFIX",
    "aus-server": "AUS_SERVER",
    "previous-archive-prefix": "PREVIOUS_ARCHIVE_PREFIX",
    "override-certs": "OVERRIDE_CERTS",
}


def production_channel(task_def, call):
    """The channel a config task names: its ``--channel``, ``extra.channel`` or ``CHANNEL``."""
    return (
        (call.value("channel") if call and call.is_literal("channel") else None)
        or task_def.get("extra", {}).get("channel")
        or task_def.get("payload", {}).get("env", {}).get("CHANNEL")
    )


def rewrite_config_arguments(task, container, key, call, values, partial_versions):
    """Set each input where the kind gives it: its environment variable when the kind sets
    one (the command reads ``"$NAME"``), else its argument, replaced or added."""
    env = task["task"]["payload"].setdefault("env", {})
    replaced = []
    for name, value in values.items():
        variable = CONFIG_ARGS[name]
        if variable in env:
            env[variable] = value
        if call.is_literal(name) or variable not in env:
            replaced.append((name, value))
    if "PARTIAL_VERSIONS" in env:
        env["PARTIAL_VERSIONS"] = ",".join(partial_versions)
    call = call.without(*(name for name, _ in replaced), "partial-version")
    call = call.appending([("partial-version", v.split("build", 1)[0]) for v in partial_versions] + replaced)
    container[key] = call.text


@rewriter("update-verify-config", summary="staging Balrog, namespace -localtest channel, dep certs, this release's files in the namespace")
def rewrite_update_verify_config(ctx, task):
    rel = task_release(ctx, task)
    task_def = task["task"]
    prefix, reachable, unreachable = previous_releases(rel, ctx.partials)
    found = find_call(task_def, CONFIG_SCRIPT)
    if found is None:
        task_env(task, "update-verify-config", CONFIG_ENV)
    channel = production_channel(task_def, found[2] if found else None)
    if not channel:
        raise ConfigError(
            "update-verify-config task names no channel; pass --channel to the config creator or set CHANNEL",
            where=f"task {task['label']}",
        )
    values = {
        "channel": naming.update_verify_channel(rel, channel),
        "archive-prefix": naming.archive_pub_prefix(rel),
        "aus-server": rel.services.balrog_public,
        "previous-archive-prefix": prefix,
        "override-certs": OVERRIDE_CERTS,
    }
    versions = [partial_version(p) for p in reachable]
    if found:
        rewrite_config_arguments(task, *found, values, versions)
    else:
        env = task_def["payload"]["env"]
        env.update({CONFIG_ARGS[name]: value for name, value in values.items()})
        env["PARTIAL_VERSIONS"] = ",".join(versions)
    if "channel" in task_def.get("extra", {}):
        task_def["extra"]["channel"] = values["channel"]
    if unreachable:
        names = ", ".join(str(p) for p in unreachable)
        record(task, "update-verify-unreachable-partials", [str(p) for p in unreachable])
        explain(task, (
            f"partials {names} come from staging while other previous releases come from production; "
            "update verify has one previous-archive prefix, so it does not test updates from them."
        ))


def staged_config_channel(ctx, task):
    """The channel of the update verify config task ``task`` depends on, as the staging
    layer already rewrote it (its kind ran first)."""
    upstream = getattr(ctx.config, "kind_dependencies_tasks", None) or {}
    families = ctx.kind_families or {}
    for label in sorted(task.get("dependencies", {}).values()):
        dep = upstream.get(label)
        if dep is not None and families.get(dep.kind) == "update-verify-config":
            key = ("update-verify-config channel", label)
            if key not in ctx.memo:
                found = find_call(dep.task, CONFIG_SCRIPT)
                ctx.memo[key] = production_channel(dep.task, found[2] if found else None)
            channel = ctx.memo[key]
            if channel:
                return channel
    raise ConfigError(
        "update-verify task depends on no update-verify-config task naming a channel; "
        "list the config kind in kind-dependencies and depend on the platform's config task",
        where=f"task {task['label']}",
    )


@rewriter("update-verify", summary="its config task's namespace -localtest channel; env form: staging Balrog, dep certs")
def rewrite_update_verify(ctx, task):
    found = find_call(task["task"], CHUNK_SCRIPT)
    if found and found[2].value("this-chunk") is not None:
        env = task["task"]["payload"].setdefault("env", {})
    else:
        env = task_env(task, "update-verify", VERIFY_ENV)
        env["AUS_SERVER"] = task_release(ctx, task).services.balrog_public
        env["OVERRIDE_CERTS"] = OVERRIDE_CERTS
    env["CHANNEL"] = staged_config_channel(ctx, task)


explains(
    "update-verify-config",
    task_types="release-update-verify-config, release-secondary-update-verify-config (RC), "
    "release-update-verify-config-next (ESR)",
    production="runs update-verify-config-creator.py through mach: update-verify.cfg for <channel>-localtest on "
    "aus5.mozilla.org, every previous release (--include-version) from archive.mozilla.org, this release's "
    "candidates and one --partial-version per partial; an RC's secondary config tests beta-localtest from the "
    "previous betas (MAR channel override), an ESR's -next config esr-localtest-next from the previous ESRs "
    "(from the 68.0esr watershed)",
    try_form="--channel (and extra.channel) = <ns>-<channel>-localtest (<ns>-beta-localtest for the RC's "
    "secondary config, <ns>-esr-localtest-next for the ESR's -next one), --aus-server = staging Balrog public "
    "endpoint, --archive-prefix = this release's namespaced pub, --previous-archive-prefix = archive.mozilla.org/pub "
    "(read only), --partial-version = the parameters' partials, --override-certs dep; the real tree's "
    "by-release-level staging values give the same task; a kind passing environment variables gets the same "
    "values there (CHANNEL, AUS_SERVER, ARCHIVE_PREFIX, PREVIOUS_ARCHIVE_PREFIX, PARTIAL_VERSIONS, OVERRIDE_CERTS)",
    verifies="the release history and update paths the config would hold, against this release's own Balrog "
    "release blob and rules",
    cannot="updates served by the production Balrog and CDN; a mix of staging- and production-sourced partials "
    "(one previous-archive prefix: the staging ones are left out and the task says so)",
)
explains(
    "update-verify",
    task_types="release-update-verify, release-secondary-update-verify (RC), release-update-verify-next (ESR)",
    production="chunked-verify.sh --total-chunks=N --this-chunk=M (16 chunks, 30 on mac; the ESR's -next 12) on the fetched "
    "update-verify.cfg: downloads each previous build, asks Balrog for the update, applies it with the "
    "release-signed updater and publishes diff-summary.log",
    try_form="same chunks on the config's Try cfg; CHANNEL = the config task's rewritten channel, read from that "
    "task (never namespaced again); a kind passing environment variables also gets AUS_SERVER = staging Balrog and "
    "OVERRIDE_CERTS=dep",
    verifies="Balrog's answers (complete and partial MARs, fileUrls inside the namespace), MAR download, dep "
    "signatures, applying each update to each previous build and the resulting files",
    cannot="the release signing key (the updater's certificates are overridden to accept dep1 signatures: "
    "production release keys never sign on Try)",
)
