import pytest

from taskgraph_staging.staging.transforms.registry import REWRITERS
from taskgraph_staging.staging.transforms.treescript import GITHUB_PATH

PREFIX = "project:releng"
HEAD = "a" * 40
TRY = "https://hg.mozilla.org/try"


def test_tagging_is_a_dry_run_on_the_try_head(production, try_config, stage):
    task = production.treescript_tagging()
    result = stage(try_config(), task)
    assert result["task"]["scopes"] == [f"{PREFIX}:treescript:action:tagging"]
    assert result["task"]["payload"] == {
        "actions": ["tag"],
        "tag_info": {"tags": ["FIREFOX_121_0b3_BUILD1_STAGING_ALICE", "FIREFOX_121_0b3_RELEASE_STAGING_ALICE"], "revision": HEAD},
        "source_repo": TRY,
        "dontbuild": True,
        "dry_run": True,
    }
    assert result["task"]["extra"] == {
        "staging": {
            "outgoing": {
                "artifact": "public/logs/outgoing.diff",
                "source_repo": TRY,
                "revision": HEAD,
                "tags": {
                    "FIREFOX_121_0b3_BUILD1": "FIREFOX_121_0b3_BUILD1_STAGING_ALICE",
                    "FIREFOX_121_0b3_RELEASE": "FIREFOX_121_0b3_RELEASE_STAGING_ALICE",
                },
                "pushed": False,
            },
            "treescript": REWRITERS["treescript"].summary,
            "namespace": "alice",
        }
    }
    assert result["task"]["metadata"]["description"] == (
        "release-early-tagging-firefox (production form)\n\n"
        f"Staging: dry run against the Try push {TRY} at {HEAD}; nothing is pushed. What production would have "
        "pushed (tags FIREFOX_121_0b3_BUILD1, FIREFOX_121_0b3_RELEASE (here FIREFOX_121_0b3_BUILD1_STAGING_ALICE, "
        "FIREFOX_121_0b3_RELEASE_STAGING_ALICE)) is in artifact public/logs/outgoing.diff."
    )


@pytest.mark.parametrize("namespace, suffix", [("alice", "ALICE"), ("bob-2", "BOB_2")])
def test_tags_carry_the_namespace(production, try_config, stage, namespace, suffix):
    result = stage(try_config(namespace=namespace, version="115.5.0esr"), production.treescript_tagging(version="115.5.0esr"))
    assert result["task"]["payload"]["tag_info"]["tags"] == [f"FIREFOX_115_5_0esr_BUILD1_STAGING_{suffix}", f"FIREFOX_115_5_0esr_RELEASE_STAGING_{suffix}"]


def test_version_bump_drops_push_and_points_at_the_diff(production, try_config, stage):
    task = production.treescript_version_bump()
    result = stage(try_config(head_repository="https://hg.mozilla.org/try-comm-central", head_rev="c" * 40), task)
    assert result["task"]["scopes"] == [f"{PREFIX}:treescript:action:version_bump"]
    assert result["task"]["payload"] == {
        "actions": ["version_bump"],
        "version_bump_info": {"next_version": "121.0b4", "files": ["browser/config/version_display.txt"]},
        "source_repo": "https://hg.mozilla.org/try-comm-central",
        "dontbuild": True,
        "dry_run": True,
    }
    assert result["task"]["metadata"]["description"].endswith(
        "What production would have pushed (a bump to 121.0b4 of browser/config/version_display.txt) is in artifact public/logs/outgoing.diff."
    )


def test_reference_try_graph_tags_and_bumps_land_on_a_staging_lando_repo_from_the_try_head(try_graph, tasks_of):
    """The reference tags and bumps through landoscript, as the real tree: on Try, on Lando's
    staging repository, with namespaced tags on the Try revision (treescript is the comm host's)."""
    config, full = try_graph
    suffix = "_STAGING_" + config.params["staging"]["namespace"].upper().replace("-", "_")
    assert not tasks_of(full, "treescript")
    tree = tasks_of(full, "lando")
    assert [t for t in tree if "tag_info" in t.task["payload"]], "the graph tags: the tag checks below run"
    for task in tree:
        payload, scopes = task.task["payload"], task.task["scopes"]
        assert payload["lando_repo"].startswith("staging-firefox-"), task.label
        assert f"{PREFIX}:lando:repo:{payload['lando_repo']}" in scopes
        assert payload["tag_info"]["revision"] == config.params["head_rev"]
        assert all(tag.endswith(suffix) for tag in payload["tag_info"]["tags"]), payload["tag_info"]["tags"]
        assert task.task["extra"]["staging"]["outgoing"]["landed"] is True


def test_on_a_git_head_the_page_says_treescript_takes_its_github_path(production, try_config, stage):
    """treescript's GitHub path (a github.com source repository) makes no tags and refuses
    Firefox's version files: the task's page says so rather than promising an outgoing diff."""
    git_head = "https://github.com/mozilla-releng/staging-reference"
    result = stage(try_config(head_repository=git_head), production.treescript_tagging())
    assert result["task"]["payload"]["source_repo"] == git_head
    assert result["task"]["metadata"]["description"].endswith("Staging: " + GITHUB_PATH)
    hg = stage(try_config(), production.treescript_tagging())
    assert GITHUB_PATH not in hg["task"]["metadata"]["description"]


@pytest.mark.parametrize("version, release_type, files", [
    pytest.param("121.0b3", "beta", ["browser/config/version_display.txt", "mobile/android/version.txt"], id="beta"),
    pytest.param("121.0", "release", ["browser/config/version.txt", "browser/config/version_display.txt", "config/milestone.txt", "mobile/android/version.txt"], id="release"),
    pytest.param("115.5.0esr", "esr115", ["browser/config/version.txt", "browser/config/version_display.txt", "config/milestone.txt"], id="esr"),
])
def test_version_bump_files_follow_the_real_tree(graph, version, release_type, files):
    """The real tree's release-version-bump (bump-files by release type) bumps desktop and
    mobile together, and on an ESR desktop only: an ESR version is no Android version."""
    full = graph(production=True, version=version, release_type=release_type)
    bumps = [t for t in full.tasks.values() if t.kind == "release-version-bump"]
    assert bumps
    for task in bumps:
        assert task.task["payload"]["version_bump_info"]["files"] == files, task.label
