"""Try form of the store pushes whose worker has a ``mock`` channel: snap
(pushsnapscript), Flathub (pushflatpakscript) and the Microsoft Store (pushmsixscript).

Each of these workers treats channel ``mock`` as "check, do not upload": the
artifact is still downloaded and inspected, the store is never contacted. The Try
form sets that channel in the payload and in the store's scopes; one rewrite,
registered per family with the scope family its worker reads (:data:`MOCK_CHANNEL_STORES`).

pushsnapscript is the exception: it was deleted upstream (mozilla-releng/scriptworker-scripts
:data:`PUSHSNAP_RETIRED`), so no pool runs it. The snap push stays, as the real tree
still has it; its Try form is the ``mock`` form pushsnapscript's last version accepted,
and its explanation and the task's own page say that nothing runs it.
"""

from .explain import explains
from .registry import rewriter
from taskgraph_staging.model.workers import MOCK
from .staging import explain, replace_scopes, scopes_under

#: The upstream commit that deleted pushsnapscript ("delete pushsnapscript", 2021-09-02).
PUSHSNAP_RETIRED = "f0bc50a39aed"


def mock_channel_scopes(ctx, task_def, scope_family):
    """``<scope_family>:<...>:<channel>[:<app id>]`` scopes with the channel set to ``mock``.

    The channel is the last segment, or the one before an app id (``org.mozilla...``).
    """
    mapping = {}
    for rest in scopes_under(task_def, ctx.scope(f"{scope_family}:")):
        parts = rest.split(":")
        at = len(parts) - 2 if len(parts) > 1 and "." in parts[-1] else len(parts) - 1
        parts[at] = MOCK
        mapping[ctx.scope(f"{scope_family}:{rest}")] = ctx.scope(f"{scope_family}:{':'.join(parts)}")
    replace_scopes(task_def, mapping)


def rewrite_mock_channel(ctx, task, scope_family):
    """Channel ``mock`` in the payload and the ``<scope_family>:`` scopes."""
    mock_channel_scopes(ctx, task["task"], scope_family)
    task["task"].setdefault("payload", {})["channel"] = MOCK


#: Task family -> (scope family, rewriter summary, :func:`explains` row).
MOCK_CHANNEL_STORES = {
    "pushsnap": ("snapcraft", "snap store channel mock; pushsnapscript is retired upstream, no worker runs it", dict(
        task_types="release-snap-push",
        production="pushsnapscript uploaded the snap to the Snap Store channel of the release (snapcraft:firefox:<channel>); "
        f"it is retired upstream (deleted in mozilla-releng/scriptworker-scripts {PUSHSNAP_RETIRED}, 2021), so no pool runs it",
        try_form="channel mock (payload and scope), the form pushsnapscript's last version accepted (its ALLOWED_CHANNELS)",
        verifies="the graph only: the push is generated after the snap repackage, names its snap and asks only for the mock "
        "channel's scope; no worker of the current scriptworker-scripts can run the task itself",
        cannot="anything a worker does: nothing fetches or inspects the snap on Try (the worker is deleted upstream), and the "
        "Snap Store's review and release are out of reach in any case",
    )),
    "pushflatpak": ("flathub", "Flathub channel mock", dict(
        task_types="release-flatpak-push, release-secondary-flatpak-push (+ repackage-flatpak)",
        production="pushflatpakscript publishes the flatpak to Flathub's beta or stable channel "
        "(flathub:firefox:<channel>:org.mozilla.firefox); an RC also pushes it to beta (release-secondary-flatpak-push)",
        try_form="channel mock (payload and scope)",
        verifies="pushflatpakscript accepts the task (schema, channel, the one .flatpak.tar.xz upstream artifact, its "
        "build log URL) on the dev pool",
        cannot="everything after that: the dev pool's configuration has push_to_flathub false, so the worker stops at "
        "'Not allowed to push to Flathub. Skipping push...' before it checks the tarball and its app id and before "
        "flat-manager-client create/push/commit/publish (mock never contacts Flathub)",
    )),
    "pushmsix": ("microsoftstore", "Microsoft Store channel mock", dict(
        task_types="release-msix-push (+ repackage-shippable-l10n-msix)",
        production="pushmsixscript submits the Store MSIX packages to the Microsoft Store (microsoftstore:<channel>), "
        "in the promote phase when the submission publishes manually (release), in the ship phase otherwise (beta)",
        try_form="channel mock (payload and scope); the phase and publishMode stay production's",
        verifies="pushmsixscript opens every .store.msix upstream artifact and checks it (a valid zip, AppxManifest.xml "
        "with an Identity, one application.ini) and accepts the channel on the dev pool",
        cannot="the submission itself: the dev pool's configuration has push_to_store false, so the worker stops at "
        "'Not allowed to push to Microsoft Store. Skipping push...' before it logs in to the Store, uploads the "
        "packages and commits the submission (mock never contacts the Store), and so before its certification",
    )),
}


#: What the task's own page says where its worker is gone (family -> paragraph).
TASK_PAGE = {
    "pushsnap": f"channel mock. No worker runs this task: pushsnapscript is retired upstream (deleted in "
    f"mozilla-releng/scriptworker-scripts {PUSHSNAP_RETIRED}), so nothing runs it or checks the snap.",
}


def _register(family, scope_family, summary, explanation):
    @rewriter(family, summary=summary)
    def rewrite(ctx, task):
        rewrite_mock_channel(ctx, task, scope_family)
        if family in TASK_PAGE:
            explain(task, TASK_PAGE[family])

    explains(family, **explanation)


for _family, (_scope_family, _summary, _explanation) in MOCK_CHANNEL_STORES.items():
    _register(_family, _scope_family, _summary, _explanation)
