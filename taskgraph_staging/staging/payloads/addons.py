"""addonscript payload: submit langpacks to addons.mozilla.org (gecko's ``push-addons``)."""

from typing import Literal

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from .common import UpstreamArtifact, set_payload, store_artifacts


class PushAddonsSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["push-addons"]
    # The langpacks (.xpi) to submit; AMO signs them.
    upstream_artifacts: list[UpstreamArtifact]
    # AMO channel: listed (shown on the site) or unlisted (signed, not listed).
    channel: Literal["listed", "unlisted"]
    # AMO server of the scope (addons.mozilla.org:server:<server>): production (staging on Try).
    server: str


@payload_builder("push-addons", schema=PushAddonsSchema)
def build_push_addons_payload(config, task, task_def):
    worker = task["worker"]
    payload = {"channel": worker["channel"], "upstreamArtifacts": store_artifacts(worker)}
    set_payload(config, task_def, payload, f"addons.mozilla.org:server:{worker['server']}")
