"""The reference update verify tasks hold the fields Firefox's tree gives them (issue 15).

Read in mozilla/gecko-dev: taskcluster/kinds/release-update-verify-config and
release-update-verify at 2ddd2f9af606, gecko_taskgraph/transforms/update_verify_config.py
at 23d1b2b83a22 and update_verify.py at 5c5206859035; release-final-verify's kind and
transform as read in overholt/firefox at 7260b458c74d.
"""

import json
import re

import pytest

from taskgraph_staging.staging.transforms.shell_args import find_call

CREATOR = "./mach python testing/mozharness/scripts/release/update-verify-config-creator.py"
ARCHIVE_PLATFORMS = {"linux64": "linux-x86_64", "linux64-aarch64": "linux-aarch64", "macosx64": "mac",
                     "win64": "win64", "win32": "win32"}


def of_kind(graph, kind, product="firefox"):
    return {label: task for label, task in graph.tasks.items()
            if task.kind == kind and task.attributes.get("shipping_product") == product}


def bash(task):
    command = task.task["payload"]["command"]
    assert command[:1] == ["/usr/local/bin/run-task"] and command[-3:-1] == ["bash", "-cx"]
    return command[-1]


@pytest.fixture(scope="module")
def configs(production_graph):
    return of_kind(production_graph, "release-update-verify-config")


def test_config_runs_the_creator_through_mach_with_the_real_arguments(configs):
    assert {t.attributes["build_platform"] for t in configs.values()} == set(ARCHIVE_PLATFORMS)
    for task in configs.values():
        text = bash(task)
        assert text.startswith(CREATOR + " ")
        call = find_call(task.task, "update-verify-config-creator.py")[2]
        platform = task.attributes["build_platform"]
        assert {name: call.values(name) for name in (
            "product", "stage-product", "app-name", "branch-prefix", "platform", "to-version", "to-app-version",
            "to-build-number", "to-buildid", "to-revision", "repo-path", "partial-version", "include-version",
            "mar-channel-id-override", "updater-platform", "last-watershed", "channel", "aus-server", "archive-prefix",
            "output-file",
        )} == {
            "product": ["firefox"], "stage-product": ["firefox"], "app-name": ["browser"], "branch-prefix": ["mozilla"],
            "platform": [ARCHIVE_PLATFORMS[platform]], "to-version": ["121.0b3"], "to-app-version": ["121.0"],
            "to-build-number": ["1"], "to-buildid": ["20251201000000"], "to-revision": ["0" * 40],
            "repo-path": ["mozilla-releng/staging-reference"],
            "partial-version": ["120.0b8", "120.0b9"],  # one per partial, the version alone
            "include-version": [r"^(\d+\.\d+(b\d+)?)$"],
            "mar-channel-id-override": [r"^\d+\.\d+(\.\d+)?$,firefox-mozilla-beta,firefox-mozilla-release"],
            "updater-platform": ["linux-x86_64"],
            "last-watershed": ["136.0b6" if platform == "linux64-aarch64" else "72.0"],
            "channel": ["beta-localtest"], "aus-server": ["https://aus5.mozilla.org"],
            "archive-prefix": ["https://archive.mozilla.org/pub"], "output-file": ["update-verify.cfg"],
        }
        # The staging-only arguments are absent in production (the real tree resolves them to null).
        assert call.values("previous-archive-prefix") == call.values("override-certs") == []
        assert task.task["extra"]["channel"] == "beta-localtest"
        assert set(task.task["payload"]["artifacts"]) == {"public/build/update-verify.cfg"}
        assert task.attributes["shipping_phase"] == "promote"
        assert task.task["payload"]["maxRunTime"] == 3600


def test_chunks_fetch_the_cfg_take_the_channel_and_retry_on_255(production_graph, configs):
    chunks = of_kind(production_graph, "release-update-verify")
    by_platform = {}
    for label, task in chunks.items():
        by_platform.setdefault(task.attributes["build_platform"], []).append(task)
        config = task.dependencies["release-update-verify-config"]
        assert configs[config].attributes["build_platform"] == task.attributes["build_platform"]
        assert "release-balrog-submit-toplevel" in task.dependencies
        env = task.task["payload"]["env"]
        assert env["CHANNEL"] == configs[config].task["extra"]["channel"]
        assert json.loads(env["MOZ_FETCHES"]["task-reference"]) == [
            {"artifact": "public/build/update-verify.cfg", "extract": True, "task": "<release-update-verify-config>"}]
        total, chunk = re.search(r"chunked-verify\.sh --total-chunks=(\d+) --this-chunk=(\d+)$", bash(task)).groups()
        assert label.endswith(f"-{chunk}/{total}")
        assert set(task.task["payload"]["artifacts"]) == {"public/build/diff-summary.log"}
        assert 255 in task.task["payload"]["onExitStatus"]["retry"]
    counts = {platform: sorted(t.attributes["update_verify_chunk"] for t in tasks) for platform, tasks in by_platform.items()}
    assert counts == {p: list(range(1, (30 if p == "macosx64" else 16) + 1)) for p in ARCHIVE_PLATFORMS}


def test_final_verify_is_one_task_per_product_on_the_cfg_urls(production_graph, configs):
    (task,) = of_kind(production_graph, "release-final-verify").values()
    assert task.attributes["shipping_phase"] == "push"
    assert task.dependencies["bouncer-check"] == "release-bouncer-check-firefox"
    command = task.task["payload"]["command"][-1]["artifact-reference"]
    script, *urls = command.split(" ")
    assert script == "tools/update-verify/release/final-verification.sh"
    assert {task.dependencies[re.fullmatch(r"<([^>/]+)/public/build/update-verify\.cfg>", u).group(1)] for u in urls} == set(configs)


def test_devedition_config_is_the_real_trees(production_graph):
    """Devedition's update verify config as the real tree's devedition-<platform> tasks give it:
    product firefox (its files), stage product devedition (its directory), channel
    aurora-localtest, no MAR channel override."""
    deved = of_kind(production_graph, "release-update-verify-config", product="devedition")
    assert {t.attributes["build_platform"] for t in deved.values()} == set(ARCHIVE_PLATFORMS)
    for task in deved.values():
        call = find_call(task.task, "update-verify-config-creator.py")[2]
        assert {name: call.values(name) for name in ("product", "stage-product", "channel", "mar-channel-id-override")} == {
            "product": ["firefox"], "stage-product": ["devedition"], "channel": ["aurora-localtest"],
            "mar-channel-id-override": [],
        }
        assert task.task["extra"]["channel"] == "aurora-localtest"
    (final,) = of_kind(production_graph, "release-final-verify", product="devedition").values()
    assert final.dependencies["bouncer-check"] == "release-bouncer-check-devedition"
