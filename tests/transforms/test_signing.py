import pytest

from taskgraph_staging.staging.transforms.registry import REWRITERS

PREFIX = "project:releng"


@pytest.mark.parametrize(
    "cert, pool",
    [
        pytest.param("release-signing", "gecko-3-signing", id="release-cert-production-pool"),
        pytest.param("production-signing", "gecko-3-signing", id="production-cert"),
        pytest.param("nightly-signing", "gecko-t-signing", id="nightly-cert-try-pool"),
        pytest.param("fennec-production-signing", "gecko-3-signing", id="fennec-cert"),
    ],
)
def test_production_cert_becomes_dep_on_the_try_pool(production, try_config, stage, cert, pool):
    task = production.mar_signing(cert=cert, pool=pool)
    result = stage(try_config(), task)

    expected = dict(task["task"])
    expected.update(
        scopes=[f"{PREFIX}:signing:cert:dep-signing"],
        workerType="gecko-t-signing",
        extra={"staging": {"signing": REWRITERS["signing"].summary, "namespace": "alice"}},
    )
    assert result["task"] == expected


def test_mar_formats_are_kept_for_the_dep1_key(production, try_config, stage):
    result = stage(try_config(), production.mar_signing())
    (artifact,) = result["task"]["payload"]["upstreamArtifacts"]
    assert artifact["formats"] == ["gcp_prod_autograph_hash_only_mar384"]


def test_dep_cert_and_other_scopes_are_left_alone(production, try_config, stage):
    task = production.mar_signing(cert="dep-signing", pool="gecko-t-signing")
    task["task"]["scopes"].append(f"{PREFIX}:signing:format:autograph_gpg")
    result = stage(try_config(), task)
    assert result["task"]["scopes"] == sorted([f"{PREFIX}:signing:cert:dep-signing", f"{PREFIX}:signing:format:autograph_gpg"])


def test_production_graph_is_not_rewritten(production, try_config, stage):
    task = production.mar_signing()
    result = stage(try_config(project="mozilla-beta", level="3"), task)
    assert result["task"] == task["task"]


def test_reference_try_graph_signs_with_the_dep_cert_on_the_try_pool(try_graph, tasks_of):
    """Every signing task asks for the dep cert; macOS ones on the dep iscript pool (as the
    real tree's mac-signing alias below level 3), the others on the Try signing pool."""
    config, full = try_graph
    signing = tasks_of(full, "signing")
    assert signing, "the reference graph has signing tasks"
    pools = set()
    for task in signing:
        certs = [s for s in task.task["scopes"] if s.startswith(f"{PREFIX}:signing:cert:")]
        # the builds' own signing (not the MARs' repackage signing) runs on iscript for macOS
        mac = task.attributes.get("build_platform", "").startswith("macosx") and task.kind in (
            "build-signing", "shippable-l10n-signing", "release-partner-repack-mac-signing", "release-eme-free-repack-mac-signing")
        pool = ("scriptworker-prov-v1", "dep-gecko-signing-mac14m2") if mac else ("scriptworker-k8s", "gecko-t-signing")
        assert (certs, (task.task["provisionerId"], task.task["workerType"])) == ([f"{PREFIX}:signing:cert:dep-signing"], pool), task.label
        pools.add(pool)
    assert len(pools) == 2, "the reference graph signs macOS builds and others"


@pytest.mark.parametrize("pool, dep_pool", [("gecko-signing-mac14m2", "dep-gecko-signing-mac14m2"), ("signing-mac-v1", "depsigning-mac-v1")])
def test_a_production_macos_signing_pool_becomes_its_dep_pool(production, try_config, stage, pool, dep_pool):
    task = production.mar_signing(pool=pool)
    result = stage(try_config(), task)
    assert result["task"]["workerType"] == dep_pool
    assert result["task"]["scopes"] == [f"{PREFIX}:signing:cert:dep-signing"]


def test_macos_signing_is_iscripts_sign_and_pkg_and_its_outputs_feed_the_repackage(try_graph):
    """The macOS signing tasks have the real tree's iscript form, and what the tasks after
    them read from them is what iscript writes (the .dmg's target.tar.gz)."""
    from taskgraph_staging.staging.payloads.iscript import signed_paths

    _, full = try_graph
    mac = [t for t in full.tasks.values() if t.kind in ("build-signing", "shippable-l10n-signing") and t.attributes.get("build_platform") == "macosx64"]
    assert mac, "the reference graph signs macOS builds"
    for task in mac:
        payload = task.task["payload"]
        assert payload["behavior"] == "mac_sign_and_pkg", task.label
        (build,) = [a for a in payload["upstreamArtifacts"] if any(p.endswith(".dmg") for p in a["paths"])]
        assert build["formats"] == ["macapp", "gcp_prod_autograph_widevine", "gcp_prod_autograph_omnija"], task.label
        written = {out for a in payload["upstreamArtifacts"] for p in a["paths"] for out in signed_paths(p, payload["behavior"])}
        assert set(task.attributes["release_artifacts"]) == written, task.label
    by_label = {t.label: t for t in mac}
    readers = [t for t in full.tasks.values() if t.kind == "repackage" and t.attributes.get("build_platform") == "macosx64"]
    assert readers
    for task in readers:
        signed = by_label[task.dependencies["signed-build"]]
        reference = task.task["payload"]["env"]["SIGNED_PACKAGE_URL"]["artifact-reference"]
        path = reference.split("/", 1)[1].rstrip(">")
        assert path in signed.attributes["release_artifacts"], (task.label, path)


def test_the_iscript_worker_schema_refuses_a_behaviour_iscript_does_not_run():
    import msgspec

    from taskgraph_staging.staging.payloads.iscript import IscriptSchema

    worker = {"implementation": "iscript", "signing-type": "release-signing", "upstream-artifacts": [], "mac-behavior": "mac_sign_and_pkg"}
    assert msgspec.convert(worker, IscriptSchema).mac_behavior == "mac_sign_and_pkg"
    with pytest.raises(msgspec.ValidationError, match="mac-behavior"):
        msgspec.convert(dict(worker, **{"mac-behavior": "mac_sign_everything"}), IscriptSchema)
