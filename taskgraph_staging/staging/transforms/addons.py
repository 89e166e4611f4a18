"""Try form of the AMO langpack push (addonscript, ``release-push-langpacks``).

Production submits each langpack (``.xpi``) to addons.mozilla.org with
``addons.mozilla.org:server:production``, on ``<trust-domain>-3-addon``, and AMO signs
it. The Try form asks for ``addons.mozilla.org:server:staging`` (the real tree's
``by-release-level: staging`` form), which addonscript's configuration maps to the AMO
staging server (:data:`~taskgraph_staging.model.workers.AMO_SERVERS`), on the level-1
pool; the channel is the real tree's for the Try project (``unlisted``).

addonscript's code is not in shared/upstream, so nothing here runs these tasks
(:data:`~taskgraph_staging.model.workers.WORKERS_NOT_HERE`).
"""

from taskgraph_staging.model.workers import AMO_SERVERS, WORKERS_NOT_HERE
from .explain import explains
from .registry import rewriter
from .staging import explain, record, retarget_scopes

STAGING_SERVER = "staging"
#: What the worker acceptance suite cannot run of the AMO push, and why.
ADDONSCRIPT_NOT_HERE = (
    f"addonscript ({WORKERS_NOT_HERE['addonscript']}): its code is not in shared/upstream (and no schema of it is in "
    "shared/scriptworker-schemas), so neither the conformance check nor the worker acceptance suite runs these tasks"
)

explains(
    "addons",
    task_types="release-push-langpacks",
    production="addonscript submits each langpack .xpi of linux64 (en-US from the build, the others from shippable-l10n) "
    "to addons.mozilla.org, which signs it (addons.mozilla.org:server:production, {trust-domain}-3-addon; channel listed "
    "on mozilla-beta and mozilla-release, unlisted for Devedition and elsewhere)",
    try_form="addons.mozilla.org:server:staging (the real tree's staging release level) on the level-1 addon pool; the "
    "channel is the real tree's for the Try project (unlisted)",
    verifies="on Try, the dev pool submits every langpack of the release to AMO's staging server "
    f"({AMO_SERVERS[STAGING_SERVER]}) and AMO staging signs it",
    cannot="isolation: the add-on id and version come from each langpack's manifest (langpack-<locale>@firefox.mozilla.org, "
    "the release's version), not from the task, and AMO's staging server is one for everybody, so two staging releases "
    f"of one version submit the same add-on versions and the second is refused; {ADDONSCRIPT_NOT_HERE}",
)


@rewriter("addons", summary="addons.mozilla.org:server:staging: the langpacks go to AMO's staging server")
def rewrite_addons(ctx, task):
    task_def = task["task"]
    retarget_scopes(ctx, task_def, "addons.mozilla.org:server:", STAGING_SERVER)
    paths = [p for a in task_def.get("payload", {}).get("upstreamArtifacts", []) for p in a.get("paths", [])]
    record(task, "amo", {"server": AMO_SERVERS[STAGING_SERVER], "langpacks": paths})
    explain(
        task,
        f"submits {len(paths)} langpack(s) to AMO's staging server {AMO_SERVERS[STAGING_SERVER]}, shared by every staging "
        "release: the add-on ids and versions come from the langpacks, so a second staging release of this version is refused.",
    )
