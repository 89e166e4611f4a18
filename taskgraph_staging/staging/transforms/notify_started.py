"""Try form of release-notify-started: the bug-list email to the push owner only.

In production the task runs ``mach release send-buglist-email`` on a docker worker
(through the Taskcluster proxy) with one ``--address`` per release-drivers list and a
``notify:email:<address>`` scope for each; the command itself builds the bug list
from the previous release's tag to this revision and sends it. On Try every
``--address`` becomes the push owner (checked as the CLI checks ``--owner``) and the
scopes follow, as the real tree's ``try`` form of the kind does: the command still
builds and sends the bug list, to the owner.
"""

from taskgraph_staging.model.errors import ConfigError
from .explain import explains
from .notify import owner_of
from .registry import rewriter
from .shell_args import find_call
from .staging import explain, record

SCRIPT = "mach"
EMAIL_SCOPE = "notify:email:"


@rewriter("notify-started", summary="the bug-list email goes to the push owner only")
def rewrite_notify_started(ctx, task):
    task_def = task["task"]
    found = find_call(task_def, SCRIPT)
    call = found[2] if found else None
    if call is None or not call.values("address"):
        raise ConfigError(
            "release-notify-started task runs no `mach release send-buglist-email --address ...`; "
            "write the production command with its recipients so the staging layer can send it to the owner",
            where=f"task {task['label']}",
        )
    owner = owner_of(ctx, task["label"])
    production = call.values("address")
    container, key, _ = found
    container[key] = call.without("address").appending([("address", owner)]).text
    scopes = task_def.get("scopes", [])
    kept = {s for s in scopes if isinstance(s, str) and not s.startswith(EMAIL_SCOPE)}
    references = [s for s in scopes if not isinstance(s, str)]  # docker-worker cache scopes
    task_def["scopes"] = sorted(kept | {f"{EMAIL_SCOPE}{owner}"}) + references
    record(task, "notify_started", {"production_recipients": production, "recipient": owner})
    explain(task, f"the bug-list email goes to {owner} only, not to {', '.join(production)}.")


explains(
    "notify-started",
    task_types="release-notify-started",
    production="mach release send-buglist-email builds the release's bug list and emails it to release-drivers "
    "(notify:email:<list> scopes, through the Taskcluster proxy) when the promote phase starts",
    try_form="every --address and notify:email scope is the push owner's, as the real tree's try form of the kind",
    verifies="the bug list builds from this revision and the email is sent, through the same command and proxy",
    cannot="delivery to release-drivers (kept away from staging releases on purpose)",
)
