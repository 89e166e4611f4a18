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
    config, full = try_graph
    signing = tasks_of(full, "signing")
    assert signing, "the reference graph has signing tasks"
    for task in signing:
        certs = [s for s in task.task["scopes"] if s.startswith(f"{PREFIX}:signing:cert:")]
        assert (certs, task.task["workerType"]) == ([f"{PREFIX}:signing:cert:dep-signing"], "gecko-t-signing"), task.label
