"""Try form of Microsoft Store pushes (pushmsixscript): channel ``mock``."""

from ..explain import explains
from .pushsnap import rewrite_mock_channel
from .registry import rewriter


@rewriter("pushmsix", summary="Microsoft Store channel mock")
def rewrite_pushmsix(ctx, task):
    rewrite_mock_channel(ctx, task, "microsoftstore")


explains(
    "pushmsix",
    task_types="release-msix-push",
    production="pushmsixscript submits the MSIX packages to the Microsoft Store (microsoftstore:<channel>)",
    try_form="channel mock (payload and scope)",
    verifies="the MSIX artifacts are fetched through chain of trust and checked by the worker",
    cannot="the Microsoft Store's certification and publication (mock never contacts it)",
)
