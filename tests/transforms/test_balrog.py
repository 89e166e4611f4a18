import pytest

from taskgraph_staging.staging.transforms.registry import REWRITERS

PREFIX = "project:releng"
SUMMARY = REWRITERS["balrog"].summary


def test_submit_toplevel_beta(production, try_config, stage):
    config = try_config(partials=[{"version": "121.0b2", "build_number": 1, "source": "staging"}, {"version": "120.0b9", "build_number": 2}])
    result = stage(config, production.balrog_submit_toplevel())
    assert result["task"]["scopes"] == [f"{PREFIX}:balrog:action:submit-toplevel", f"{PREFIX}:balrog:server:dep"]
    assert result["task"]["payload"] == {
        "app_version": "121.0",
        "archive_domain": "ftp.stage.mozaws.net/staging/alice",
        "blob_suffix": "-staging-alice",
        "build_number": 1,
        "channel_names": ["alice-beta", "alice-beta-localtest", "alice-beta-cdntest"],
        "download_domain": "dev.bouncer.nonprod.webservices.mozgcp.net",
        "partial_versions": "121.0b2build1, 120.0b9build2",
        "platforms": ["linux", "linux64", "macosx64", "win32", "win64"],
        "product": "firefox",
        "require_mirrors": True,
        "rules_to_update": ["alice-firefox-beta-cdntest", "alice-firefox-beta-localtest"],
        "version": "121.0b3",
    }
    assert result["task"]["extra"] == {"staging": {
        "balrog": SUMMARY,
        "namespace": "alice",
        # balrogscript names these itself: no namespace in them, and the task says so.
        "balrog-partial-bouncer-products": {
            "products": ["firefox-121.0b3-partial-121.0b2", "firefox-121.0b3-partial-120.0b9"], "namespaced": False,
        },
    }}
    assert result["task"]["metadata"]["description"].endswith(
        "Staging: balrogscript names the partial MARs' Bouncer products itself (firefox-121.0b3-partial-121.0b2, "
        "firefox-121.0b3-partial-120.0b9), without the namespace: on the shared Bouncer "
        "https://admin.dev.bouncer.nonprod.webservices.mozgcp.net/api these partial download URLs are every namespace's, "
        "not this release's. A dedicated Bouncer (a library slot) is needed for this release's partial download URLs; "
        "the localtest channels point at its files."
    )


@pytest.mark.parametrize(
    "services, expected",
    [
        pytest.param({}, "%s-%s-staging-alice-complete", id="shared-bouncer"),
        pytest.param({"bouncer_admin": "https://admin.slot1.example/api", "dedicated": ["bouncer"]}, "%s-%s-complete", id="dedicated"),
    ],
)
def test_the_complete_mar_bouncer_product_carries_the_namespace_on_a_shared_bouncer(production, try_config, stage, services, expected):
    task = production.balrog_submit_toplevel()
    task["task"]["payload"].update(complete_mar_filename_pattern="%s-%s.complete.mar", complete_mar_bouncer_product_pattern="%s-%s-complete")
    result = stage(try_config(services=services), task)
    payload = result["task"]["payload"]
    assert payload["complete_mar_bouncer_product_pattern"] == expected
    # What balrogscript makes of it is the product this release's Bouncer submission creates.
    from taskgraph_staging.model import naming
    from taskgraph_staging.model.parameters import staging_release

    config = try_config(services=services)
    rel = staging_release(config.params, config.graph_config)
    made = expected % ("firefox", "121.0b3")
    assert made.lower() == naming.bouncer_product(rel, "Firefox-121.0b3-Complete").lower()


def test_a_complete_mar_bouncer_product_pattern_without_product_and_version_first_is_refused(production, try_config, stage):
    from taskgraph_staging.model.errors import StagingError

    task = production.balrog_submit_toplevel()
    task["task"]["payload"].update(complete_mar_filename_pattern="%s-%s.complete.mar", complete_mar_bouncer_product_pattern="complete-%s-%s")
    with pytest.raises(StagingError, match=r"release-balrog-submit-toplevel-firefox: complete_mar_bouncer_product_pattern 'complete-%s-%s' does not start with '%s-%s'"):
        stage(try_config(), task)


def test_partial_versions_follow_the_production_partial_updates_without_staging_partials(production, try_config, stage):
    config = try_config(release_type="beta", partial_updates={"120.0b9": {"buildNumber": 1}, "120.0b8": {"buildNumber": 3}})
    result = stage(config, production.balrog_submit_toplevel())
    assert result["task"]["payload"]["partial_versions"] == "120.0b8build3, 120.0b9build1"


def test_submit_toplevel_on_other_services_and_a_dedicated_archive(production, try_config, stage):
    services = {
        "bouncer_redirector": "https://bouncer.slot7.example.net",
        "archive_domain": "archive.slot7.example.net",
        "archive_bucket": "staging-slot-7-archive",
        "dedicated": ["archive"],
        "pools": {"beetmover": "scriptworker-k8s/beetmover-slot7", "balrog": "scriptworker-k8s/balrog-slot7"},
    }
    result = stage(try_config(namespace="bob", services=services, version="121.0", behavior="release-rc"), production.balrog_submit_toplevel(version="121.0", channel="release", server="release"))
    payload = result["task"]["payload"]
    assert (payload["archive_domain"], payload["download_domain"]) == ("archive.slot7.example.net", "bouncer.slot7.example.net")
    assert payload["channel_names"] == ["bob-release", "bob-release-localtest", "bob-release-cdntest"]
    assert result["task"]["workerType"] == "balrog-slot7"
    assert f"{PREFIX}:balrog:server:dep" in result["task"]["scopes"]


def test_submit_locale_submits_to_the_namespaced_blob(production, try_config, stage):
    task = production.balrog_submit_locale()
    result = stage(try_config(namespace="carol"), task)
    assert result["task"]["payload"] == dict(task["task"]["payload"], suffixes=["-staging-carol"])
    assert result["task"]["scopes"] == [f"{PREFIX}:balrog:action:submit-locale", f"{PREFIX}:balrog:server:dep"]


def test_submit_locale_keeps_extra_production_suffixes_after_the_namespace(production, try_config, stage):
    task = production.balrog_submit_locale()
    task["task"]["payload"]["suffixes"] = ["", "-No-WNP"]
    result = stage(try_config(), task)
    assert result["task"]["payload"]["suffixes"] == ["-staging-alice", "-staging-alice-No-WNP"]


def test_schedule_publishes_the_namespaced_rule_id(production, try_config, stage):
    services = {"rule_ids": {"alice-firefox-beta": 4101, "alice-firefox-release": 4102}}
    result = stage(try_config(services=services), production.balrog_schedule())
    assert result["task"]["payload"] == {
        "blob_suffix": "-staging-alice",
        "build_number": 1,
        "product": "firefox",
        "publish_rules": [4101],
        "release_eta": "",
        "version": "121.0b3",
    }
    assert result["task"]["extra"]["staging"]["balrog-publish-rules"] == {"rule_alias": "alice-firefox-beta", "rule_ids": [4101]}
    assert result["task"]["metadata"]["description"] == "release-balrog-scheduling-firefox (production form)"


@pytest.mark.parametrize(
    "version, behavior, alias",
    [
        pytest.param("121.0", "release-rc", "alice-firefox-release", id="rc-ships-to-release"),
        pytest.param("115.5.0esr", None, "alice-esr115", id="esr"),
    ],
)
def test_schedule_rule_alias_follows_the_behaviour(production, try_config, stage, version, behavior, alias):
    services = {"rule_ids": {alias: 77}}
    result = stage(try_config(version=version, behavior=behavior, services=services), production.balrog_schedule(version=version, server="release"))
    assert result["task"]["payload"]["publish_rules"] == [77]


@pytest.mark.parametrize(
    "pins, alias",
    [
        pytest.param(["beta"], "alice-firefox-beta", id="secondary-pins-beta"),
        pytest.param(["release"], "alice-firefox-release", id="primary-pins-release"),
    ],
)
def test_an_rc_schedule_pinning_beta_publishes_the_beta_rule(production, try_config, stage, pins, alias):
    """release-secondary-balrog-scheduling: the RC goes to beta users on the beta rule."""
    task = production.balrog_schedule(version="121.0", server="release")
    task["task"]["payload"]["pin_channels"] = pins
    services = {"rule_ids": {"alice-firefox-beta": 4101, "alice-firefox-release": 4102}}
    result = stage(try_config(version="121.0", behavior="release-rc", services=services), task)
    assert result["task"]["extra"]["staging"]["balrog-publish-rules"]["rule_alias"] == alias
    assert result["task"]["payload"]["pin_channels"] == [f"alice-{pins[0]}"]


def test_a_toplevel_without_mirrors_says_the_beta_channels_get_the_default_file_urls(production, try_config, stage):
    task = production.balrog_submit_toplevel(version="121.0", server="release")
    task["task"]["payload"]["require_mirrors"] = False
    result = stage(try_config(version="121.0", behavior="release-rc"), task)
    assert result["task"]["payload"]["channel_names"] == ["alice-beta", "alice-beta-localtest", "alice-beta-cdntest"]
    assert (
        "require_mirrors is false: production's beta, beta-cdntest fileUrls name the build-numbered Bouncer products "
        "(<product>-<version>build<N>-complete), which balrogscript chooses by those channel names; the namespace's "
        "alice-beta, alice-beta-cdntest are other names"
    ) in result["task"]["metadata"]["description"]


def test_schedule_without_a_staging_rule_id_publishes_nothing_and_says_why(production, try_config, stage):
    result = stage(try_config(namespace="dave"), production.balrog_schedule())
    assert result["task"]["payload"]["publish_rules"] == []
    assert result["task"]["metadata"]["description"] == (
        "release-balrog-scheduling-firefox (production form)\n\n"
        "Staging: no staging Balrog rule id is known for rule alias dave-firefox-beta (namespace dave) on "
        "https://admin.stage.balrog.nonprod.webservices.mozgcp.net/api, so this schedule publishes no rule: it only "
        "checks the release blob and scheduling rights. Give staging.services.rule_ids {dave-firefox-beta: <id>} "
        "(a library slot does) to schedule the release on its rule."
    )


def test_reference_try_graph_balrog_is_namespaced(try_graph, tasks_of):
    from taskgraph_staging.model.parameters import partials

    config, full = try_graph
    namespace = config.params["staging"]["namespace"]
    balrog = tasks_of(full, "balrog")
    assert balrog
    toplevel = 0
    for task in balrog:
        payload = task.task["payload"]
        servers = [s for s in task.task["scopes"] if s.startswith(f"{PREFIX}:balrog:server:")]
        assert servers == [f"{PREFIX}:balrog:server:dep"], task.label
        suffixes = payload.get("suffixes", []) + [payload.get("blob_suffix", "")]
        assert all(s.startswith(f"-staging-{namespace}") for s in suffixes if s or "product" in payload), task.label
        for name in payload.get("channel_names", []) + payload.get("rules_to_update", []) + payload.get("pin_channels", []):
            assert name.startswith(f"{namespace}-"), (task.label, name)
        if "channel_names" in payload:
            toplevel += 1
            assert payload["archive_domain"] == f"ftp.stage.mozaws.net/staging/{namespace}"
            assert payload["download_domain"] == "dev.bouncer.nonprod.webservices.mozgcp.net"
            assert payload["partial_versions"] == ", ".join(f"{p.version}build{p.build_number}" for p in partials(config.params, config.graph_config))
    assert toplevel


def test_update_line_and_pin_channels_are_the_namespace_s(production, try_config, stage):
    """The what's-new pages' channels and the pinned channels are namespaced as the
    blob's channels are; an item without channels (every channel) stays so."""
    task = production.balrog_submit_toplevel()
    whats_new = {"fields": {"actions": "showURL", "openURL": "https://www.firefox.com/%LOCALE%/whatsnew/121.0beta/"},
                 "for": {"channels": ["beta", "beta-localtest", "beta-cdntest"], "versions": ["<121.0"]}}
    details = {"fields": {"detailsURL": "https://www.mozilla.org/%LOCALE%/firefox/121.0/releasenotes/", "type": "minor"}, "for": {}}
    task["task"]["payload"].update(update_line={"": [details, whats_new], "-No-WNP": [details]},
                                   pin_channels=["beta-localtest", "beta-cdntest"])
    payload = stage(try_config(), task)["task"]["payload"]
    assert payload["pin_channels"] == ["alice-beta-localtest", "alice-beta-cdntest"]
    assert payload["update_line"][""][1]["for"] == {
        "channels": ["alice-beta", "alice-beta-localtest", "alice-beta-cdntest"], "versions": ["<121.0"]}
    assert payload["update_line"][""][0] == details
    assert payload["update_line"]["-No-WNP"] == [details]
