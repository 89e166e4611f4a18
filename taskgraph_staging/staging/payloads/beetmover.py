"""beetmoverscript payloads taskgraph lacks: push-to-releases (copy a build's candidates to
the releases directory), the Artifact Registry import and push-to-maven (android_taskgraph's
``scriptworker-beetmover``, the android-components maven uploads).

Candidates uploads use taskgraph's own ``beetmover`` builder.
"""

from typing import Literal, Optional

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema, taskref_or_string_msgspec

from taskgraph_staging.model.release import DEFAULT_LOCALE
from .common import UpstreamArtifact, release_build_number, release_version, set_payload


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


class MavenArtifactPath(Schema, rename=None, forbid_unknown_fields=False, kw_only=True):
    # Maven bucket keys of the artifact (maven2/org/mozilla/<product>/...).
    destinations: list[str]


class MavenArtifactMapEntry(Schema, rename=None, forbid_unknown_fields=False, kw_only=True):
    # taskId of the task with the artifacts.
    taskId: taskref_or_string_msgspec
    # Upstream artifact path -> where it goes.
    paths: dict[str, MavenArtifactPath]


class ScriptworkerBeetmoverSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["scriptworker-beetmover"]
    # beetmoverscript action: push-to-maven.
    action: Literal["push-to-maven"]
    # The maven version: the last folder of every destination, in every file name.
    version: str
    # beetmoverscript's product (releaseProperties.appName): components, nightly_components.
    beetmover_application_name: str
    # Beetmover bucket scope: maven-production (production), maven-staging (staging).
    bucket: str
    # Where each upstream artifact goes.
    artifact_map: list[MavenArtifactMapEntry]
    upstream_artifacts: list[UpstreamArtifact]


@payload_builder("scriptworker-beetmover", schema=ScriptworkerBeetmoverSchema)
def build_scriptworker_beetmover_payload(config, task, task_def):
    """android_taskgraph's maven upload payload: the artifact map with the locale and the
    (empty) checksums_path beetmoverscript reads from every entry, the application name as
    the only release property, and the maven version."""
    worker = task["worker"]
    artifact_map = [
        {
            "locale": DEFAULT_LOCALE,
            "taskId": entry["taskId"],
            "paths": {path: dict(info, checksums_path="") for path, info in entry["paths"].items()},
        }
        for entry in worker["artifact-map"]
    ]
    payload = {
        "artifactMap": artifact_map,
        "releaseProperties": {"appName": worker["beetmover-application-name"]},
        "upstreamArtifacts": [{k: v for k, v in a.items() if v is not None} for a in worker["upstream-artifacts"]],
        "version": worker["version"],
    }
    set_payload(config, task_def, payload, f"beetmover:action:{worker['action']}", f"beetmover:bucket:{worker['bucket']}")
