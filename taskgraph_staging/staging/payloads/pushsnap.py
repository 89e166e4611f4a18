"""pushsnapscript payload: publish a snap to the Snap store."""

from typing import Literal

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from .common import UpstreamArtifact, set_payload, store_artifacts


class PushSnapSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["push-snap"]
    upstream_artifacts: list[UpstreamArtifact]
    # Snap store channel: beta, candidate (production), mock (never reaches the store).
    channel: str
    # Snap name, for the scope snapcraft:<product>:<channel>.
    product: str


@payload_builder("push-snap", schema=PushSnapSchema)
def build_push_snap_payload(config, task, task_def):
    worker = task["worker"]
    payload = {
        "channel": worker["channel"],
        "upstreamArtifacts": store_artifacts(worker),
    }
    set_payload(config, task_def, payload, f"snapcraft:{worker['product']}:{worker['channel']}")
