"""Synthetic finished tasks in production form, built to the workers' schemas.

Each factory returns what taskgraph's ``task`` transforms yield for a production
(level 3) release task: ``{"label", "description", "task": <task definition>,
"attributes", "dependencies", ...}``. The staging layer is then run on them with Try
parameters, as :mod:`taskgraph_staging.staging.loader` runs it after the ``task`` transforms.
"""

import copy
from types import SimpleNamespace

import pytest

from taskgraph_staging.analysis.graphs import TRY_DEFAULTS
from taskgraph_staging.staging.transforms import staging

PREFIX = "project:releng"
GRAPH_CONFIG = {
    "trust-domain": "gecko",
    "scriptworker": {"scope-prefix": PREFIX},
    "staging-release": {"try-projects": ["try"]},
}


def make_config(version="121.0b3", build_number=1, namespace="alice", behavior=None, partials=(), services=None, **params):
    """A transform config with Try parameters for one staging release."""
    staging_block = {"namespace": namespace, "partials": list(partials), "services": services or {}}
    if behavior:
        staging_block["behavior"] = behavior
    values = dict(
        TRY_DEFAULTS,
        head_repository="https://hg.mozilla.org/try",
        head_rev="a" * 40,
        repository_type="hg",
        version=version,
        build_number=build_number,
        release_product="firefox",
        next_version=None,
        staging=staging_block,
    )
    values.update(params)
    return SimpleNamespace(params=values, graph_config=GRAPH_CONFIG, kind="test")


def run_staging(config, task):
    """Run the staging layer on one finished task (a deep copy) and return the result."""
    (result,) = staging.transforms(config, [copy.deepcopy(task)])
    return result


def finished(label, kind, worker_type, scopes, payload, phase="promote", product="firefox", dependencies=None, **attributes):
    attrs = {"shipping_phase": phase, "shipping_product": product, **attributes}
    return {
        "label": label,
        "description": f"{label} (production form)",
        "attributes": attrs,
        "dependencies": dict(dependencies or {}),
        "soft-dependencies": [],
        "if-dependencies": [],
        "optimization": None,
        "task": {
            "provisionerId": "scriptworker-k8s",
            "workerType": worker_type,
            "scopes": sorted(scopes),
            "payload": payload,
            "routes": [],
            "tags": {"kind": kind, "worker-implementation": "scriptworker", "label": label},
            "metadata": {
                "name": label,
                "description": f"{label} (production form)",
                "owner": "release@example.com",
                "source": "https://hg.mozilla.org/releases/mozilla-beta/file/tip/taskcluster/kinds",
            },
            "extra": {},
        },
    }


def candidates(version="121.0b3", build_number=1, product="firefox"):
    return f"pub/{product}/candidates/{version}-candidates/build{build_number}"


def mar_signing(cert="release-signing", pool="gecko-3-signing"):
    return finished(
        "repackage-signing-linux64-shippable/opt",
        "repackage-signing",
        pool,
        [f"{PREFIX}:signing:cert:{cert}"],
        {
            "maxRunTime": 3600,
            "upstreamArtifacts": [
                {
                    "taskId": {"task-reference": "<repackage>"},
                    "taskType": "repackage",
                    "paths": ["public/build/target.complete.mar"],
                    "formats": ["gcp_prod_autograph_hash_only_mar384"],
                }
            ],
        },
        dependencies={"repackage": "repackage-linux64-shippable/opt"},
        build_platform="linux64-shippable",
    )


def push_to_candidates(version="121.0b3", build_number=1, product="firefox", bucket="release"):
    base = candidates(version, build_number, product)
    return finished(
        f"beetmover-repackage-{product}-linux64-shippable/opt",
        "beetmover-repackage",
        "gecko-3-beetmover",
        [f"{PREFIX}:beetmover:bucket:{bucket}", f"{PREFIX}:beetmover:action:push-to-candidates"],
        {
            "maxRunTime": 600,
            "upload_date": 1764547200,
            "releaseProperties": {
                "appName": product,
                "appVersion": version.split("b")[0],
                "branch": "mozilla-beta",
                "buildid": "20251201000000",
                "hashType": "sha512",
                "platform": "linux64",
            },
            "upstreamArtifacts": [
                {"taskId": {"task-reference": "<repackage-signing>"}, "taskType": "signing", "paths": ["public/build/target.complete.mar"], "locale": "en-US"}
            ],
            "artifactMap": [
                {
                    "taskId": {"task-reference": "<repackage-signing>"},
                    "locale": "en-US",
                    "paths": {
                        "public/build/target.complete.mar": {
                            "destinations": [f"{base}/update/linux-x86_64/en-US/{product}-{version}.complete.mar"],
                            "checksums_path": "update/linux-x86_64/en-US/firefox.complete.mar",
                        }
                    },
                }
            ],
        },
        product=product,
        dependencies={"repackage-signing": "repackage-signing-linux64-shippable/opt"},
        build_platform="linux64-shippable",
    )


def push_to_releases(version="121.0b3", build_number=1):
    return finished(
        "release-beetmover-push-to-release-firefox",
        "release-beetmover-push-to-release",
        "gecko-3-beetmover",
        [f"{PREFIX}:beetmover:bucket:release", f"{PREFIX}:beetmover:action:push-to-releases"],
        {"maxRunTime": 600, "product": "firefox", "version": version, "build_number": build_number, "partners": []},
        phase="push",
    )


def balrog_submit_locale():
    return finished(
        "balrog-linux64-shippable/opt",
        "balrog",
        "gecko-3-balrog",
        [f"{PREFIX}:balrog:server:beta", f"{PREFIX}:balrog:action:submit-locale"],
        {"upstreamArtifacts": [{"taskId": {"task-reference": "<beetmover>"}, "taskType": "beetmover", "paths": ["public/manifest.json"]}]},
        dependencies={"beetmover": "beetmover-repackage-firefox-linux64-shippable/opt"},
    )


def balrog_submit_toplevel(version="121.0b3", build_number=1, channel="beta", server="beta"):
    return finished(
        "release-balrog-submit-toplevel-firefox",
        "release-balrog-submit-toplevel",
        "gecko-3-balrog",
        [f"{PREFIX}:balrog:server:{server}", f"{PREFIX}:balrog:action:submit-toplevel"],
        {
            "app_version": version.split("b")[0],
            "archive_domain": "archive.mozilla.org",
            "build_number": build_number,
            "channel_names": [channel, f"{channel}-localtest", f"{channel}-cdntest"],
            "download_domain": "download.mozilla.org",
            "partial_versions": "120.0b9build1",
            "platforms": ["linux", "linux64", "macosx64", "win32", "win64"],
            "product": "firefox",
            "require_mirrors": True,
            "rules_to_update": [f"firefox-{channel}-cdntest", f"firefox-{channel}-localtest"],
            "version": version,
        },
    )


def balrog_schedule(version="121.0b3", build_number=1, server="beta"):
    return finished(
        "release-balrog-scheduling-firefox",
        "release-balrog-scheduling",
        "gecko-3-balrog",
        [f"{PREFIX}:balrog:server:{server}", f"{PREFIX}:balrog:action:schedule"],
        {
            "build_number": build_number,
            "product": "firefox",
            "publish_rules": [32],
            "release_eta": "",
            "version": version,
        },
        phase="ship",
    )


def treescript_tagging(version="121.0b3", build_number=1):
    base = f"FIREFOX_{version.replace('.', '_')}"
    return finished(
        "release-early-tagging-firefox",
        "release-early-tagging",
        "gecko-3-tree",
        [f"{PREFIX}:treescript:action:tagging", f"{PREFIX}:treescript:action:push"],
        {
            "actions": ["tag", "push"],
            "tag_info": {"tags": [f"{base}_BUILD{build_number}", f"{base}_RELEASE"], "revision": "b" * 40},
            "source_repo": "https://hg.mozilla.org/releases/mozilla-beta",
            "dontbuild": True,
            "push": True,
        },
    )


def treescript_version_bump(next_version="121.0b4"):
    return finished(
        "release-version-bump-firefox",
        "release-version-bump",
        "gecko-3-tree",
        [f"{PREFIX}:treescript:action:version_bump", f"{PREFIX}:treescript:action:push"],
        {
            "actions": ["version_bump", "push"],
            "version_bump_info": {"next_version": next_version, "files": ["browser/config/version_display.txt"]},
            "source_repo": "https://hg.mozilla.org/releases/mozilla-beta",
            "dontbuild": True,
        },
        phase="ship",
    )


def lando_tagging(version="121.0b3", build_number=1, repo="beta"):
    base = f"FIREFOX_{version.replace('.', '_')}"
    return finished(
        "release-early-tagging-firefox",
        "release-early-tagging",
        "gecko-3-lando",
        [f"{PREFIX}:lando:repo:{repo}", f"{PREFIX}:lando:action:tag"],
        {
            "actions": ["tag"],
            "lando_repo": repo,
            "tag_info": {"tags": [f"{base}_BUILD{build_number}"], "revision": "b" * 40, "hg_repo_url": "https://hg.mozilla.org/releases/mozilla-beta"},
        },
    )


def lando_version_bump(next_version="121.0b4", repo="beta"):
    return finished(
        "release-version-bump-firefox",
        "release-version-bump",
        "gecko-3-lando",
        [f"{PREFIX}:lando:repo:{repo}", f"{PREFIX}:lando:action:version_bump"],
        {
            "actions": ["version_bump"],
            "lando_repo": repo,
            "version_bump_info": {"next_version": next_version, "files": ["browser/config/version_display.txt"]},
        },
        phase="ship",
    )


@pytest.fixture
def production():
    """The production-form task factories of this module."""
    return SimpleNamespace(
        mar_signing=mar_signing,
        push_to_candidates=push_to_candidates,
        push_to_releases=push_to_releases,
        balrog_submit_locale=balrog_submit_locale,
        balrog_submit_toplevel=balrog_submit_toplevel,
        balrog_schedule=balrog_schedule,
        treescript_tagging=treescript_tagging,
        treescript_version_bump=treescript_version_bump,
        lando_tagging=lando_tagging,
        lando_version_bump=lando_version_bump,
    )


@pytest.fixture
def try_config():
    return make_config


@pytest.fixture
def stage():
    return run_staging


#: Staging releases whose reference Try graphs the graph-level tests check:
#: (version, behaviour override, next version), for every behaviour.
GRAPH_RELEASES = {
    "beta": ("121.0b3", None, "121.0b4"),
    "release": ("121.0", None, "121.0.1"),
    "release-rc": ("121.0", "release-rc", "121.0.1"),
    "esr": ("115.5.0esr", None, "115.6.0esr"),
}
GRAPH_NAMESPACES = ("alice", "bob-2")


def graph_overrides(behavior, namespace):
    """Parameter overrides of a reference Try graph (the same dict for every test, so
    ``reference_graph``'s cache generates each graph once per session)."""
    version, chosen, next_version = GRAPH_RELEASES[behavior]
    staging_block = {"namespace": namespace}
    if chosen:
        staging_block["behavior"] = chosen
    return {"version": version, "build_number": 1, "next_version": next_version, "staging": staging_block}


@pytest.fixture(
    scope="module",
    params=[(b, ns) for b in GRAPH_RELEASES for ns in GRAPH_NAMESPACES],
    ids=[f"{b}-{ns}" for b in GRAPH_RELEASES for ns in GRAPH_NAMESPACES],
)
def try_graph(request, graph):
    """``(config, full task graph)`` of the reference Try graph of one behaviour and namespace;
    ``config.params`` / ``config.graph_config`` are the generator's own."""
    overrides = graph_overrides(*request.param)
    params = graph(until="parameters", **overrides)
    graph_config = graph(until="graph_config", **overrides)
    return SimpleNamespace(params=params, graph_config=graph_config), graph(**overrides)


def graph_tasks_of(full_graph, family_word):
    """The tasks of a graph with a ``<prefix>:<family_word>:`` scope."""
    prefix = f"{PREFIX}:{family_word}:"
    return [t for t in full_graph.tasks.values() if any(isinstance(s, str) and s.startswith(prefix) for s in t.task.get("scopes", []))]


@pytest.fixture
def tasks_of():
    return graph_tasks_of
