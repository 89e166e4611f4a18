"""Bouncer: bouncerscript's rules, and the Try form of submission and aliases."""

import pytest
import requests

from issue3_tasks import PREFIX, finished, make_config, run_staging
from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.parameters import staging_release
from taskgraph_staging.model.workers import alias_problem, location_problem, product_kind

V = "121.0b3"


def submission(entries, version=V):
    return finished(
        "release-bouncer-sub-firefox", "release-bouncer-sub", "gecko-3-bouncer",
        [f"{PREFIX}:bouncer:action:submission", f"{PREFIX}:bouncer:server:production"],
        {"locales": ["en-US", "de"], "submission_entries": entries},
    )


def aliases(entries):
    return finished(
        "release-bouncer-aliases-firefox", "release-bouncer-aliases", "gecko-3-bouncer",
        [f"{PREFIX}:bouncer:action:aliases", f"{PREFIX}:bouncer:server:production"],
        {"aliases_entries": entries}, phase="ship",
    )


@pytest.mark.parametrize("product,kind", [
    pytest.param("Firefox-121.0b3-staging-alice-SSL", "firefox", id="beta"),
    pytest.param("Firefox-121.0build1-staging-alice-Complete", "firefox-rc", id="rc"),
    pytest.param("Devedition-121.0b3", "devedition", id="devedition"),
    pytest.param("firefox-121.0", None, id="lowercase"),
])
def test_product_kind(product, kind):
    assert product_kind(product) == kind


@pytest.mark.parametrize("product,platform,path,problem", [
    pytest.param("Firefox-121.0b3-SSL", "linux64", "/firefox/releases/121.0b3/linux-x86_64/:lang/firefox-121.0b3.tar.xz", None, id="ok"),
    pytest.param("Firefox-121.0b3-SSL", "linux64-aarch64", "/firefox/releases/121.0b3/linux-aarch64/:lang/firefox-121.0b3.tar.xz", None, id="aarch64"),
    pytest.param("Firefox-121.0b3-SSL", "linux64", "/staging/alice/pub/firefox/releases/121.0b3/linux-x86_64/:lang/firefox-121.0b3.tar.xz", "does not match", id="prefixed"),
    pytest.param("Firefox-121.0build1-Complete", "win64", "/firefox/releases/121.0/update/win64/:lang/firefox-121.0.complete.mar", "firefox-rc", id="rc-under-releases"),
    pytest.param("Firefox-121.0b3", "beos", "/firefox/releases/121.0b3/mac/:lang/Firefox%20121.0b3.dmg", "not a Bouncer platform", id="platform"),
    pytest.param("Nightly-121.0a1", "osx", "/firefox/releases/x/mac/:lang/Firefox.dmg", "none of bouncerscript", id="product"),
])
def test_location_problem(product, platform, path, problem):
    found = location_problem(product, platform, path)
    if problem is None:
        assert found is None
    else:
        assert problem in found


@pytest.mark.parametrize("alias,product,ok", [
    pytest.param("firefox-beta-latest-ssl", "Firefox-121.0b3-SSL", True, id="fixed"),
    pytest.param("firefox-beta-latest-ssl", "Firefox-121.0-SSL", False, id="fixed-wrong-channel"),
    pytest.param("firefox-esr115-msi-latest-ssl", "Firefox-115.5.0esr-msi-SSL", True, id="esr115"),
    pytest.param("partner-firefox-beta-staging-alice-SSL-latest", "Firefox-121.0b3-staging-alice-SSL", True, id="partner"),
    pytest.param("partner-firefox-beta-staging-alice-stub", "Firefox-121.0b3-staging-alice-stub", True, id="partner-stub"),
    pytest.param("partner-firefox-beta-staging-bob-SSL-latest", "Firefox-121.0b3-staging-alice-SSL", False, id="partner-other-ns"),
    pytest.param("firefox-nightly-latest", "Firefox-121.0a1", False, id="unknown"),
])
def test_alias_problem(alias, product, ok):
    assert (alias_problem(alias, product) is None) is ok


PROD_PATHS = {
    "linux64": f"/firefox/releases/{V}/linux-x86_64/:lang/firefox-{V}.tar.xz",
    "osx": f"/firefox/releases/{V}/mac/:lang/Firefox%20{V}.dmg",
}


def test_submission_on_shared_services():
    task = run_staging(make_config(), submission({
        f"Firefox-{V}-SSL": {"options": {"add_locales": True, "ssl_only": True}, "paths_per_bouncer_platform": PROD_PATHS},
    }))
    up = "/firefox/releases/../../../staging/alice/pub/firefox/candidates/121.0b3-candidates/build1"
    assert task["task"]["payload"]["submission_entries"] == {
        "Firefox-121.0b3-staging-alice-SSL": {
            "options": {"add_locales": True, "ssl_only": True},
            "paths_per_bouncer_platform": {
                "linux64": f"{up}/linux-x86_64/:lang/firefox-{V}.tar.xz",
                "osx": f"{up}/mac/:lang/Firefox%20{V}.dmg",
            },
        }
    }
    assert f"{PREFIX}:bouncer:server:staging" in task["task"]["scopes"]
    assert f"{PREFIX}:bouncer:server:production" not in task["task"]["scopes"]


def test_location_resolves_inside_the_namespace():
    config = make_config()
    rel = staging_release(config.params, config.graph_config)
    path = naming.bouncer_location_path(rel, PROD_PATHS["linux64"]).replace(":lang", "de")
    # What the redirector answers is mirror + path; clients remove the dot segments.
    url = requests.Request("GET", naming.bouncer_mirror_base(rel) + path).prepare().url
    assert url == f"https://ftp.stage.mozaws.net/staging/alice/pub/firefox/candidates/{V}-candidates/build1/linux-x86_64/de/firefox-{V}.tar.xz"
    assert url == f"https://{rel.services.archive_domain}/{naming.candidates_dir(rel)}linux-x86_64/de/firefox-{V}.tar.xz"


def test_dedicated_bouncer_and_archive_keep_production_names():
    config = make_config(services={"dedicated": ["archive", "bouncer"]})
    entry = {"options": {"add_locales": True, "ssl_only": True}, "paths_per_bouncer_platform": PROD_PATHS}
    task = run_staging(config, submission({f"Firefox-{V}-SSL": entry}))
    assert task["task"]["payload"]["submission_entries"] == {f"Firefox-{V}-SSL": entry}
    task = run_staging(config, aliases({"firefox-beta-latest-ssl": f"Firefox-{V}-SSL"}))
    assert task["task"]["payload"]["aliases_entries"] == {"firefox-beta-latest-ssl": f"Firefox-{V}-SSL"}
    assert task["task"]["extra"]["staging"]["bouncer-aliases"]["instance"] == "dedicated"


@pytest.mark.parametrize("version,behavior,family", [
    pytest.param("121.0b3", None, "beta", id="beta"),
    pytest.param("121.0", "release-rc", "release", id="rc"),
    pytest.param("115.5.0esr", None, "esr", id="esr"),
])
def test_aliases_on_a_shared_bouncer_are_namespaced_and_said(version, behavior, family):
    config = make_config(version=version, behavior=behavior)
    alias = {"beta": "firefox-beta-latest-ssl", "release": "firefox-latest-ssl", "esr": "firefox-esr-latest-ssl"}[family]
    stub = {"beta": "firefox-beta-stub", "release": "firefox-stub"}.get(family)
    entries = {alias: f"Firefox-{version}-SSL"}
    if stub:
        entries[stub] = f"Firefox-{version}-stub"
    task = run_staging(config, aliases(entries))
    expected = {f"partner-firefox-{family}-staging-alice-SSL-latest": f"Firefox-{version}-staging-alice-SSL"}
    if stub:
        expected[f"partner-firefox-{family}-staging-alice-stub"] = f"Firefox-{version}-staging-alice-stub"
    assert task["task"]["payload"]["aliases_entries"] == expected
    record = task["task"]["extra"]["staging"]["bouncer-aliases"]
    assert record["instance"] == "shared"
    assert record["production_aliases_not_updated"] == sorted(entries)
    assert f"aliases {', '.join(sorted(entries))} are NOT updated" in task["task"]["metadata"]["description"]
    for new_alias, product in expected.items():
        assert alias_problem(new_alias, product) is None


@pytest.mark.parametrize("version,behavior,family", [
    pytest.param("121.0b3", None, "beta", id="beta"),
    pytest.param("121.0", "release", "release", id="release"),
    pytest.param("121.0", "release-rc", "release", id="rc"),
    pytest.param("115.5.0esr", None, "esr", id="esr"),
    pytest.param("121.0b3", "release", "release", id="beta-version-as-release"),
])
def test_the_alias_family_is_the_behaviours(version, behavior, family):
    config = make_config(version=version, behavior=behavior)
    assert naming.bouncer_alias_family(staging_release(config.params, config.graph_config)) == family


def test_a_beta_planned_as_a_release_says_bouncerscript_refuses_the_release_aliases():
    """The release behaviour's stand-in, partner-firefox-release-..., is refused by bouncerscript for a beta's
    product (its partner pattern wants a release version): the task keeps the beta stand-in and says so."""
    config = make_config(version=V, behavior="release")
    task = run_staging(config, aliases({"firefox-latest-ssl": f"Firefox-{V}-SSL"}))
    product = f"Firefox-{V}-staging-alice-SSL"
    refused = "partner-firefox-release-staging-alice-SSL-latest"
    assert alias_problem(refused, product) is not None
    assert task["task"]["payload"]["aliases_entries"] == {"partner-firefox-beta-staging-alice-SSL-latest": product}
    assert task["task"]["extra"]["staging"]["bouncer-aliases-of-the-behaviour-refused"] == {refused: product}
    description = task["task"]["metadata"]["description"]
    assert f"the release behaviour's stand-ins ({refused}) are refused by bouncerscript" in description
    assert f"this task rehearses {V}'s alias update, not the release one. Plan a release version to rehearse that." in description


def test_a_release_behaviour_on_a_release_version_has_no_refusal():
    task = run_staging(make_config(version="121.0", behavior="release"), aliases({"firefox-latest-ssl": "Firefox-121.0-SSL"}))
    assert task["task"]["payload"]["aliases_entries"] == {"partner-firefox-release-staging-alice-SSL-latest": "Firefox-121.0-staging-alice-SSL"}
    assert "bouncer-aliases-of-the-behaviour-refused" not in task["task"]["extra"]["staging"]


def test_a_product_of_another_version_fails_generation():
    with pytest.raises(ConfigError, match=r"task release-bouncer-sub-firefox: Bouncer product 'Firefox-120.0b9-SSL' does not start with Firefox-121.0b3"):
        run_staging(make_config(), submission({"Firefox-120.0b9-SSL": {"options": {}, "paths_per_bouncer_platform": {}}}))


def test_a_location_outside_the_release_fails_generation():
    entry = {"options": {}, "paths_per_bouncer_platform": {"linux64": "/firefox/releases/120.0/linux-x86_64/:lang/firefox-120.0.tar.xz"}}
    with pytest.raises(ConfigError, match=r"location '/firefox/releases/120.0/.*' .* is not under /firefox/releases/121.0b3/"):
        run_staging(make_config(), submission({f"Firefox-{V}": entry}))
