"""The reference Balrog submit-toplevel and scheduling tasks hold the fields Firefox's tree
gives them (issue 15).

Read in SAP/project-foxhound at 8770be4151c7 (a mirror of mozilla-firefox/firefox):
taskcluster/kinds/release-balrog-submit-toplevel and release-balrog-scheduling; the
payload as gecko_taskgraph's ``build_balrog_payload`` writes it and the update line as
``transforms/balrog_toplevel.py`` with mozrelease's ``generate_update_properties``
(mozilla/gecko-dev at 5d2a67f0149d) make it from browser/config/whats_new_page.yml.
"""

import pytest

#: The real kind's platforms; the reference product builds all but win64-aarch64.
REAL_PLATFORMS = {"linux64", "linux64-aarch64", "macosx64", "win32", "win64", "win64-aarch64"}
RELEASE_NOTES = {"detailsURL": "https://www.mozilla.org/%LOCALE%/firefox/121.0/releasenotes/", "type": "minor"}


@pytest.fixture(scope="module")
def toplevel(production_graph):
    return production_graph.tasks["release-balrog-submit-toplevel-firefox"]


@pytest.fixture(scope="module")
def scheduling(production_graph):
    return production_graph.tasks["release-balrog-scheduling-firefox"]


def test_toplevel_payload_has_the_real_fields(toplevel):
    payload = dict(toplevel.task["payload"])
    update_line = payload.pop("update_line")
    assert set(payload.pop("platforms")) == REAL_PLATFORMS - {"win64-aarch64"}
    assert payload == {
        "behavior": "v2-submit-toplevel",
        "product": "firefox",
        "version": "121.0b3",
        "build_number": 1,
        "app_version": "121.0",
        "archive_domain": "archive.mozilla.org",
        "download_domain": "download.mozilla.org",
        "channel_names": ["beta", "beta-localtest", "beta-cdntest"],
        "rules_to_update": ["firefox-beta-cdntest", "firefox-beta-localtest"],
        "pin_channels": ["beta-localtest", "beta-cdntest"],
        "require_mirrors": True,
        "partial_versions": "120.0b8build2, 120.0b9build1",
        # The real kind leaves these to balrogscript's defaults, the same values; written
        # here so the Try form can put the namespace in the complete MAR's Bouncer product.
        "complete_mar_filename_pattern": "%s-%s.complete.mar",
        "complete_mar_bouncer_product_pattern": "%s-%s-complete",
    }
    assert toplevel.task["scopes"] == ["project:releng:balrog:server:beta"]
    assert toplevel.dependencies == {}  # as the real kind: no kind-dependencies
    assert toplevel.task["extra"]["treeherder"]["symbol"] == "BPFx"
    # One blob with what's-new pages (""), one without (-No-WNP), as balrogscript makes them.
    assert sorted(update_line) == ["", "-No-WNP"]
    assert update_line["-No-WNP"] == [{"fields": RELEASE_NOTES, "for": {}}]
    details, beta, aurora = update_line[""]
    assert details == {"fields": RELEASE_NOTES, "for": {}}
    assert beta["fields"] == {
        "actions": "showURL",
        "openURL": "https://www.firefox.com/%LOCALE%/whatsnew/121.0beta/?oldversion=%OLD_VERSION%"
                   "&utm_medium=firefox-desktop&utm_source=update&utm_campaign=121.0beta",
    }
    assert beta["for"]["channels"] == ["beta", "beta-localtest", "beta-cdntest"]
    assert beta["for"]["versions"] == ["<121.0"]
    assert "en-US" in beta["for"]["locales"]
    assert aurora["for"]["channels"] == ["aurora", "aurora-localtest", "aurora-cdntest"]


def test_scheduling_payload_has_the_real_fields(scheduling):
    # 121.0b3: the real tree's background rate is keyed by beta number ('1': 50, '2': 100,
    # default null) and the fallback mapping forced on b1 only, so neither is in the payload.
    assert scheduling.task["payload"] == {
        "behavior": "schedule",
        "product": "firefox",
        "version": "121.0b3",
        "build_number": 1,
        "publish_rules": [32],
        "pin_channels": ["beta"],
        "release_eta": "",
    }
    assert scheduling.task["scopes"] == ["project:releng:balrog:server:beta"]
    assert scheduling.task["extra"]["treeherder"]["symbol"] == "BSFx"


def test_scheduling_waits_for_bouncer_check(scheduling):
    """The real tree's kind-dependencies: release-bouncer-check and release-push-langpacks
    (the AMO push, every langpack of the product). The top-level submission is explicit
    here: balrogscript pins the release's blob, which must exist (production reaches it by
    the phases' order)."""
    pushes = {name: label for name, label in scheduling.dependencies.items() if name.startswith("release-push-langpacks-")}
    assert pushes and all(label.startswith("release-push-langpacks-firefox-") for label in pushes.values())
    assert {k: v for k, v in scheduling.dependencies.items() if k not in pushes} == {
        "release-bouncer-check": "release-bouncer-check-firefox",
        "release-balrog-submit-toplevel": "release-balrog-submit-toplevel-firefox",
    }


@pytest.mark.parametrize("version,rate,forced", [
    pytest.param("121.0b1", 50, True, id="b1"),
    pytest.param("121.0b2", 100, None, id="b2"),
])
def test_scheduling_rate_by_beta_number(graph, production_params, version, rate, forced):
    g = graph(production=True, **dict(production_params, version=version))
    payload = g.tasks["release-balrog-scheduling-firefox"].task["payload"]
    assert payload.get("background_rate") == rate
    assert payload.get("force_fallback_mapping_update") == forced


def test_devedition_tasks_have_the_real_fields(production_graph):
    toplevel = production_graph.tasks["release-balrog-submit-toplevel-devedition"].task["payload"]
    assert (toplevel["product"], toplevel["channel_names"], toplevel["rules_to_update"], toplevel["pin_channels"]) == (
        "devedition", ["aurora", "aurora-localtest", "aurora-cdntest"], ["devedition-cdntest", "devedition-localtest"],
        ["aurora-localtest", "aurora-cdntest"])
    # Devedition's what's-new pages are Firefox's (the real transform's product swap).
    assert [item["for"].get("channels") for item in toplevel["update_line"][""]] == [
        None, ["beta", "beta-localtest", "beta-cdntest"], ["aurora", "aurora-localtest", "aurora-cdntest"]]
    scheduling = production_graph.tasks["release-balrog-scheduling-devedition"]
    assert scheduling.task["payload"] == {
        "behavior": "schedule", "product": "devedition", "version": "121.0b3", "build_number": 1,
        "publish_rules": [10], "pin_channels": ["aurora"], "force_fallback_mapping_update": True, "release_eta": "",
    }
    assert scheduling.dependencies["release-bouncer-check"] == "release-bouncer-check-devedition"
