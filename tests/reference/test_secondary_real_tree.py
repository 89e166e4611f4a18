"""An RC's secondary (beta channel) tasks and an ESR's -next update verify hold the fields
Firefox's tree gives them (issue 15).

Read in mozilla/gecko-dev: taskcluster/kinds/release-secondary-update-verify-config and
release-secondary-update-verify at 2ddd2f9af606, release-secondary-balrog-submit-toplevel
at 653b49dce14c, release-secondary-flatpak-push at 465cd9967771,
release-update-verify-config-next at 0e6e436d3177 and release-update-verify-next at
6322610bf822, with gecko_taskgraph/transforms/update_verify_config.py at 23d1b2b83a22;
release-secondary-final-verify and release-secondary-balrog-scheduling as read in
yoncola1/Plezix at 1c2797b1b2eb (a mirror of mozilla-firefox/firefox).
"""

import re

import pytest

from taskgraph_staging.staging.transforms.shell_args import find_call

PLATFORMS = {"linux64": "linux-x86_64", "linux64-aarch64": "linux-aarch64", "macosx64": "mac", "win64": "win64",
             "win32": "win32"}
#: The -next kinds' platforms: the real tree has no linux64-aarch64 task (no earlier ESR was built for it).
NEXT_PLATFORMS = {p: a for p, a in PLATFORMS.items() if p != "linux64-aarch64"}
RC = dict(version="121.0", app_version="121.0", build_number=1, release_type="release-rc", release_product="firefox")
ESR = dict(version="115.5.0esr", app_version="115.5.0", build_number=1, release_type="esr115", release_product="firefox")


@pytest.fixture(scope="module")
def rc(graph):
    return graph(production=True, **RC)


@pytest.fixture(scope="module")
def esr(graph):
    return graph(production=True, **ESR)


def of_kind(g, kind):
    return {label: task for label, task in g.tasks.items() if task.kind == kind}


def creator(task):
    return find_call(task.task, "update-verify-config-creator.py")[2]


def chunk_of(task):
    total, chunk = re.search(r"chunked-verify\.sh --total-chunks=(\d+) --this-chunk=(\d+)$",
                             task.task["payload"]["command"][-1]).groups()
    return int(chunk), int(total)


def checked_config(task, channel, symbol):
    """The creator's arguments of an update verify config task, after the fields every
    config kind shares: its channel for the chunks, the promote phase, an hour, its symbol."""
    assert task.task["extra"]["channel"] == channel
    assert task.attributes["shipping_phase"] == "promote"
    assert task.task["payload"]["maxRunTime"] == 3600
    assert task.task["extra"]["treeherder"]["symbol"] == symbol
    return creator(task)


def checked_chunks(g, kind, config_kind, toplevel, channel):
    """Every ``(task, chunk, total)`` of an update verify chunk kind, after the fields every
    chunk kind shares: its platform's config task, the top-level submission, the config's
    channel, 2 hours, a retry on 255."""
    configs = of_kind(g, config_kind)
    for task in of_kind(g, kind).values():
        config = configs[task.dependencies["release-update-verify-config"]]
        assert config.attributes["build_platform"] == task.attributes["build_platform"]
        assert task.dependencies[toplevel] == f"{toplevel}-firefox"
        assert task.task["payload"]["env"]["CHANNEL"] == config.task["extra"]["channel"] == channel
        assert task.task["payload"]["maxRunTime"] == 7200
        assert 255 in task.task["payload"]["onExitStatus"]["retry"]
        yield (task, *chunk_of(task))


def test_secondary_config_tests_beta_from_the_previous_betas(rc):
    configs = of_kind(rc, "release-secondary-update-verify-config")
    assert {t.attributes["build_platform"] for t in configs.values()} == set(PLATFORMS)
    for task in configs.values():
        platform = task.attributes["build_platform"]
        call = checked_config(task, "beta-localtest", "UVCS")
        assert {name: call.values(name) for name in (
            "product", "stage-product", "platform", "to-version", "channel", "include-version",
            "mar-channel-id-override", "last-watershed", "updater-platform", "aus-server", "archive-prefix",
        )} == {
            "product": ["firefox"], "stage-product": ["firefox"], "platform": [PLATFORMS[platform]],
            "to-version": ["121.0"], "channel": ["beta-localtest"], "include-version": [r"^(\d+\.\d+(b\d+)?)$"],
            "mar-channel-id-override": [r"^\d+\.\d+(\.\d+)?$,firefox-mozilla-beta,firefox-mozilla-release"],
            "last-watershed": ["136.0" if platform == "linux64-aarch64" else "72.0.2"],
            "updater-platform": ["linux-x86_64"], "aus-server": ["https://aus5.mozilla.org"],
            "archive-prefix": ["https://archive.mozilla.org/pub"],
        }
        assert call.values("previous-archive-prefix") == call.values("override-certs") == []


def test_secondary_chunks_on_beta(rc):
    totals = {}
    for task, chunk, total in checked_chunks(rc, "release-secondary-update-verify", "release-secondary-update-verify-config",
                                             "release-secondary-balrog-submit-toplevel", "beta-localtest"):
        totals.setdefault(task.attributes["build_platform"], set()).add((chunk, total))
        treeherder = task.task["extra"]["treeherder"]
        assert (treeherder["groupSymbol"], treeherder["symbol"]) == ("UV", f"UVS{chunk}")  # UV(UVS), as add_suffix
    assert totals == {p: {(n, 30 if p == "macosx64" else 16) for n in range(1, (30 if p == "macosx64" else 16) + 1)}
                      for p in PLATFORMS}


def test_secondary_final_verify_reads_every_secondary_config_in_promote(rc):
    (task,) = of_kind(rc, "release-secondary-final-verify").values()
    assert task.attributes["shipping_phase"] == "promote"
    script, *urls = task.task["payload"]["command"][-1]["artifact-reference"].split(" ")
    assert script == "tools/update-verify/release/final-verification.sh"
    refs = {task.dependencies[re.fullmatch(r"<([^>/]+)/public/build/update-verify\.cfg>", u).group(1)] for u in urls}
    assert refs == set(of_kind(rc, "release-secondary-update-verify-config"))
    assert task.dependencies["release-secondary-balrog-submit-toplevel"] == "release-secondary-balrog-submit-toplevel-firefox"
    assert task.task["payload"]["onExitStatus"]["retry"][0] == 1
    assert task.task["payload"]["maxRunTime"] == 7200
    assert task.task["extra"]["treeherder"]["symbol"] == "FVS"


def test_secondary_toplevel_adds_the_beta_channels_without_mirrors(rc):
    task = rc.tasks["release-secondary-balrog-submit-toplevel-firefox"]
    payload = dict(task.task["payload"])
    payload.pop("update_line")
    assert set(payload.pop("platforms")) == set(PLATFORMS)
    assert payload == {
        "behavior": "v2-submit-toplevel", "product": "firefox", "version": "121.0", "build_number": 1,
        "app_version": "121.0", "archive_domain": "archive.mozilla.org", "download_domain": "download.mozilla.org",
        "channel_names": ["beta", "beta-localtest", "beta-cdntest"],
        "rules_to_update": ["firefox-beta-cdntest", "firefox-beta-localtest"],
        "pin_channels": ["beta-localtest", "beta-cdntest"],
        "require_mirrors": False, "partial_versions": "",
        "complete_mar_filename_pattern": "%s-%s.complete.mar", "complete_mar_bouncer_product_pattern": "%s-%s-complete",
    }
    assert task.task["scopes"] == ["project:releng:balrog:server:release"]
    assert task.dependencies == {}
    assert task.attributes["shipping_phase"] == "promote"
    assert task.task["extra"]["treeherder"]["symbol"] == "BPFxRC"


def test_secondary_scheduling_publishes_beta_now(rc):
    task = rc.tasks["release-secondary-balrog-scheduling-firefox"]
    assert task.task["payload"] == {
        "behavior": "schedule", "product": "firefox", "version": "121.0", "build_number": 1,
        "publish_rules": [32], "pin_channels": ["beta"], "release_eta": "",
    }
    assert task.task["scopes"] == ["project:releng:balrog:server:release"]
    assert task.attributes["shipping_phase"] == "ship"
    assert task.dependencies["release-secondary-balrog-submit-toplevel"] == "release-secondary-balrog-submit-toplevel-firefox"
    assert task.task["extra"]["treeherder"]["symbol"] == "BSFxRC"


def test_secondary_scheduling_is_now_whatever_the_release_eta(graph):
    g = graph(production=True, **dict(RC, release_eta="2026-12-10T12:00:00+00:00"))
    assert g.tasks["release-secondary-balrog-scheduling-firefox"].task["payload"]["release_eta"] == ""
    assert g.tasks["release-balrog-scheduling-firefox"].task["payload"]["release_eta"] == "2026-12-10T12:00:00+00:00"


def test_secondary_flatpak_push_goes_to_beta_for_an_rc_only(rc, production_graph):
    pushes = of_kind(rc, "release-secondary-flatpak-push")
    assert {t.attributes["build_platform"] for t in pushes.values()} == {"linux64", "linux64-aarch64"}
    for task in pushes.values():
        assert task.task["payload"]["channel"] == "beta"
        assert task.attributes["shipping_phase"] == "ship"
        assert task.task["extra"]["treeherder"]["symbol"] == "push-beta"
        assert task.dependencies["repackage-flatpak"].startswith("repackage-flatpak-")
    assert of_kind(production_graph, "release-secondary-flatpak-push") == {}


def test_next_config_tests_the_previous_esrs_on_esr_next(esr):
    configs = of_kind(esr, "release-update-verify-config-next")
    assert {t.attributes["build_platform"] for t in configs.values()} == set(NEXT_PLATFORMS)
    for task in configs.values():
        call = checked_config(task, "esr-localtest-next", "UVCnext")
        assert {name: call.values(name) for name in (
            "platform", "to-version", "channel", "include-version", "mar-channel-id-override", "last-watershed",
            "updater-platform", "aus-server",
        )} == {
            "platform": [NEXT_PLATFORMS[task.attributes["build_platform"]]], "to-version": ["115.5.0esr"],
            "channel": ["esr-localtest-next"], "include-version": [r"^(52|60|68|78|91|102)+\.\d+(\.\d+)?esr$"],
            "mar-channel-id-override": [], "last-watershed": ["68.0esr"], "updater-platform": ["linux-x86_64"],
            "aus-server": ["https://aus5.mozilla.org"],
        }


def test_next_chunks_on_esr_next(esr):
    by_platform = {}
    for task, chunk, total in checked_chunks(esr, "release-update-verify-next", "release-update-verify-config-next",
                                             "release-balrog-submit-toplevel", "esr-localtest-next"):
        assert total == 12 and task.task["extra"]["treeherder"]["groupSymbol"] == "UVnext"
        by_platform.setdefault(task.attributes["build_platform"], set()).add(chunk)
    assert by_platform == {p: set(range(1, 13)) for p in NEXT_PLATFORMS}


def test_secondary_kinds_are_the_rcs_only(esr, production_graph):
    for g in (esr, production_graph):
        assert not [t for t in g.tasks.values() if "secondary" in t.kind]


def test_next_kinds_are_the_esrs_only(rc, production_graph):
    for g in (rc, production_graph):
        assert not [t for t in g.tasks.values() if t.kind.endswith("-next")]
