"""Try form of tagging and version bump tasks on treescript.

The task works on the Try push itself: ``source_repo`` is the Try head repository,
tags go on the pushed revision (``head_rev``) under namespaced names
(:func:`naming.vcs_tag`), the ``push`` action and its scope are gone and
``dry_run`` is set, so nothing leaves the worker. treescript still makes the
commits locally and writes ``hg outgoing -vp`` (or the git diff) against
``source_repo`` to :data:`OUTGOING_DIFF`: that artifact is what production would
have pushed, and the task's description and ``extra.staging.outgoing`` point at it.

That holds on a Mercurial head only. treescript picks its code path by the source
repository: a GitHub URL takes its GitHub path, which has no tag action (it finishes
without making the tags), writes no outgoing diff, and bumps only the files its
allowlist names (``version.txt`` and the iOS ``xcconfig`` files, at the repository
root). On a git head the task's page says so (:data:`GITHUB_PATH`); the real tree tags
and bumps through landoscript since its move to git.
"""

from taskgraph_staging.model import naming
from taskgraph_staging.model.parameters import release_repository
from .explain import explains
from .registry import rewriter
from .staging import explain, record

#: The artifact treescript writes with the outgoing changesets (its ``log_outgoing``).
OUTGOING_DIFF = "public/logs/outgoing.diff"
PUSH_ACTION = "push"
#: Where treescript takes its GitHub code path (scriptworker_client.github.is_github_url).
GITHUB_PREFIXES = ("https://github.com/", "ssh://github.com/")
GITHUB_PATH = (
    "On this git head treescript takes its GitHub code path: it has no tag action (it finishes without making the "
    "tags) and writes no outgoing diff. The real tree tags and bumps through landoscript since its move to git."
)
GITHUB_BUMP = "That path bumps only version.txt and the iOS xcconfig files at the repository root: it refuses these version files."


def rewrite_tag_info(ctx, rel, payload):
    """Namespace the tags and move them to the Try revision; returns {production: staging}."""
    tag_info = payload.get("tag_info")
    if not tag_info:
        return {}
    tags = {tag: naming.vcs_tag(rel, tag) for tag in tag_info["tags"]}
    tag_info["tags"] = list(tags.values())
    tag_info["revision"] = release_repository(ctx.params, ctx.graph_config)[1]
    return tags


explains(
    "treescript",
    task_types="release-early-tagging, release-version-bump on treescript (the comm host's, on hg)",
    production="treescript tags the release revision and bumps version files, then pushes to the release repository",
    try_form="dry run against the Try head repository at the pushed revision: namespaced tags, no push action",
    verifies="the tags and version bump apply cleanly; the outgoing diff (public/logs/outgoing.diff) shows what production "
    "would have pushed",
    cannot="the push itself (treescript:action:push is production-only) and the release repository's hooks; on a git "
    "Try head, anything: treescript's GitHub path makes no tags, writes no outgoing diff and refuses Firefox's "
    "version files (its allowlist names version.txt and the iOS files), which the task's page then says",
)


@rewriter("treescript", summary="dry run on the Try head: namespaced tags, no push, outgoing diff published")
def rewrite_treescript(ctx, task):
    task_def = task["task"]
    payload = task_def.setdefault("payload", {})
    payload["source_repo"], revision = release_repository(ctx.params, ctx.graph_config)
    tags = rewrite_tag_info(ctx, ctx.release, payload)
    if "actions" in payload:
        payload["actions"] = [a for a in payload["actions"] if a != PUSH_ACTION]
    payload.pop("push", None)
    payload["dry_run"] = True
    push_scope = ctx.scope(f"treescript:action:{PUSH_ACTION}")
    task_def["scopes"] = sorted({s for s in task_def.get("scopes", []) if s != push_scope})
    record(
        task,
        "outgoing",
        {
            "artifact": OUTGOING_DIFF,
            "source_repo": payload["source_repo"],
            "revision": revision,
            "tags": tags,
            "pushed": False,
        },
    )
    would = []
    if tags:
        would.append(f"tags {', '.join(tags)} (here {', '.join(tags.values())})")
    if "version_bump_info" in payload:
        info = payload["version_bump_info"]
        would.append(f"a bump to {info['next_version']} of {', '.join(info['files'])}")
    explain(
        task,
        f"dry run against the Try push {payload['source_repo']} at {revision}; nothing is pushed. "
        f"What production would have pushed ({'; '.join(would) or 'its commits'}) is in artifact {OUTGOING_DIFF}.",
    )
    if payload["source_repo"].startswith(GITHUB_PREFIXES):
        explain(task, f"{GITHUB_PATH} {GITHUB_BUMP}" if "version_bump_info" in payload else GITHUB_PATH)
