"""pushmsixscript payload: submit MSIX packages to the Microsoft Store (gecko's ``push-msix``)."""

from typing import Literal, Optional

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from .common import UpstreamArtifact, set_payload, store_artifacts


class PushMsixSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["push-msix"]
    upstream_artifacts: list[UpstreamArtifact]
    # Store channel: beta, release (production), mock (never reaches the Store).
    channel: str
    # The submission's targetPublishMode: Immediate or Manual (None keeps the Store's).
    publish_mode: Optional[str] = None


@payload_builder("push-msix", schema=PushMsixSchema)
def build_push_msix_payload(config, task, task_def):
    worker = task["worker"]
    payload = {
        "channel": worker["channel"],
        "upstreamArtifacts": store_artifacts(worker),
    }
    if worker.get("publish-mode"):
        payload["publishMode"] = worker["publish-mode"]
    set_payload(config, task_def, payload, f"microsoftstore:{worker['channel']}")
