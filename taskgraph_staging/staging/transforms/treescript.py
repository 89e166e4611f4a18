"""Try form of tagging and version bump tasks on treescript.

The task works on the Try push itself: ``source_repo`` is the Try head repository,
tags go on the pushed revision (``head_rev``) under namespaced names
(:func:`naming.vcs_tag`), the ``push`` action and its scope are gone and
``dry_run`` is set, so nothing leaves the worker. treescript still makes the
commits locally and writes ``hg outgoing -vp`` (or the git diff) against
``source_repo`` to :data:`OUTGOING_DIFF`: that artifact is what production would
have pushed, and the task's description and ``extra.staging.outgoing`` point at it.
"""

from taskgraph_staging.model import naming
from .explain import explains
from .registry import rewriter
from .staging import explain, record

#: The artifact treescript writes with the outgoing changesets (its ``log_outgoing``).
OUTGOING_DIFF = "public/logs/outgoing.diff"
PUSH_ACTION = "push"


def rewrite_tag_info(ctx, rel, payload):
    """Namespace the tags and move them to the Try revision; returns {production: staging}."""
    tag_info = payload.get("tag_info")
    if not tag_info:
        return {}
    tags = {tag: naming.vcs_tag(rel, tag) for tag in tag_info["tags"]}
    tag_info["tags"] = list(tags.values())
    tag_info["revision"] = ctx.params["head_rev"]
    return tags


explains(
    "treescript",
    task_types="release-early-tagging, release-version-bump",
    production="treescript tags the release revision and bumps version files, then pushes to the release repository",
    try_form="dry run against the Try head repository at the pushed revision: namespaced tags, no push action",
    verifies="the tags and version bump apply cleanly; the outgoing diff (public/logs/outgoing.diff) shows what production "
    "would have pushed",
    cannot="the push itself (treescript:action:push is production-only) and the release repository's hooks",
)


@rewriter("treescript", summary="dry run on the Try head: namespaced tags, no push, outgoing diff published")
def rewrite_treescript(ctx, task):
    task_def = task["task"]
    payload = task_def.setdefault("payload", {})
    payload["source_repo"] = ctx.params["head_repository"]
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
            "revision": ctx.params["head_rev"],
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
        f"dry run against the Try push {payload['source_repo']} at {ctx.params['head_rev']}; nothing is pushed. "
        f"What production would have pushed ({'; '.join(would) or 'its commits'}) is in artifact {OUTGOING_DIFF}.",
    )
