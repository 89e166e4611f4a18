"""pushapkscript payload: publish signed APKs/AABs to Google Play."""

from typing import Literal, Optional

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from .common import UpstreamArtifact, copy_optional, set_payload


class PushApkSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["push-apk"]
    upstream_artifacts: list[UpstreamArtifact]
    # Whether Google Play commits the upload (false: a dry run).
    commit: bool
    # Google Play product (scope googleplay:product:<product>).
    product: str
    # Release channel of the app (beta, release).
    channel: str
    # Signing certificate the APKs were signed with.
    certificate_alias: Optional[str] = None
    target_store: str = "google"
    rollout_percentage: Optional[int] = None


@payload_builder("push-apk", schema=PushApkSchema)
def build_push_apk_payload(config, task, task_def):
    worker = task["worker"]
    payload = {
        "commit": worker["commit"],
        "upstreamArtifacts": worker["upstream-artifacts"],
        "target_store": worker.get("target-store", "google"),
        "channel": worker["channel"],
    }
    copy_optional(worker, payload, "certificate-alias", "rollout-percentage")
    set_payload(config, task_def, payload, f"googleplay:product:{worker['product']}")
