import pytest

from taskgraph_staging.staging.transforms.registry import REWRITERS

PREFIX = "project:releng"
HEAD = "a" * 40


@pytest.mark.parametrize(
    "version, behavior, production_repo, staging_repo",
    [
        pytest.param("121.0b3", None, "beta", "staging-firefox-beta", id="beta"),
        pytest.param("121.0", None, "release", "staging-firefox-release", id="release"),
        pytest.param("121.0", "release-rc", "release", "staging-firefox-release", id="release-rc"),
        pytest.param("115.5.0esr", None, "esr115", "staging-firefox-esr115", id="esr"),
    ],
)
def test_tagging_on_the_staging_repo(production, try_config, stage, version, behavior, production_repo, staging_repo):
    task = production.lando_tagging(version=version, repo=production_repo)
    result = stage(try_config(version=version, behavior=behavior), task)
    tag = f"FIREFOX_{version.replace('.', '_')}_BUILD1"
    assert result["task"]["scopes"] == [f"{PREFIX}:lando:action:tag", f"{PREFIX}:lando:repo:{staging_repo}"]
    assert result["task"]["payload"] == {
        "actions": ["tag"],
        "lando_repo": staging_repo,
        "tag_info": {"tags": [f"{tag}_STAGING_ALICE"], "revision": HEAD, "hg_repo_url": "https://hg.mozilla.org/try"},
    }
    assert result["task"]["extra"] == {
        "staging": {
            "outgoing": {
                "artifact": "public/build/lando-actions.json",
                "artifacts": ["public/build/lando-actions.json", "public/build/lando-status.json"],
                "lando_repo": staging_repo,
                "production_lando_repo": production_repo,
                "revision": HEAD,
                "tags": {tag: f"{tag}_STAGING_ALICE"},
                "landed": True,
            },
            "lando": REWRITERS["lando"].summary,
            "namespace": "alice",
        }
    }
    assert result["task"]["metadata"]["description"] == (
        "release-early-tagging-firefox (production form)\n\n"
        f"Staging: lands on Lando's staging repository {staging_repo} (production: {production_repo}), shared by every "
        f"namespace: tags {tag}_STAGING_ALICE (production: {tag}) on {HEAD}. What landed is in "
        "public/build/lando-actions.json and public/build/lando-status.json."
    )


def test_git_try_push_drops_the_hg_repo_url(production, try_config, stage):
    config = try_config(repository_type="git", head_repository="https://github.com/mozilla-releng/staging-reference")
    result = stage(config, production.lando_tagging())
    assert result["task"]["payload"]["tag_info"] == {"tags": ["FIREFOX_121_0b3_BUILD1_STAGING_ALICE"], "revision": HEAD}


def test_version_bump_points_at_the_version_bump_diff(production, try_config, stage):
    task = production.lando_version_bump()
    result = stage(try_config(), task)
    assert result["task"]["payload"] == dict(task["task"]["payload"], lando_repo="staging-firefox-beta")
    assert result["task"]["scopes"] == [f"{PREFIX}:lando:action:version_bump", f"{PREFIX}:lando:repo:staging-firefox-beta"]
    outgoing = result["task"]["extra"]["staging"]["outgoing"]
    # the worker suite holds the task to the promised artifact: landoscript writes it when it bumps
    assert outgoing["artifact"] == "public/build/version-bump.diff"
    assert outgoing["artifacts"] == ["public/build/lando-actions.json", "public/build/lando-status.json", "public/build/version-bump.diff"]
    assert result["task"]["metadata"]["description"].endswith(
        "What landed is in public/build/lando-actions.json and public/build/lando-status.json and public/build/version-bump.diff."
    )
