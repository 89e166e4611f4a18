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


class ImportToArtifactRegistrySchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["beetmover-import-from-gcs-to-artifact-registry"]
    # Product whose repository of the worker's configuration receives the packages.
    product: str
    # Bucket keys of the packages to import (destinations of the beetmover uploads).
    gcs_sources: list[str]
    # Artifact Registry resource scope: apt-repo (.deb) or yum-repo (.rpm).
    repo_type: Literal["apt-repo", "yum-repo"]
    # The resource word of that scope: release (production), dep (staging).
    repo: str


@payload_builder("beetmover-import-from-gcs-to-artifact-registry", schema=ImportToArtifactRegistrySchema)
def build_import_from_gcs_to_artifact_registry_payload(config, task, task_def):
    worker = task["worker"]
    payload = {"product": worker["product"], "gcs_sources": worker["gcs-sources"]}
    set_payload(
        config, task_def, payload,
        f"beetmover:{worker['repo-type']}:{worker['repo']}", "beetmover:action:import-from-gcs-to-artifact-registry",
    )
