"""Try form of release notifications (Taskcluster notify routes).

Release emails and chat messages go to release management in production. On Try
every notification goes to the push owner only, by email, on the same task
statuses, and the subject names the namespace, behaviour and phase
(:func:`naming.notification_subject`), so a staging release never looks like a
real one in anybody's inbox.
"""

from .. import naming
from ..errors import ConfigError
from ..explain import explains
from .registry import rewriter
from .staging import task_release

ROUTE_PREFIX = "notify."
SCOPE_PREFIX = "queue:route:notify."


def owner_of(ctx, label):
    owner = ctx.params.get("owner") or ""
    if "@" not in owner:
        raise ConfigError(
            f"the push owner {owner!r} is not an email address, so the Try form of its notifications has no "
            "recipient; set the owner parameter to the pusher's email",
            where=f"task {label}",
        )
    return owner


@rewriter("notify", summary="push owner only, by email; subject names namespace, behaviour and phase")
def rewrite_notify(ctx, task):
    rel = task_release(ctx, task)
    task_def = task["task"]
    owner = owner_of(ctx, task["label"])
    routes = task_def.get("routes", [])
    statuses = sorted({r.rsplit(".", 1)[-1] for r in routes if r.startswith(ROUTE_PREFIX)})
    kept = [r for r in routes if not r.startswith(ROUTE_PREFIX)]
    task_def["routes"] = kept + [f"{ROUTE_PREFIX}email.{owner}.{status}" for status in statuses]
    scopes = task_def.get("scopes", [])
    if any(s.startswith(SCOPE_PREFIX) for s in scopes):
        scopes = [s for s in scopes if not s.startswith(SCOPE_PREFIX)]
        scopes.append(f"{SCOPE_PREFIX}email.{owner}.*")
    task_def["scopes"] = sorted(set(s for s in scopes if not s.startswith("notify:")))
    phase = task.get("attributes", {}).get("shipping_phase") or "release"
    notify = task_def.setdefault("extra", {}).setdefault("notify", {})
    email = notify.setdefault("email", {})
    email["subject"] = naming.notification_subject(rel, phase)
    for other in [key for key in notify if key != "email"]:
        del notify[other]


explains(
    "notify",
    task_types="release-notify-promote, release-notify-push, release-notify-ship",
    production="emails (and chat messages) to release management when a phase's tasks complete",
    try_form="one email per status to the push owner only; subject '[staging <ns>] <Product> <version> "
    "build<N> (<behaviour>) <phase> phase'",
    verifies="the notification fires at the same point of the graph, with the same content and links",
    cannot="delivery to release management's lists and rooms (kept away from staging releases on purpose)",
)
