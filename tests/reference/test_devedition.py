"""Devedition's Try form: every name namespaced through naming, with Devedition's own
production names as the real tree has them (blob Devedition-..., channels aurora*,
rules devedition-*, Bouncer products Devedition-... under /devedition/releases/) (issue 15)."""

import pytest

from taskgraph_staging.model import naming
from taskgraph_staging.model.workers import location_problem

from release_graphs import reference_graph

PARTIAL = {"version": "121.0b2", "build_number": 1, "source": "production"}


@pytest.fixture(scope="module")
def full():
    return reference_graph(
        version="121.0b3", build_number=1, release_product="devedition", release_type="beta",
        staging={"namespace": "alice", "behavior": "beta", "partials": [PARTIAL]},
    )


def devedition(full, kind):
    return [t for t in full.tasks.values() if t.kind == kind and t.attributes["shipping_product"] == "devedition"]


def test_balrog_names_are_devedition_s_namespaced(full):
    (toplevel,) = devedition(full, "release-balrog-submit-toplevel")
    payload = toplevel.task["payload"]
    assert payload["product"] == "devedition"  # as the real tree; balrogscript capitalizes it
    assert payload["channel_names"] == ["alice-aurora", "alice-aurora-localtest", "alice-aurora-cdntest"]
    assert payload["pin_channels"] == ["alice-aurora-localtest", "alice-aurora-cdntest"]
    assert payload["rules_to_update"] == ["alice-devedition-cdntest", "alice-devedition-localtest"]
    assert payload["blob_suffix"] == "-staging-alice"
    for task in devedition(full, "balrog"):
        assert task.task["payload"]["behavior"] == "v2-submit-locale"
    (schedule,) = devedition(full, "release-balrog-scheduling")
    assert schedule.task["extra"]["staging"]["balrog-publish-rules"]["rule_alias"] == "alice-devedition-beta"


def test_bouncer_products_and_locations_are_devedition_s(full):
    (sub,) = devedition(full, "release-bouncer-sub")
    entries = sub.task["payload"]["submission_entries"]
    # Firefox's products but the langpack and the pkg (bouncerscript's Devedition pattern
    # admits no .xpi or .pkg), and one partial from the graph's previous version.
    names = {"", "-Complete", "-SSL", "-stub", "-msi-SSL", "-msix-SSL", "-Partial-121.0b2"}
    assert sorted(entries) == sorted(f"Devedition-121.0b3-staging-alice{suffix}" for suffix in names)
    candidates = naming.production_candidates_dir("devedition", "121.0b3", 1)
    for product, entry in entries.items():
        for platform, path in entry["paths_per_bouncer_platform"].items():
            assert path.startswith("/devedition/releases/") and f"/staging/alice/{candidates}" in path, path
            assert location_problem(product, platform, path) is None
    (check,) = devedition(full, "release-bouncer-check")
    # bouncer-check checks the installer and complete-MAR products among them.
    assert set(check.task["payload"]["env"]["PRODUCTS"].split(",")) == {
        f"Devedition-121.0b3-staging-alice{suffix}" for suffix in ("", "-Complete", "-SSL")}
    assert devedition(full, "release-bouncer-aliases") == []


def test_update_verify_reads_the_namespaced_aurora_test_channel(full):
    configs = devedition(full, "release-update-verify-config")
    assert configs
    for task in configs:
        assert task.task["extra"]["channel"] == "alice-aurora-localtest"
    for task in devedition(full, "release-update-verify"):
        assert task.task["payload"]["env"]["CHANNEL"] == "alice-aurora-localtest"


def test_mar_channel_and_update_channel_are_aurora(full):
    for task in devedition(full, "repackage") + devedition(full, "partials"):
        assert task.task["payload"]["env"]["MAR_CHANNEL_ID"] == "firefox-mozilla-aurora"
    for task in devedition(full, "build"):
        assert task.task["payload"]["env"]["MOZ_UPDATE_CHANNEL"] == "aurora"


def test_ship_it_release_is_devedition_s(full):
    (shipped,) = devedition(full, "release-mark-as-shipped")
    assert shipped.task["payload"]["release_name"] == "Devedition-121.0b3-build1"


@pytest.mark.parametrize("behavior", ["release", "release-rc", "esr"])
def test_devedition_runs_on_beta_only(behavior):
    version = "115.5.0esr" if behavior == "esr" else "121.0"
    graph = reference_graph(
        version=version, build_number=1, release_product="firefox",
        staging={"namespace": "alice", "behavior": behavior, "partials": []},
    )
    assert not [t for t in graph.tasks.values() if t.attributes.get("shipping_product") == "devedition"]


#: The signing kinds whose real transforms pick the cert per platform
#: (``get_signing_cert_scope_per_platform``: Devedition's is DEVEDITION_SIGNING_CERT_SCOPES',
#: nightly-signing on mozilla-beta), and those that take the branch's cert whatever the
#: product (``get_signing_cert_scope``: the checksums signing kinds).
PER_PLATFORM_CERT = ("build-signing", "shippable-l10n-signing", "repackage-signing", "partials-signing", "repackage-rpm-signing")
BRANCH_CERT = ("release-generate-checksums-signing", "release-source-checksums-signing")


def test_devedition_signs_with_the_nightly_cert_where_the_real_tree_picks_it_per_platform(graph):
    production = graph(production=True, version="121.0b3", build_number=1, release_type="beta", release_product="devedition",
                       partial_updates={"121.0b2": {"buildNumber": 1}})
    certs = {}
    for task in production.tasks.values():
        if task.kind in PER_PLATFORM_CERT + BRANCH_CERT:
            scopes = [s for s in task.task["scopes"] if ":signing:cert:" in s]
            certs.setdefault((task.kind, task.attributes["shipping_product"]), set()).update(scopes)
    for kind in PER_PLATFORM_CERT:
        assert certs[(kind, "devedition")] == {"project:releng:signing:cert:nightly-signing"}, kind
        assert certs[(kind, "firefox")] == {"project:releng:signing:cert:release-signing"}, kind
    for kind in BRANCH_CERT:
        assert certs[(kind, "devedition")] == {"project:releng:signing:cert:release-signing"}, kind
