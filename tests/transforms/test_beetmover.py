import pytest

from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.staging.transforms.registry import REWRITERS

PREFIX = "project:releng"
CANDIDATES = "pub/firefox/candidates/121.0b3-candidates/build1"
MAR = "update/linux-x86_64/en-US/firefox-121.0b3.complete.mar"
DEDICATED = {"dedicated": ["archive"], "archive_bucket": "staging-slot-7-archive", "pools": {"beetmover": "scriptworker-k8s/gecko-1-beetmover-slot7"}}


def destinations(task):
    return [d for entry in task["task"]["payload"]["artifactMap"] for info in entry["paths"].values() for d in info["destinations"]]


@pytest.mark.parametrize(
    "namespace, bucket",
    [pytest.param("alice", "release", id="alice-release-bucket"), pytest.param("bob-2", "nightly", id="bob-nightly-bucket")],
)
def test_push_to_candidates_rerooted_under_the_namespace(production, try_config, stage, namespace, bucket):
    task = production.push_to_candidates(bucket=bucket)
    result = stage(try_config(namespace=namespace), task)

    expected = dict(task["task"])
    expected["scopes"] = [f"{PREFIX}:beetmover:action:push-to-candidates", f"{PREFIX}:beetmover:bucket:dep"]
    expected["extra"] = {"staging": {"beetmover": REWRITERS["beetmover"].summary, "namespace": namespace}}
    assert result["task"]["scopes"] == expected["scopes"]
    assert destinations(result) == [f"staging/{namespace}/{CANDIDATES}/{MAR}"]
    result["task"]["payload"]["artifactMap"] = task["task"]["payload"]["artifactMap"]
    assert result["task"] == expected


def test_dedicated_archive_keeps_production_layout_on_its_own_pool(production, try_config, stage):
    result = stage(try_config(services=DEDICATED), production.push_to_candidates())
    assert destinations(result) == [f"{CANDIDATES}/{MAR}"]
    assert (result["task"]["provisionerId"], result["task"]["workerType"]) == ("scriptworker-k8s", "gecko-1-beetmover-slot7")


def test_pool_override_on_the_shared_archive(production, try_config, stage):
    result = stage(try_config(services={"pools": {"beetmover": "slot-prov/beetmover-slot3"}}), production.push_to_candidates())
    assert (result["task"]["provisionerId"], result["task"]["workerType"]) == ("slot-prov", "beetmover-slot3")
    assert destinations(result) == [f"staging/alice/{CANDIDATES}/{MAR}"]


def test_fenix_candidates_use_the_task_shipping_product(production, try_config, stage):
    result = stage(try_config(), production.push_to_candidates(product="fenix"))
    assert destinations(result) == ["staging/alice/pub/fenix/candidates/121.0b3-candidates/build1/update/linux-x86_64/en-US/fenix-121.0b3.complete.mar"]


@pytest.mark.parametrize(
    "task_version, task_build",
    [pytest.param("121.0b2", 1, id="other-version"), pytest.param("121.0b3", 2, id="other-build-number")],
)
def test_candidates_outside_the_release_fail(production, try_config, stage, task_version, task_build):
    task = production.push_to_candidates(version=task_version, build_number=task_build)
    with pytest.raises(ConfigError, match=r"task beetmover-repackage-firefox-linux64-shippable/opt: push-to-candidates destination .* is outside this release's candidates directory 'staging/alice/pub/firefox/candidates/121.0b3-candidates/build1/'"):
        stage(try_config(), task)


@pytest.mark.parametrize(
    "destination",
    [
        pytest.param("/pub/firefox/candidates/x", id="absolute"),
        pytest.param(f"{CANDIDATES}/../../../../releases/x", id="dot-dot"),
        pytest.param(f"{CANDIDATES}//x", id="empty-segment"),
        pytest.param(f"../{CANDIDATES}/x", id="leading-dot-dot"),
    ],
)
def test_destinations_that_could_escape_the_root_fail(production, try_config, stage, destination):
    task = production.push_to_candidates()
    task["task"]["payload"]["artifactMap"][0]["paths"]["public/build/target.complete.mar"]["destinations"] = [destination]
    with pytest.raises(ConfigError, match="is not a plain relative bucket key"):
        stage(try_config(), task)


def test_push_to_releases_on_a_shared_archive_explains_what_it_cannot_isolate(production, try_config, stage):
    task = production.push_to_releases()
    result = stage(try_config(), task)
    task_def = result["task"]
    assert task_def["payload"] == task["task"]["payload"]
    assert task_def["scopes"] == [f"{PREFIX}:beetmover:action:push-to-releases", f"{PREFIX}:beetmover:bucket:dep"]
    assert task_def["extra"]["staging"]["push-to-releases"] == {
        "bucket": "net-mozaws-stage-delivery-firefox",
        "copies_from": "pub/firefox/candidates/121.0b3-candidates/build1/",
        "copies_to": "pub/firefox/releases/121.0b3/",
        "release_candidates": f"staging/alice/{CANDIDATES}/",
        "isolated": False,
        "reason": "beetmoverscript computes both paths itself inside its worker's bucket; the namespace cannot reach them on a shared archive",
    }
    assert task_def["metadata"]["description"] == (
        "release-beetmover-push-to-release-firefox (production form)\n\n"
        "Staging: push-to-releases is NOT isolated on the shared staging archive. beetmoverscript ignores this "
        f"release's namespaced candidates (staging/alice/{CANDIDATES}/): it would copy {CANDIDATES}/ to "
        "pub/firefox/releases/121.0b3/ in the worker's bucket (net-mozaws-stage-delivery-firefox), keys every "
        "staging release of firefox 121.0b3 shares. Reserve a dedicated archive (staging.services.dedicated: "
        "[archive] with a beetmover pool) to run it isolated."
    )


def test_push_to_releases_runs_for_real_on_a_dedicated_archive(production, try_config, stage):
    result = stage(try_config(services=DEDICATED), production.push_to_releases())
    facts = result["task"]["extra"]["staging"]["push-to-releases"]
    assert facts["isolated"] is True
    assert facts["bucket"] == "staging-slot-7-archive"
    assert facts["release_candidates"] == facts["copies_from"] == f"{CANDIDATES}/"
    assert result["task"]["workerType"] == "gecko-1-beetmover-slot7"
    assert result["task"]["metadata"]["description"].endswith(
        "Staging: push-to-releases runs for real on this release's dedicated archive staging-slot-7-archive: "
        f"it copies {CANDIDATES}/ to pub/firefox/releases/121.0b3/ there."
    )


def test_dedicated_archive_without_a_beetmover_pool_is_refused(production, try_config, stage):
    services = {"dedicated": ["archive"], "archive_bucket": "staging-slot-7-archive"}
    with pytest.raises(ConfigError, match=r"parameter staging.services: services.dedicated lists archive but services.pools has no beetmover pool"):
        stage(try_config(services=services), production.push_to_candidates())


def test_reference_try_graph_uploads_inside_the_namespace(try_graph, tasks_of):
    from dataclasses import replace

    from taskgraph_staging.model import naming
    from taskgraph_staging.model.parameters import staging_release

    config, full = try_graph
    release = staging_release(config.params, config.graph_config)
    # push-to-maven (beetmover-components) has its own bucket and keys: see test_maven.py
    beetmover = [t for t in tasks_of(full, "beetmover") if f"{PREFIX}:beetmover:action:push-to-maven" not in t.task["scopes"]]
    assert beetmover
    uploads = 0
    for task in beetmover:
        # the apt and yum imports name their resource by an apt-repo or yum-repo scope, not a bucket one
        resource = {"beetmover-apt": "apt-repo", "beetmover-rpm": "yum-repo"}.get(task.kind, "bucket")
        assert f"{PREFIX}:beetmover:{resource}:dep" in task.task["scopes"], task.label
        resources = tuple(f"{PREFIX}:beetmover:{r}:" for r in ("bucket", "apt-repo", "yum-repo"))
        assert not [s for s in task.task["scopes"] if s.startswith(resources) and not s.endswith(":dep")]
        product = task.attributes["shipping_product"]
        root = naming.candidates_dir(replace(release, product=product))
        for source in task.task["payload"].get("gcs_sources", []):
            uploads += 1
            assert source.startswith(root), (task.label, source)
        for entry in task.task["payload"].get("artifactMap", []):
            for info in entry["paths"].values():
                for destination in info["destinations"]:
                    uploads += 1
                    assert destination.startswith(root) and root.startswith(f"staging/{release.namespace}/pub/"), (task.label, destination)
    assert uploads


def test_reference_try_graph_push_to_releases_says_it_is_not_isolated(try_graph, tasks_of):
    config, full = try_graph
    (task,) = [t for t in tasks_of(full, "beetmover") if f"{PREFIX}:beetmover:action:push-to-releases" in t.task["scopes"]
               and t.attributes["shipping_product"] == "firefox"]
    facts = task.task["extra"]["staging"]["push-to-releases"]
    assert facts["isolated"] is False
    assert facts["copies_from"] == f"pub/firefox/candidates/{task.task['payload']['version']}-candidates/build1/"
    assert "push-to-releases is NOT isolated on the shared staging archive" in task.task["metadata"]["description"]


@pytest.mark.parametrize(
    "label, resource, package",
    [
        pytest.param("beetmover-apt-firefox", "apt-repo", ".deb", id="apt"),
        pytest.param("beetmover-rpm-firefox", "yum-repo", ".rpm", id="yum"),
    ],
)
def test_reference_try_graph_import_reads_the_namespaced_packages_and_says_it_is_not_isolated(try_graph, tasks_of, label, resource, package):
    from taskgraph_staging.model.workers import ARTIFACT_REGISTRIES

    config, full = try_graph
    (task,) = [t for t in tasks_of(full, "beetmover") if t.label == label]
    assert task.task["workerType"] == "gecko-1-beetmover"
    assert task.task["scopes"] == [f"{PREFIX}:beetmover:action:import-from-gcs-to-artifact-registry", f"{PREFIX}:beetmover:{resource}:dep"]
    sources = task.task["payload"]["gcs_sources"]
    uploads = {d for dep in task.dependencies.values() for e in full.tasks[dep].task["payload"]["artifactMap"]
               for p, i in e["paths"].items() if p.endswith(package) for d in i["destinations"]}
    assert sources and set(sources) == uploads
    registry = ARTIFACT_REGISTRIES[resource]
    facts = task.task["extra"]["staging"]["import-from-gcs-to-artifact-registry"]
    assert facts["isolated"] is False and facts["repository"] == registry.repository("dep", "firefox")
    assert facts["sources"] == len(sources)
    assert f"the {registry.service} import is NOT isolated" in task.task["metadata"]["description"]
    assert f"{len(sources)} {package} packages" in task.task["metadata"]["description"]


def test_reference_try_graph_rpm_uploads_land_in_the_namespaced_candidates(try_graph, tasks_of):
    from taskgraph_staging.model import naming
    from taskgraph_staging.model.parameters import staging_release

    config, full = try_graph
    task = full.tasks["beetmover-repackage-rpm-firefox-linux64"]
    assert task.task["scopes"] == [f"{PREFIX}:beetmover:action:push-to-candidates", f"{PREFIX}:beetmover:bucket:dep"]
    version = task.task["payload"]["version"]
    rpm_dir = f"{naming.candidates_dir(staging_release(config.params, config.graph_config))}linux-x86_64/rpm/"
    assert rpm_dir.startswith("staging/")
    destinations = {p: i["destinations"] for e in task.task["payload"]["artifactMap"] for p, i in e["paths"].items()}
    assert destinations["public/build/target.rpm"] == [f"{rpm_dir}firefox-{version}.rpm"]
    assert destinations["public/build/langpack-de.noarch.rpm"] == [f"{rpm_dir}firefox-l10n-de-{version}.noarch.rpm"]
