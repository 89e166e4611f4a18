"""beetmoverscript push-to-releases: copy a build's candidates to the releases directory.

Candidates uploads use taskgraph's own ``beetmover`` builder.
"""

from typing import Literal, Optional

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from .common import release_build_number, release_version, set_payload


class PushToReleasesSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["beetmover-push-to-release"]
    # Archive product directory (pub/<product>/...).
    product: str
    # Beetmover bucket scope: release (production), dep (staging).
    bucket: str
    # Partner repacks to push as well.
    partners: Optional[list[str]] = None
    max_run_time: Optional[int] = None


@payload_builder("beetmover-push-to-release", schema=PushToReleasesSchema)
def build_push_to_release_payload(config, task, task_def):
    worker = task["worker"]
    payload = {
        "product": worker["product"],
        "version": release_version(config),
        "build_number": release_build_number(config),
    }
    if worker.get("partners"):
        payload["partners"] = worker["partners"]
    if worker.get("max-run-time"):
        payload["maxRunTime"] = worker["max-run-time"]
    set_payload(config, task_def, payload, f"beetmover:bucket:{worker['bucket']}", "beetmover:action:push-to-releases")
