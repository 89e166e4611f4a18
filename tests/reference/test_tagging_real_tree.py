"""The reference tagging and version bump tasks hold the fields Firefox's tree gives them (issue 15).

Read in mozilla/gecko-dev at 3dbbba6e054d: taskcluster/kinds/release-early-tagging and
release-version-bump (worker-type lando, implementation scriptworker-lando; lando-repo
firefox-beta / firefox-release / firefox-esrNNN by project, and on try by release type
staging-firefox-beta / staging-firefox-release / staging-firefox-esrNNN; tag buildN in the
promote phase with no upstream, tag release plus version-bump in the ship phase after
release-beetmover-push-to-release, Android's after push-bundle; bump-files by release
type) and gecko_taskgraph/transforms/task.py's build_lando_payload (payload lando_repo,
actions, tag_info {tags, revision, hg_repo_url}, version_bump_info {next_version, files};
scopes lando:repo:<repo> and lando:action:<action>).
"""

import pytest

PREFIX = "project:releng"
BETA_BUMP = ["browser/config/version_display.txt", "mobile/android/version.txt"]
RELEASE_BUMP = ["browser/config/version.txt", "browser/config/version_display.txt", "config/milestone.txt", "mobile/android/version.txt"]
ESR_BUMP = ["browser/config/version.txt", "browser/config/version_display.txt", "config/milestone.txt"]


def only(graph, label):
    task = graph.tasks[label]
    return task, task.task


def test_early_tagging_tags_buildN_on_the_release_repository_with_no_upstream(production_graph, production_params):
    for product in ("firefox", "devedition"):
        task, definition = only(production_graph, f"release-early-tagging-{product}")
        assert definition["workerType"] == "gecko-3-lando" and definition["provisionerId"] == "scriptworker-k8s"
        assert task.attributes["shipping_phase"] == "promote"
        assert task.dependencies == {}
        assert definition["payload"] == {
            "actions": ["tag"],
            "lando_repo": "firefox-beta",
            "tag_info": {
                "tags": [f"{product.upper()}_121_0b3_BUILD1"],
                "revision": production_graph.tasks[task.label].task["payload"]["tag_info"]["revision"],
                "hg_repo_url": "https://hg.mozilla.org/releases/mozilla-beta",
            },
        }
        assert definition["scopes"] == [f"{PREFIX}:lando:action:tag", f"{PREFIX}:lando:repo:firefox-beta"]


def test_version_bump_tags_release_and_bumps_after_push_to_release(production_graph):
    for product in ("firefox", "devedition"):
        task, definition = only(production_graph, f"release-version-bump-{product}")
        assert task.attributes["shipping_phase"] == "ship"
        assert set(task.dependencies) == {"release-beetmover-push-to-release"}
        assert task.dependencies["release-beetmover-push-to-release"] == f"release-beetmover-push-to-release-{product}"
        payload = definition["payload"]
        assert payload["actions"] == ["tag", "version_bump"]
        assert payload["lando_repo"] == "firefox-beta"
        assert payload["tag_info"]["tags"] == [f"{product.upper()}_121_0b3_RELEASE"]
        assert payload["version_bump_info"] == {"next_version": "121.0b4", "files": BETA_BUMP}
        assert definition["scopes"] == [f"{PREFIX}:lando:action:tag", f"{PREFIX}:lando:action:version_bump", f"{PREFIX}:lando:repo:firefox-beta"]


@pytest.mark.parametrize("version, release_type, repo, files", [
    pytest.param("121.0", "release", "firefox-release", RELEASE_BUMP, id="release"),
    # bump-files has release, esr.* and default: an RC takes the default (display version and Android).
    pytest.param("121.0", "release-rc", "firefox-release", BETA_BUMP, id="release-rc"),
    pytest.param("115.5.0esr", "esr115", "firefox-esr115", ESR_BUMP, id="esr"),
])
def test_lando_repo_and_bump_files_by_release_type(graph, version, release_type, repo, files):
    full = graph(production=True, version=version, release_type=release_type)
    bump = full.tasks["release-version-bump-firefox"].task["payload"]
    assert (bump["lando_repo"], bump["version_bump_info"]["files"]) == (repo, files)
    assert full.tasks["release-early-tagging-firefox"].task["payload"]["lando_repo"] == repo


def test_android_tags_and_bumps_on_landoscript_after_push_bundle_and_the_components(graph):
    full = graph(production=True, version="121.0b3", release_type="beta", release_product="fenix")
    task = full.tasks["release-version-bump-fenix"]
    assert task.task["workerType"] == "gecko-3-lando"
    # real: release_deps over push-bundle and post-beetmover-components-dummy (every component's maven upload)
    components = {t.label for t in full.tasks.values() if t.kind == "beetmover-components"}
    assert components and set(task.dependencies.values()) == {"push-bundle-fenix"} | components
    assert task.task["payload"]["version_bump_info"]["files"] == BETA_BUMP


@pytest.mark.parametrize("version, behavior, repo", [
    pytest.param("121.0b3", "beta", "staging-firefox-beta", id="beta"),
    pytest.param("121.0", "release-rc", "staging-firefox-release", id="release-rc"),
    pytest.param("115.5.0esr", "esr", "staging-firefox-esr115", id="esr"),
])
def test_the_try_form_is_the_real_trees_staging_repository(graph, version, behavior, repo):
    full = graph(version=version, staging={"namespace": "alice", "behavior": behavior, "partials": []})
    for label in ("release-early-tagging-firefox", "release-version-bump-firefox"):
        definition = full.tasks[label].task
        assert definition["payload"]["lando_repo"] == repo
        assert f"{PREFIX}:lando:repo:{repo}" in definition["scopes"]
        assert "dry_run" not in definition["payload"]
