"""Try form of tagging and version bump tasks on landoscript.

``lando_repo`` becomes the shared staging repository gecko's own Try form uses
(:func:`naming.staging_lando_repo`) with its ``lando:repo`` scope, tags are
namespaced (:func:`naming.vcs_tag`) on the Try revision, and ``dry_run`` is forced:
landoscript prepares its Lando actions and logs them instead of submitting. What
production would have landed is in what landoscript writes: the version bump diff
(:data:`VERSION_BUMP_DIFF`) and, for tags, the task log (:data:`TASK_LOG`), where
it lists every action it would have submitted.
"""

from taskgraph_staging.model import naming
from .explain import explains
from .registry import rewriter
from .staging import explain, record, retarget_scopes, task_release
from .treescript import rewrite_tag_info

#: Written by landoscript's version_bump action (into its public/build directory).
VERSION_BUMP_DIFF = "public/build/version-bump.diff"
#: The task log every scriptworker task uploads; a dry run logs the Lando actions there.
TASK_LOG = "public/logs/live_backing.log"


explains(
    "lando",
    task_types="tagging and version bump through landoscript",
    production="landoscript lands tags and version bumps on the release repository through Lando",
    try_form="dry run on a staging Lando repository with namespaced tags on the Try head",
    verifies="the actions are accepted and their diffs (public/build/version-bump.diff) show what would land",
    cannot="landing on the release repository (lando:repo:<branch> is production-only)",
)


@rewriter("lando", summary="dry run on a staging Lando repo: namespaced tags on the Try head, nothing landed")
def rewrite_lando(ctx, task):
    task_def = task["task"]
    payload = task_def.setdefault("payload", {})
    rel = task_release(ctx, task)
    repo = naming.staging_lando_repo(rel)
    production_repo = payload.get("lando_repo")
    payload["lando_repo"] = repo
    retarget_scopes(ctx, task_def, "lando:repo:", repo)
    tags = rewrite_tag_info(ctx, rel, payload)
    if tags and "hg_repo_url" in payload["tag_info"]:
        if ctx.params.get("repository_type") == "hg":
            payload["tag_info"]["hg_repo_url"] = ctx.params["head_repository"]
        else:
            del payload["tag_info"]["hg_repo_url"]
    payload["dry_run"] = True
    artifacts = [VERSION_BUMP_DIFF] if "version_bump" in payload.get("actions", []) else []
    artifacts.append(TASK_LOG)
    record(
        task,
        "outgoing",
        {
            "artifacts": artifacts,
            "lando_repo": repo,
            "production_lando_repo": production_repo,
            "revision": ctx.params["head_rev"],
            "tags": tags,
            "pushed": False,
        },
    )
    explain(
        task,
        f"dry run on the staging Lando repository {repo} (production: {production_repo}); nothing is landed. "
        + (f"Tags {', '.join(tags)} become {', '.join(tags.values())} on {ctx.params['head_rev']}. " if tags else "")
        + f"What production would have landed is in {' and '.join(artifacts)}.",
    )
