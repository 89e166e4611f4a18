"""pushflatpakscript payload: publish a Flatpak to Flathub (gecko's ``push-flatpak``)."""

from typing import Literal

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from .common import UpstreamArtifact, set_payload, store_artifacts


class PushFlatpakSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["push-flatpak"]
    upstream_artifacts: list[UpstreamArtifact]
    # Flathub channel: beta, stable (production), mock (never reaches Flathub).
    channel: str
    # Scope family of the product, ``flathub:<product>``.
    flathub_scope: str
    # Flatpak application id, the scope's last part (pushflatpakscript reads it there).
    app_id: str


@payload_builder("push-flatpak", schema=PushFlatpakSchema)
def build_push_flatpak_payload(config, task, task_def):
    worker = task["worker"]
    payload = {
        "channel": worker["channel"],
        "upstreamArtifacts": store_artifacts(worker),
    }
    set_payload(config, task_def, payload, f"{worker['flathub-scope']}:{worker['channel']}:{worker['app-id']}")
