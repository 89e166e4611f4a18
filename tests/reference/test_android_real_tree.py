"""push-bundle, push-apks, beetmover-android-app and the android-components' maven chain hold the
fields the real tree gives them (issue 16).

Read in the real tree's kinds (mozilla-firefox/firefox taskcluster/kinds, as mirrored at
SAP/project-foxhound): push-bundle and push-apks at 271a916111ae, beetmover-android-app at
9dcb850a2774, beetmover-components at a561d1116fac, build-components at 8770be4151c7, signing
at 3fbc8b57fc7a; android_taskgraph's beetmover transform and scriptworker-beetmover payload
(worker_types.py) at yoncola1/Plezix 1c2797b1b2eb and SAP/project-foxhound 8770be4151c7. The
production graphs here are the reference product's (fenix) beta and release.
"""

import json
import os

import jsonschema
import pytest

#: push-bundle's channel and certificate-alias by build type (the real kind's by-build-type tables).
REAL_BUNDLE = {
    "beta": {"channel": "fenix-beta", "certificate_alias": "fenix-beta"},
    "release": {"channel": "fenix-release", "certificate_alias": "fenix-release"},
}
#: push-apks exists for these build types only (fenix-release, focus-release).
REAL_SAMSUNG_CHANNELS = {"release": "fenix-release"}
#: pushapkscript's app keys on its pools (docker.d/worker.yml), fenix's.
POOL_APPS = {"fenix-nightly", "fenix-beta", "fenix-release"}
PREFIX = "project:releng"


def production(graph, release_type):
    version = {"beta": "121.0b3", "release": "121.0"}[release_type]
    return graph(production=True, version=version, app_version="121.0", next_version="121.0b4" if release_type == "beta" else "121.0.1",
                 build_number=1, release_type=release_type, release_product="fenix")


def of_kind(full, kind):
    return [t for t in full.tasks.values() if t.kind == kind]


@pytest.mark.parametrize("release_type", ["beta", "release"])
def test_push_bundle_is_the_real_google_play_push(graph, release_type):
    full = production(graph, release_type)
    [task] = of_kind(full, "push-bundle")
    payload = task.task["payload"]
    assert task.attributes["shipping_phase"] == "push"  # real: shipping-phase push
    assert task.task["workerType"] == "gecko-3-pushapk"  # real: worker-type push-apk
    assert payload["commit"] is True  # real: commit: true
    assert payload["channel"] == REAL_BUNDLE[release_type]["channel"] and payload["channel"] in POOL_APPS
    assert payload["certificate_alias"] == REAL_BUNDLE[release_type]["certificate_alias"]
    assert payload.get("target_store", "google") == "google"
    assert task.task["scopes"] == [f"{PREFIX}:googleplay:product:fenix"]  # real: product fenix, dep false at level 3
    # real: from-deps signing-bundle, i.e. the signed AAB and nothing else.
    assert [p for a in payload["upstreamArtifacts"] for p in a["paths"]] == ["public/build/target.aab"]
    assert "notify.email.release-mgmt@mozilla.com.on-failed" in task.task["routes"]


@pytest.mark.parametrize("release_type", ["beta", "release"])
def test_push_apks_is_the_real_samsung_push(graph, release_type):
    full = production(graph, release_type)
    tasks = of_kind(full, "push-apks")
    if release_type not in REAL_SAMSUNG_CHANNELS:
        assert tasks == []  # real: with-attributes build-type fenix-release, focus-release only
        return
    [task] = tasks
    payload = task.task["payload"]
    assert task.attributes["shipping_phase"] == "push"
    assert task.task["workerType"] == "gecko-3-pushapk"
    assert payload["target_store"] == "samsung"  # real: target-store samsung
    assert payload["commit"] is True  # real: commit by-level 3: true
    assert payload["channel"] == REAL_SAMSUNG_CHANNELS[release_type]
    assert "certificate_alias" not in payload  # the real kind sets none for Samsung
    assert task.task["scopes"] == [f"{PREFIX}:googleplay:product:fenix"]
    # real: from-deps signing-apk: APKs only (pushapkscript refuses APKs mixed with AABs).
    assert [p for a in payload["upstreamArtifacts"] for p in a["paths"]] == ["public/build/target.apk"]


@pytest.mark.parametrize("release_type", ["beta", "release"])
def test_beetmover_android_app_is_the_real_candidates_upload(graph, release_type):
    full = production(graph, release_type)
    [task] = of_kind(full, "beetmover-android-app")
    payload = task.task["payload"]
    assert task.attributes["shipping_phase"] == "promote"  # real: attributes.shipping_phase promote
    assert task.task["workerType"] == "gecko-3-beetmover"
    # real: bucket-scope by-level 3 (beta, release) -> beetmover:bucket:release; push-to-candidates.
    assert sorted(task.task["scopes"]) == [f"{PREFIX}:beetmover:action:push-to-candidates", f"{PREFIX}:beetmover:bucket:release"]
    version = full.tasks[task.label].task["payload"]["version"]
    candidates = f"pub/fenix/candidates/{version}-candidates/build1/android/"
    [entry] = payload["artifactMap"]
    destinations = [d for p in entry["paths"].values() for d in p["destinations"]]
    assert sorted(entry["paths"]) == ["public/build/target.aab", "public/build/target.apk"]  # real: signing-apk and signing-bundle
    assert all(d.startswith(candidates) for d in destinations)


def test_push_apks_payload_is_what_pushapkscript_accepts(graph, schemas_dir):
    """The Samsung payload validates against pushapkscript's own task schema (the beta
    graphs of tests/payloads have no push-apks)."""
    with open(os.path.join(schemas_dir, "pushapkscript/pushapk_task_schema.json")) as fh:
        schema = json.load(fh)
    [task] = of_kind(production(graph, "release"), "push-apks")
    definition = json.loads(json.dumps(task.task).replace('{"task-reference": "<build-signing>"}', '"taskid-of-signing"'))
    definition["dependencies"] = ["decision", "taskid-of-signing"]
    jsonschema.validate(definition, schema)


#: android_taskgraph build_config.py: what gradle publishes of an aar component, each file
#: with its checksums; signing signs the files without checksums (.asc).
EXTENSIONS = (".aar", ".pom", "-sources.jar")
CHECKSUMS = ("", ".md5", ".sha1", ".sha256", ".sha512")
COMPONENTS = {"browser-engine-gecko", "concept-engine", "support-base"}


@pytest.mark.parametrize("release_type", ["beta", "release"])
def test_beetmover_components_is_the_real_maven_upload(graph, release_type):
    full = production(graph, release_type)
    tasks = of_kind(full, "beetmover-components")
    assert {t.attributes["component"] for t in tasks} == COMPONENTS  # real: from-deps group-by component
    version = {"beta": "121.0b3", "release": "121.0"}[release_type]
    for task in tasks:
        component, payload = task.attributes["component"], task.task["payload"]
        assert task.attributes["shipping_phase"] == "ship"  # real: shipping-phase ship
        assert task.task["workerType"] == "gecko-3-beetmover"  # real: worker-type beetmover-android
        # real: action push-to-maven, bucket by-level 3 maven-production (beta and release)
        assert task.task["scopes"] == [f"{PREFIX}:beetmover:action:push-to-maven", f"{PREFIX}:beetmover:bucket:maven-production"]
        assert payload["releaseProperties"] == {"appName": "components"}  # real: beetmover-application-name components
        assert payload["version"] == version  # real: craft_path_version (the version itself off nightly)
        # real: the build's files and checksums, the signing task's signatures
        expected = {
            "build": sorted(f"public/build/{component}-{version}{e}{c}" for e in EXTENSIONS for c in CHECKSUMS),
            "signing": sorted(f"public/build/{component}-{version}{e}.asc" for e in EXTENSIONS),
        }
        assert {a["taskType"]: sorted(a["paths"]) for a in payload["upstreamArtifacts"]} == expected
        # real: maven-destination maven2/org/mozilla/components/{component}/{version}/{artifact_file_name}
        for entry in payload["artifactMap"]:
            assert entry["locale"] == "en-US"
            for path, info in entry["paths"].items():
                assert info == {"destinations": [f"maven2/org/mozilla/components/{component}/{version}/{os.path.basename(path)}"],
                                "checksums_path": ""}
        upstream = {full.tasks[label].kind: full.tasks[label] for label in task.dependencies.values()}
        assert set(upstream) == {"build-components", "signing"}
        assert all(t.attributes["component"] == component for t in upstream.values())
        # real: android_taskgraph's treeherder transform, the component's group, BM-B / BM-R
        treeherder = task.task["extra"]["treeherder"]
        assert (treeherder["groupSymbol"], treeherder["symbol"]) == (component, {"beta": "BM-B", "release": "BM-R"}[release_type])
        assert treeherder["machine"]["platform"] == "AC-android-all"


@pytest.mark.parametrize("release_type", ["beta", "release"])
def test_components_are_built_and_gpg_signed_in_promote(graph, release_type):
    full = production(graph, release_type)
    for task in of_kind(full, "build-components") + of_kind(full, "signing"):
        assert task.attributes["shipping_phase"] == "promote"  # real: shipping-phase promote for beta and release
    for task in of_kind(full, "signing"):
        assert task.task["workerType"] == "gecko-3-signing"  # real: linux-signing at level 3
        assert task.task["scopes"] == [f"{PREFIX}:signing:cert:release-signing"]
        [entry] = task.task["payload"]["upstreamArtifacts"]
        assert entry["formats"] == ["gcp_prod_autograph_gpg"]  # real: set_signing_format
        assert not [p for p in entry["paths"] if p.endswith(CHECKSUMS[1:])]  # real: filter_out_checksums


def test_beetmover_components_payload_is_what_beetmoverscript_accepts(graph, shared_dir):
    """The maven payload validates against beetmoverscript's own maven task schema."""
    path = os.path.join(shared_dir, "upstream/scriptworker-scripts/beetmoverscript/src/beetmoverscript/data/maven_beetmover_task_schema.json")
    with open(path) as fh:
        schema = json.load(fh)
    for task in of_kind(production(graph, "beta"), "beetmover-components"):
        definition = json.loads(json.dumps(task.task).replace('{"task-reference": "<build-components>"}', '"taskid-of-build"')
                                .replace('{"task-reference": "<signing>"}', '"taskid-of-signing"'))
        definition["dependencies"] = ["taskid-of-build", "taskid-of-signing"]
        jsonschema.validate(definition, schema)
