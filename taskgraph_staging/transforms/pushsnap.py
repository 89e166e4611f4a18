"""Try form of release-snap-push (pushsnapscript): channel ``mock``.

pushsnapscript treats channel ``mock`` as "check, do not upload": the snap is
still downloaded and inspected, the store is never contacted.
"""

from ..explain import explains
from .registry import rewriter
from .staging import replace_scopes, scopes_under

MOCK = "mock"


def mock_channel_scopes(ctx, task_def, family):
    """``<family>:<...>:<channel>[:<app id>]`` scopes with the channel set to ``mock``.

    The channel is the last segment, or the one before an app id (``org.mozilla...``).
    """
    mapping = {}
    for rest in scopes_under(task_def, ctx.scope(f"{family}:")):
        parts = rest.split(":")
        at = len(parts) - 2 if len(parts) > 1 and "." in parts[-1] else len(parts) - 1
        parts[at] = MOCK
        mapping[ctx.scope(f"{family}:{rest}")] = ctx.scope(f"{family}:{':'.join(parts)}")
    replace_scopes(task_def, mapping)


def rewrite_mock_channel(ctx, task, scope_family):
    """Channel ``mock`` in the payload and the ``<scope_family>:`` scopes (store pushes)."""
    mock_channel_scopes(ctx, task["task"], scope_family)
    task["task"].setdefault("payload", {})["channel"] = MOCK


@rewriter("pushsnap", summary="snap store channel mock (the snap is still checked)")
def rewrite_pushsnap(ctx, task):
    rewrite_mock_channel(ctx, task, "snapcraft")


explains(
    "pushsnap",
    task_types="release-snap-push",
    production="pushsnapscript uploads the snap to the Snap Store channel of the release (snapcraft:firefox:<channel>)",
    try_form="channel mock (payload and scope)",
    verifies="the snap artifact is fetched through chain of trust and inspected by the worker",
    cannot="the Snap Store's review and release (mock never contacts it)",
)
