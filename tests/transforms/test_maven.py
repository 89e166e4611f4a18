"""Try form of push-to-maven (beetmover-components): the dev pool's maven bucket, keys under
the namespace that beetmoverscript's maven checks accept, and what it cannot isolate said."""

import os
import posixpath

import pytest
import yaml

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.parameters import staging_release
from taskgraph_staging.model.workers import MAVEN_BUCKETS, MAVEN_PRODUCT_PATHS, MAVEN_STAGING_BUCKETS
from upstream_source import module_constant

from issue3_tasks import PREFIX, make_config, run_staging

BEETMOVER = "scriptworker-scripts/beetmoverscript"
COMPONENTS = "maven2/org/mozilla/components/"


def production_maven_task(app_name="components", destination=COMPONENTS + "support-base/121.0b3/support-base-121.0b3.aar"):
    """A finished beetmover-components task as the reference kind builds it at level 3."""
    return {
        "label": "beetmover-components-fenix-support-base",
        "description": "Publish component support-base",
        "attributes": {"shipping_phase": "ship", "shipping_product": "fenix", "component": "support-base"},
        "dependencies": {"build-components": "build-components-fenix-support-base"},
        "task": {
            "provisionerId": "scriptworker-k8s",
            "workerType": "gecko-3-beetmover",
            "scopes": [f"{PREFIX}:beetmover:action:push-to-maven", f"{PREFIX}:beetmover:bucket:maven-production"],
            "tags": {"kind": "beetmover-components"},
            "metadata": {"description": "Publish component support-base"},
            "payload": {
                "artifactMap": [{
                    "locale": "en-US",
                    "taskId": {"task-reference": "<build-components>"},
                    "paths": {"public/build/support-base-121.0b3.aar": {"destinations": [destination], "checksums_path": ""}},
                }],
                "releaseProperties": {"appName": app_name},
                "upstreamArtifacts": [{"taskId": {"task-reference": "<build-components>"}, "taskType": "build",
                                       "paths": ["public/build/support-base-121.0b3.aar"]}],
                "version": "121.0b3",
            },
        },
    }


def beetmover_check_maven_artifact_map(payload, product_path):
    """beetmoverscript's check_maven_artifact_map (task.py), over its own fixed product path."""
    version = payload["version"]
    for entry in payload["artifactMap"]:
        for info in entry["paths"].values():
            for destination in info["destinations"]:
                folder, name = posixpath.split(destination)
                assert destination.startswith(product_path), destination
                assert posixpath.basename(folder) == version and version in name, destination


def test_product_paths_are_beetmoverscripts(shared_dir):
    path = os.path.join(shared_dir, "upstream", BEETMOVER, "src/beetmoverscript/constants.py")
    real = module_constant(path, "MAVEN_PRODUCT_TO_PATH")
    assert {k: real[k] for k in MAVEN_PRODUCT_PATHS} == MAVEN_PRODUCT_PATHS


def test_staging_buckets_are_the_dev_pools(shared_dir):
    """The dev pool (ENV dev) knows maven-staging and maven-nightly-staging, production's pool the
    -production words; the S3 buckets are the ones its configuration names for components."""
    with open(os.path.join(shared_dir, "upstream", BEETMOVER, "docker.d/worker.yml")) as fh:
        matches = yaml.safe_load(fh)["clouds"]["aws"]["$merge"]["$match"]
    dev = matches['COT_PRODUCT == "firefox" && (ENV == "dev" || ENV == "fake-prod")']
    prod = matches['COT_PRODUCT == "firefox" && ENV == "prod"']
    for production_word, staging_word in MAVEN_STAGING_BUCKETS.items():
        assert staging_word in dev and production_word in prod and production_word not in dev
    assert dev["maven-staging"]["product_buckets"]["components"] == MAVEN_BUCKETS["maven-staging"]
    assert prod["maven-production"]["product_buckets"]["components"] == MAVEN_BUCKETS["maven-production"]


def test_try_form_publishes_to_the_dev_pools_maven_bucket_under_the_namespace():
    task = run_staging(make_config(release_product="fenix"), production_maven_task())
    definition = task["task"]
    assert definition["scopes"] == [f"{PREFIX}:beetmover:action:push-to-maven", f"{PREFIX}:beetmover:bucket:maven-staging"]
    [entry] = definition["payload"]["artifactMap"]
    assert entry["paths"]["public/build/support-base-121.0b3.aar"]["destinations"] == [
        "maven2/org/mozilla/components/staging/alice/support-base/121.0b3/support-base-121.0b3.aar"]
    beetmover_check_maven_artifact_map(definition["payload"], COMPONENTS)
    facts = definition["extra"]["staging"]["push-to-maven"]
    assert facts == {
        "bucket": MAVEN_BUCKETS["maven-staging"],
        "prefix": "maven2/org/mozilla/components/staging/alice/",
        "files": 1,
        "isolated": False,
        "reason": facts["reason"],
    }
    assert "one staging maven bucket every release writes" in definition["metadata"]["description"]


@pytest.mark.parametrize("production, staging", sorted(MAVEN_STAGING_BUCKETS.items()))
def test_every_maven_bucket_takes_its_staging_word(production, staging):
    task = production_maven_task()
    task["task"]["scopes"][1] = f"{PREFIX}:beetmover:bucket:{production}"
    assert f"{PREFIX}:beetmover:bucket:{staging}" in run_staging(make_config(), task)["task"]["scopes"]


@pytest.mark.parametrize("task, message", [
    pytest.param(production_maven_task(app_name="fenix"), r"appName 'fenix' is not one of beetmoverscript's maven products",
                 id="unknown-product"),
    pytest.param(production_maven_task(destination="maven2/org/mozilla/geckoview/x/121.0b3/x-121.0b3.aar"),
                 r"push-to-maven destination outside 'maven2/org/mozilla/components/'", id="outside-product-path"),
])
def test_refuses_what_beetmoverscript_would(task, message):
    with pytest.raises(ConfigError, match=message):
        run_staging(make_config(), task)


def test_reference_try_graph_publishes_every_component_under_the_namespace(try_graph, tasks_of):
    config, full = try_graph
    release = staging_release(config.params, config.graph_config)
    tasks = [t for t in full.tasks.values() if t.kind == "beetmover-components"]
    assert {t.attributes["component"] for t in tasks} == {"browser-engine-gecko", "concept-engine", "support-base"}
    prefix = naming.maven_destination(release, COMPONENTS, COMPONENTS)
    for task in tasks:
        payload = task.task["payload"]
        assert f"{PREFIX}:beetmover:bucket:maven-staging" in task.task["scopes"]
        beetmover_check_maven_artifact_map(payload, COMPONENTS)
        destinations = [d for e in payload["artifactMap"] for i in e["paths"].values() for d in i["destinations"]]
        assert len(destinations) == 18 and all(d.startswith(prefix + task.attributes["component"] + "/") for d in destinations)
