"""Try form of Flathub pushes (pushflatpakscript): channel ``mock``."""

from ..explain import explains
from .pushsnap import rewrite_mock_channel
from .registry import rewriter


@rewriter("pushflatpak", summary="Flathub channel mock")
def rewrite_pushflatpak(ctx, task):
    rewrite_mock_channel(ctx, task, "flathub")


explains(
    "pushflatpak",
    task_types="release-flatpak-push",
    production="pushflatpakscript publishes the flatpak to Flathub's beta or stable channel",
    try_form="channel mock (payload and scope)",
    verifies="the flatpak artifact is fetched through chain of trust and checked by the worker",
    cannot="Flathub's build and publication (mock never contacts it)",
)
