"""What counts as production, and the scope table pinned to the scriptworker package."""

import json
import re

import pytest

from taskgraph_staging.model import production


def _plain(value):
    """immutabledict/tuple trees as plain dicts and lists."""
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def test_scope_table_is_scriptworkers():
    constants = pytest.importorskip("scriptworker.constants")
    installed = _plain(constants.DEFAULT_CONFIG["cot_restricted_scopes"]["by-cot-product"])
    with open(production.DATA) as fh:
        ours = json.load(fh)["by-cot-product"]
    assert ours == installed


@pytest.mark.parametrize(
    "scope, reason",
    [
        ("project:releng:beetmover:bucket:release", r"restricts it to firefox: all-release-branches"),
        ("project:releng:balrog:server:beta", r"restricts it to firefox: beta"),
        ("project:releng:treescript:action:push", r"restricts it to"),
        ("project:releng:balrog:server:*", r"covers production-only scope project:releng:balrog:server:beta"),
        ("project:releng:beetmover:bucket:dep", None),
        ("project:releng:signing:cert:dep-signing", None),
        ("project:releng:balrog:server:dep", None),
        # pushflatpakscript reads <prefix><channel>:<app id>: the channel is before the app id
        ("project:releng:flathub:firefox:stable:org.mozilla.firefox", r"restricts it to firefox: release"),
        ("project:releng:flathub:firefox:beta:org.mozilla.firefox", r"publishes to the flathub channel beta|restricts it"),
        ("project:releng:flathub:firefox:mock:org.mozilla.firefox", None),
    ],
)
def test_production_scope_reason(scope, reason):
    got = production.production_scope_reason(scope)
    if reason is None:
        assert got is None
    else:
        assert got and re.search(reason, got)


@pytest.mark.parametrize(
    "pool, reason",
    [
        ("scriptworker-k8s/gecko-3-signing", "level-3 (gecko-3-*) pool"),
        ("gecko-3/b-linux-gcp", "provisioner gecko-3 holds the level-3 pools"),
        ("scriptworker-k8s/gecko-t-signing", None),
        ("scriptworker-k8s/gecko-1-beetmover", None),
        ("gecko-1/b-linux-gcp", None),
        ("gecko-13/b-linux-gcp", None),
        ("comm-3/b-linux", None),
        # iscript's macOS pools (the real tree's mac-signing alias), named apart from the levels
        ("scriptworker-prov-v1/gecko-signing-mac14m2", "macOS signing pool"),
        ("scriptworker-prov-v1/signing-mac-v1", "macOS signing pool"),
        ("scriptworker-prov-v1/dep-gecko-signing-mac14m2", None),
        ("scriptworker-prov-v1/depsigning-mac-v1", None),
        ("scriptworker-prov-v1/tb-depsigning-mac-v1", None),
        ("scriptworker-prov-v1/adhoc-t-signing-mac", None),
    ],
)
def test_production_pool_reason(pool, reason):
    got = production.production_pool_reason(pool, "gecko")
    assert (got is None) if reason is None else (reason in got)


@pytest.mark.parametrize(
    "host, bucket, expected",
    [
        ("aus5.mozilla.org", None, "the production Balrog update server"),
        ("ARCHIVE.mozilla.org:443", None, "the production archive"),
        (None, "net-mozaws-prod-delivery-firefox", "the production release bucket"),
        ("ftp.stage.mozaws.net", None, None),
        (None, "net-mozaws-stage-delivery-firefox", None),
    ],
)
def test_production_host_reason(host, bucket, expected):
    assert production.production_host_reason(host, bucket=bucket) == expected


def test_channels_and_stores():
    assert production.production_channel_reason("beta-localtest")
    assert production.production_channel_reason("alice-beta-localtest") is None
    assert production.production_store_reason("googleplay") == "it publishes to Google Play (staging uses commit: false)"
    assert production.production_store_reason("email") is None


@pytest.mark.parametrize("repo, production", [
    pytest.param("staging-firefox-beta", False, id="staging-beta"),
    pytest.param("staging-firefox-esr115", False, id="staging-esr"),
    pytest.param("firefox-beta", True, id="beta"),
    pytest.param("firefox-release", True, id="release"),
    pytest.param("firefox-esr140", True, id="esr"),
    pytest.param("firefox-main", True, id="main"),
    pytest.param("staging-", True, id="bare-prefix"),
])
def test_only_landos_staging_repositories_are_not_production(repo, production):
    from taskgraph_staging.model.production import lando_repo_reason

    assert (lando_repo_reason(repo) is not None) is production


@pytest.mark.parametrize(
    "pool, production_pool",
    [
        ("scriptworker-prov-v1/gecko-signing-mac14m2", True),
        ("scriptworker-prov-v1/tb-signing-mac-v1", True),
        ("scriptworker-prov-v1/dep-gecko-signing-mac14m2", False),
        ("scriptworker-prov-v1/depsigning-mac-v1", False),
    ],
)
def test_the_guard_knows_the_production_macos_signing_pools(pool, production_pool):
    assert (production.pool_reason(pool) is not None) == production_pool


@pytest.mark.parametrize(
    "scope, production_scope",
    [
        # the AMO push: production's server is cot-restricted; staging is the Try form
        ("project:releng:addons.mozilla.org:server:production", True),
        ("project:releng:addons.mozilla.org:server:staging", False),
        # the apt import: only the dev pool's resource (dep) is staging
        ("project:releng:beetmover:apt-repo:release", True),
        ("project:releng:beetmover:apt-repo:nightly", True),
        ("project:releng:beetmover:apt-repo:dep", False),
        ("project:releng:beetmover:yum-repo:release", True),
        ("project:releng:beetmover:action:import-from-gcs-to-artifact-registry", False),
    ],
)
def test_the_guard_knows_the_amo_server_and_the_apt_repositories(scope, production_scope):
    assert (production.scope_reason(scope) is not None) == production_scope


def test_production_s_apt_repository_and_amo_are_production_resources():
    from taskgraph_staging.analysis.inventory import Resource
    from taskgraph_staging.model.workers import AMO_SERVERS, ARTIFACT_REGISTRIES

    assert production.resource_reason(Resource("apt", ARTIFACT_REGISTRIES["apt-repo"].repository("release", "firefox"), "package", "p", "t"))
    assert production.resource_reason(Resource("apt", ARTIFACT_REGISTRIES["apt-repo"].repository("dep", "firefox"), "package", "p", "t")) is None
    assert production.resource_reason(Resource("amo", AMO_SERVERS["production"], "langpack", "p", "t"))
    assert production.resource_reason(Resource("amo", AMO_SERVERS["staging"], "langpack", "p", "t")) is None


def test_production_s_yum_repository_is_a_production_resource_and_the_dev_pool_s_is_not():
    from taskgraph_staging.analysis.inventory import Resource
    from taskgraph_staging.model.workers import ARTIFACT_REGISTRIES

    # beetmoverscript docker.d/worker.yml: product_yum_repos (mozilla-rpm) of the dev pool and of production's
    yum = ARTIFACT_REGISTRIES["yum-repo"]
    assert yum.repository("dep", "devedition") == "projects/moz-fx-productdelivery-no-7d6a/locations/us/repositories/mozilla-rpm"
    assert yum.repository("release", "firefox") == "projects/moz-fx-productdelivery-pr-38b5/locations/us/repositories/mozilla-rpm"
    assert yum.repository("dep", "fenix") == "yum-repo 'dep' of fenix (not configured on any pool)"
    assert production.resource_reason(Resource("yum", yum.repository("release", "firefox"), "package", "p", "t")) == (
        f"yum repository {yum.repository('release', 'firefox')}", "it is production's yum repository (packages.mozilla.org)"
    )
    assert production.resource_reason(Resource("yum", yum.repository("dep", "firefox"), "package", "p", "t")) is None
    # the apt repository of production is not the yum one's service
    assert production.resource_reason(Resource("apt", yum.repository("release", "firefox"), "package", "p", "t")) is None
