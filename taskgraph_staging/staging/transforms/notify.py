"""Try form of release notifications (Taskcluster notify routes).

Release emails and chat messages go to release management in production. On Try
every notification goes to the push owner only, by email, on the same task
statuses, and the subject names the namespace, behaviour and phase
(:func:`naming.notification_subject`), so a staging release never looks like a
real one in anybody's inbox.

A notification task that production runs on the built-in ``succeed`` worker would be
a no-op on Try. Its Try form runs on a docker worker (``staging-release.notify-check``
in config.yml: ``worker-type`` alias, default ``b-linux``, and ``image``): it checks
the message production would send (no unfilled placeholder, well-formed recipients)
and publishes it as ``public/notification.json``, so the owner sees what release
management would have received; its completion sends the owner's email.
"""

import json
import re

from taskgraph.util.workertypes import get_worker_type

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import ConfigError, InvalidValue
from taskgraph_staging.model.release import parse_owner
from .explain import explains
from taskgraph_staging.model.parameters import staging_config
from .registry import rewriter
from .staging import explain, task_release

ROUTE_PREFIX = "notify."
NO_OP_WORKERS = {("built-in", "succeed")}
CHECK_DEFAULTS = {"worker-type": "b-linux", "image": "python:3.12-slim"}
ARTIFACT = "public/notification.json"
ARTIFACT_PATH = "/tmp/notification.json"
#: What the Try form of a no-op notification task runs (python3 of the image).
CHECK_SCRIPT = """
import json, os, re, sys
n = json.loads(os.environ["STAGING_NOTIFICATION"])
problems = [f"unfilled placeholder in {k}: {n[k]!r}" for k in ("subject", "content") if re.search(r"[{}]", n[k] or "")]
problems += [f"malformed recipient {r!r}" for r in n["production_recipients"] if not re.fullmatch(r"[^@ ]+@[^@ ]+[.][^@ ]+", r)]
json.dump(dict(n, problems=problems), open(os.environ["ARTIFACT_PATH"], "w"), indent=2)
print(json.dumps(n, indent=2))
sys.exit("; ".join(problems) if problems else 0)
""".strip()
SCOPE_PREFIX = "queue:route:notify."


def owner_of(ctx, label):
    """The push owner, checked as the CLI checks ``--owner`` (:func:`parse_owner`): the
    parameter may also come from a decision task or a parameters file."""
    try:
        return parse_owner(ctx.params.get("owner") or "")
    except InvalidValue as error:
        raise ConfigError(
            f"the push owner: {error.message}; the Try form of its notifications needs the pusher's email as the "
            "owner parameter",
            where=f"task {label}",
        ) from None


@rewriter("notify", summary="push owner only, by email; subject names namespace, behaviour and phase")
def rewrite_notify(ctx, task):
    rel = task_release(ctx, task)
    task_def = task["task"]
    owner = owner_of(ctx, task["label"])
    routes = task_def.get("routes", [])
    statuses = sorted({r.rsplit(".", 1)[-1] for r in routes if r.startswith(ROUTE_PREFIX)})
    kept = [r for r in routes if not r.startswith(ROUTE_PREFIX)]
    task_def["routes"] = kept + [f"{ROUTE_PREFIX}email.{owner}.{status}" for status in statuses]
    scopes = [s for s in task_def.get("scopes", []) if isinstance(s, str)]
    others = [s for s in task_def.get("scopes", []) if not isinstance(s, str)]  # task references
    kept_scopes = {s for s in scopes if not s.startswith((SCOPE_PREFIX, "notify:"))}
    if len(kept_scopes) != len(scopes):
        kept_scopes.add(f"{SCOPE_PREFIX}email.{owner}.*")
    task_def["scopes"] = sorted(kept_scopes) + others
    phase = task.get("attributes", {}).get("shipping_phase") or "release"
    notify = task_def.setdefault("extra", {}).setdefault("notify", {})
    production_email = dict(notify.get("email", {}))
    email = notify.setdefault("email", {})
    email["subject"] = naming.notification_subject(rel, phase)
    for other in [key for key in notify if key != "email"]:
        del notify[other]
    if (task_def.get("provisionerId"), task_def.get("workerType")) in NO_OP_WORKERS:
        run_message_check(ctx, task, production_notification(routes, production_email, email))


def production_notification(routes, production_email, email):
    recipients = sorted({r.split(".", 2)[2].rsplit(".", 1)[0] for r in routes if r.startswith(f"{ROUTE_PREFIX}email.")})
    return {
        "production_recipients": recipients,
        "production_routes": sorted(r for r in routes if r.startswith(ROUTE_PREFIX)),
        "subject": production_email.get("subject", ""),
        "content": production_email.get("content", ""),
        "try_subject": email["subject"],
    }


def check_worker_alias(graph_config, alias, label):
    """``alias`` if config.yml's ``workers.aliases`` has it as a docker-worker, else a
    one-line error naming the key to set and the aliases that would do."""
    aliases = graph_config["workers"]["aliases"] if "workers" in graph_config else {}
    docker = sorted(name for name, a in aliases.items() if a.get("implementation") == "docker-worker")
    # taskgraph matches aliases as patterns (comm's "b-linux.*" covers "b-linux").
    matching = [a for name, a in aliases.items() if name == alias or re.fullmatch(name, alias)]
    if matching and matching[0].get("implementation") == "docker-worker":
        return alias
    what = "is not a docker-worker alias" if matching else "is not in workers.aliases"
    raise ConfigError(
        f"the Try form of a no-op notification runs on a docker worker, and {alias!r} {what}; set "
        f"staging-release.notify-check.worker-type in config.yml to one of your docker-worker aliases "
        f"({', '.join(docker) or 'none: add one to workers.aliases'})",
        where=f"task {label}",
    )


def run_message_check(ctx, task, message):
    """Run a no-op notification task as a docker task that checks and publishes its message."""
    task_def = task["task"]
    settings = dict(CHECK_DEFAULTS, **staging_config(ctx.graph_config).get("notify-check", {}))
    alias = check_worker_alias(ctx.graph_config, settings["worker-type"], task["label"])
    provisioner, worker_type = get_worker_type(ctx.graph_config, alias, ctx.params["level"])
    task_def["provisionerId"], task_def["workerType"] = provisioner, worker_type
    task_def.setdefault("tags", {})["worker-implementation"] = "docker-worker"
    task_def["payload"] = {
        "image": settings["image"],
        "command": ["python3", "-c", CHECK_SCRIPT],
        "env": {"STAGING_NOTIFICATION": json.dumps(message, sort_keys=True), "ARTIFACT_PATH": ARTIFACT_PATH},
        "maxRunTime": 600,
        "artifacts": {ARTIFACT: {"type": "file", "path": ARTIFACT_PATH, "expires": task_def.get("expires")}},
    }
    explain(task, (
        f"production runs this task on the no-op succeed worker to send its email; on Try it checks the message "
        f"production would send to {', '.join(message['production_recipients']) or 'nobody'} and publishes it as {ARTIFACT}."
    ))


explains(
    "notify",
    task_types="release-notify-promote, release-notify-push, release-notify-ship",
    production="emails (and chat messages) to release management when a phase's tasks complete",
    try_form="one email per status to the push owner only; subject '[staging <ns>] <Product> <version> "
    "build<N> (<behaviour>) <phase> phase'; a task production runs on the no-op succeed worker runs on a docker "
    "worker that checks the message and publishes it as public/notification.json",
    verifies="the notification fires at the same point of the graph, with the same content and links; the "
    "production message is complete (no unfilled placeholder, well-formed recipients) and shown to the owner",
    cannot="delivery to release management's lists and rooms (kept away from staging releases on purpose)",
)
