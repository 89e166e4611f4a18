"""Try form of tagging and version bump tasks on landoscript.

As the real tree's Try form: ``lando_repo`` becomes Lando's staging repository of the
train (:func:`naming.staging_lando_repo`: ``staging-firefox-beta``, ...) with its
``lando:repo`` scope, and landoscript lands there for real; tags are namespaced
(:func:`naming.vcs_tag`) on the Try revision. A production Lando repository is never
the target (the guard refuses any ``lando_repo`` outside Lando's ``staging-*`` ones).
The staging repository is one for every namespace: the version bump writes the same
files whoever releases (shared by nature, :mod:`taskgraph_staging.analysis.isolation`).

What landed is in what landoscript writes: the Lando actions it submitted
(:data:`LANDO_ACTIONS`), the diff of the version bump (:data:`VERSION_BUMP_DIFF`)
and the landing's status URL (:data:`LANDO_STATUS`).
"""

from taskgraph_staging.model import naming
from taskgraph_staging.model.parameters import release_repository
from .explain import explains
from .registry import rewriter
from .staging import explain, record, retarget_scopes, task_release
from .treescript import rewrite_tag_info

#: Written by landoscript's version_bump action (into its public/build directory).
VERSION_BUMP_DIFF = "public/build/version-bump.diff"
#: Every Lando action landoscript prepared (written before it submits them).
LANDO_ACTIONS = "public/build/lando-actions.json"
#: The landing's status URL at Lando (written once Lando took the actions).
LANDO_STATUS = "public/build/lando-status.json"


explains(
    "lando",
    task_types="release-early-tagging, release-version-bump (landoscript)",
    production="landoscript lands tags and version bumps on the release repository (firefox-beta, ...) through Lando",
    try_form="lands on Lando's staging repository of the train (staging-firefox-beta, staging-firefox-release, "
    "staging-firefox-esrNNN) with namespaced tags on the Try head, as the real tree's Try form does",
    verifies="Lando takes the actions and lands them; the version bump diff (public/build/version-bump.diff) and the "
    "actions (public/build/lando-actions.json) show what landed",
    cannot="landing on the release repository (its lando:repo scope is production-only); the staging repository is "
    "shared by every namespace, so its version files move with every staging release",
)


@rewriter("lando", summary="lands on Lando's staging repository: namespaced tags on the Try head")
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
            payload["tag_info"]["hg_repo_url"] = release_repository(ctx.params, ctx.graph_config)[0]
        else:
            # landoscript maps an hg revision through hg_repo_url; a git head's revision is the git one.
            del payload["tag_info"]["hg_repo_url"]
    bumps = "version_bump" in payload.get("actions", [])
    artifacts = [LANDO_ACTIONS, LANDO_STATUS] + ([VERSION_BUMP_DIFF] if bumps else [])
    record(
        task,
        "outgoing",
        {
            "artifact": VERSION_BUMP_DIFF if bumps else LANDO_ACTIONS,
            "artifacts": artifacts,
            "lando_repo": repo,
            "production_lando_repo": production_repo,
            "revision": release_repository(ctx.params, ctx.graph_config)[1],
            "tags": tags,
            "landed": True,
        },
    )
    revision = release_repository(ctx.params, ctx.graph_config)[1]
    would = []
    if tags:
        would.append(f"tags {', '.join(tags.values())} (production: {', '.join(tags)}) on {revision}")
    if bumps:
        info = payload["version_bump_info"]
        would.append(f"a bump to {info['next_version']} of {', '.join(info['files'])}")
    explain(
        task,
        f"lands on Lando's staging repository {repo} "
        + (f"(production: {production_repo}), " if production_repo != repo else "(the kind's staging form), ")
        + "shared by every namespace: "
        f"{'; '.join(would)}. What landed is in {' and '.join(artifacts)}.",
    )
