"""inventory(): what a finished task writes, from its scopes and payload."""

import pytest

from taskgraph_staging.analysis.inventory import Resource, graph_inventory, inventory
from taskgraph_staging.model.release import DEFAULT_SERVICES, Services

P = "project:releng"
STAGE_BUCKET = DEFAULT_SERVICES["archive_bucket"]
STAGE_BALROG = DEFAULT_SERVICES["balrog_admin"]
STAGE_BOUNCER = DEFAULT_SERVICES["bouncer_admin"]
STAGE_SHIPIT = DEFAULT_SERVICES["shipit"]
PROD_BALROG = "https://admin.balrog.prod.webservices.mozgcp.net/api"


def task(label, kind, scopes=(), payload=None, routes=(), attributes=None):
    return {
        "label": label,
        "task": {
            "provisionerId": "scriptworker-k8s",
            "workerType": "gecko-1-misc",
            "tags": {"kind": kind},
            "scopes": list(scopes),
            "payload": payload or {},
            "routes": list(routes),
        },
        "attributes": attributes or {},
        "dependencies": {},
    }


def artifact_map(*destinations):
    return [
        {
            "locale": "de",
            "taskId": {"task-reference": "<repackage-signing>"},
            "paths": {
                f"public/build/de/file{i}": {"destinations": [d], "checksums_path": d}
                for i, d in enumerate(destinations)
            },
        }
    ]


CANDIDATES = "staging/alice/pub/firefox/candidates/121.0b3-candidates/build1/"

CASES = [
    pytest.param(
        task(
            "beetmover-repackage-linux64-de",
            "beetmover-repackage",
            [f"{P}:beetmover:bucket:dep", f"{P}:beetmover:action:push-to-candidates"],
            {
                "artifactMap": artifact_map(
                    f"{CANDIDATES}linux-x86_64/de/firefox-121.0b3.tar.bz2",
                    f"{CANDIDATES}linux-x86_64/de/firefox-121.0b3.checksums.beet",
                    f"{CANDIDATES}update/linux-x86_64/de/firefox-121.0b3.complete.mar",
                )
            },
        ),
        [
            Resource("archive", STAGE_BUCKET, "prefix", f"{CANDIDATES}linux-x86_64/de/", "beetmover-repackage-linux64-de"),
            Resource("archive", STAGE_BUCKET, "prefix", f"{CANDIDATES}update/linux-x86_64/de/", "beetmover-repackage-linux64-de"),
        ],
        id="candidates-artifact-map",
    ),
    pytest.param(
        task(
            "release-beetmover-push-to-release-firefox",
            "release-beetmover-push-to-release",
            [f"{P}:beetmover:bucket:release", f"{P}:beetmover:action:push-to-releases"],
            {"product": "firefox", "version": "121.0b3", "build_number": 1},
        ),
        [
            Resource(
                "archive",
                "net-mozaws-prod-delivery-firefox",
                "prefix",
                "pub/firefox/releases/121.0b3/",
                "release-beetmover-push-to-release-firefox",
                "push-to-releases computes its paths itself: copies "
                "pub/firefox/candidates/121.0b3-candidates/build1/ to this prefix at the bucket root "
                "(shared bucket, not isolated between staging releases)",
            )
        ],
        id="push-to-releases-production-bucket",
    ),
    pytest.param(
        task(
            "release-balrog-submit-toplevel-firefox",
            "release-balrog-submit-toplevel",
            [f"{P}:balrog:server:dep", f"{P}:balrog:action:v2-submit-toplevel"],
            {
                "behavior": "v2-submit-toplevel",
                "product": "firefox",
                "version": "121.0b3",
                "build_number": 1,
                "blob_suffix": "-staging-alice",
                "channel_names": ["alice-beta", "alice-beta-localtest"],
                "rules_to_update": ["alice-firefox-beta-localtest"],
            },
        ),
        [
            Resource("balrog", STAGE_BALROG, "blob", "Firefox-121.0b3-build1-staging-alice", "release-balrog-submit-toplevel-firefox"),
            Resource("balrog", STAGE_BALROG, "channel", "alice-beta", "release-balrog-submit-toplevel-firefox"),
            Resource("balrog", STAGE_BALROG, "channel", "alice-beta-localtest", "release-balrog-submit-toplevel-firefox"),
            Resource("balrog", STAGE_BALROG, "rule", "alice-firefox-beta-localtest", "release-balrog-submit-toplevel-firefox"),
        ],
        id="balrog-toplevel-staging",
    ),
    pytest.param(
        task(
            "release-balrog-scheduling-firefox",
            "release-balrog-scheduling",
            [f"{P}:balrog:server:beta", f"{P}:balrog:action:schedule"],
            {"behavior": "schedule", "product": "firefox", "version": "121.0b3", "build_number": 1, "publish_rules": [32]},
        ),
        [
            Resource(
                "balrog", PROD_BALROG, "rule", "id 32", "release-balrog-scheduling-firefox",
                "scheduled change to Firefox-121.0b3-build1",
            )
        ],
        id="balrog-schedule-production",
    ),
    pytest.param(
        task(
            "balrog-linux64-de",
            "balrog",
            [f"{P}:balrog:server:dep", f"{P}:balrog:action:v2-submit-locale"],
            {"behavior": "v2-submit-locale", "suffixes": ["-staging-alice", "-staging-alice-No-WNP"], "upstreamArtifacts": []},
        ),
        [
            Resource("balrog", STAGE_BALROG, "blob", "(the release blob)-staging-alice", "balrog-linux64-de", "locale data"),
            Resource("balrog", STAGE_BALROG, "blob", "(the release blob)-staging-alice-No-WNP", "balrog-linux64-de", "locale data"),
        ],
        id="balrog-submit-locale",
    ),
    pytest.param(
        task(
            "release-bouncer-sub-firefox",
            "release-bouncer-sub",
            [f"{P}:bouncer:server:staging", f"{P}:bouncer:action:submission"],
            {
                "locales": ["de", "en-US"],
                "submission_entries": {
                    "Firefox-121.0b3-SSL": {
                        "options": {"add_locales": True, "ssl_only": True},
                        "paths_per_bouncer_platform": {"linux64": "/firefox/releases/121.0b3/linux-x86_64/:lang/firefox-121.0b3.tar.bz2"},
                    }
                },
            },
        ),
        [
            Resource("bouncer", STAGE_BOUNCER, "product", "Firefox-121.0b3-SSL", "release-bouncer-sub-firefox"),
            Resource(
                "bouncer", STAGE_BOUNCER, "location", "/firefox/releases/121.0b3/linux-x86_64/:lang/firefox-121.0b3.tar.bz2",
                "release-bouncer-sub-firefox", "Firefox-121.0b3-SSL linux64",
            ),
        ],
        id="bouncer-submission",
    ),
    pytest.param(
        task(
            "release-bouncer-aliases-firefox",
            "release-bouncer-aliases",
            [f"{P}:bouncer:server:production", f"{P}:bouncer:action:aliases"],
            {"aliases_entries": {"firefox-beta-latest-ssl": "Firefox-121.0b3-SSL"}},
        ),
        [
            Resource(
                "bouncer", "https://admin.prod.bouncer.prod.webservices.mozgcp.net/api", "alias", "firefox-beta-latest-ssl",
                "release-bouncer-aliases-firefox", "-> Firefox-121.0b3-SSL",
            )
        ],
        id="bouncer-aliases-production",
    ),
    pytest.param(
        task(
            "release-mark-as-shipped-firefox",
            "release-mark-as-shipped",
            [f"{P}:ship-it:action:mark-as-shipped", f"{P}:ship-it:server:staging"],
            {"release_name": "Firefox-121.0b3-build1-staging-alice"},
        ),
        [Resource("shipit", STAGE_SHIPIT, "release", "Firefox-121.0b3-build1-staging-alice", "release-mark-as-shipped-firefox")],
        id="shipit",
    ),
    pytest.param(
        task(
            "release-early-tagging-firefox",
            "release-early-tagging",
            [f"{P}:treescript:action:tag", f"{P}:treescript:action:push"],
            {
                "actions": ["tag", "push"],
                "source_repo": "https://hg.mozilla.org/releases/mozilla-beta",
                "tag_info": {"tags": ["FIREFOX_121_0b3_BUILD1"], "revision": "abc"},
            },
        ),
        [Resource("vcs", "https://hg.mozilla.org/releases/mozilla-beta", "tag", "FIREFOX_121_0b3_BUILD1", "release-early-tagging-firefox")],
        id="treescript-push",
    ),
    pytest.param(
        task(
            "release-version-bump-firefox",
            "release-version-bump",
            [f"{P}:treescript:action:version_bump"],
            {
                "actions": ["version_bump"],
                "dry_run": True,
                "source_repo": "https://hg.mozilla.org/try",
                "version_bump_info": {"next_version": "121.0b4", "files": ["browser/config/version.txt"]},
            },
        ),
        [],
        id="treescript-no-push-writes-nothing",
    ),
    pytest.param(
        task(
            "push-apk-fenix",
            "push-apk",
            [f"{P}:googleplay:product:fenix"],
            {"commit": True, "google_play_track": "beta", "upstreamArtifacts": []},
        ),
        [Resource("googleplay", "play.google.com", "track", "fenix:beta", "push-apk-fenix")],
        id="pushapk-commit",
    ),
    pytest.param(
        task("push-apk-fenix", "push-apk", [f"{P}:googleplay:product:fenix-dep"], {"commit": False, "channel": "beta"}),
        [],
        id="pushapk-dry-run",
    ),
    pytest.param(
        task("release-snap-push-firefox", "release-snap-push", [f"{P}:snapcraft:firefox:mock"], {"channel": "mock"}),
        [],
        id="snap-mock",
    ),
    pytest.param(
        task("release-snap-push-firefox", "release-snap-push", [f"{P}:snapcraft:firefox:beta"], {"channel": "beta"}),
        [Resource("snapstore", "snapcraft.io", "channel", "beta", "release-snap-push-firefox")],
        id="snap-beta",
    ),
    pytest.param(
        task(
            "release-notify-promote-firefox",
            "release-notify-promote",
            routes=["notify.email.alice@example.com.on-completed", "index.foo"],
        ),
        [Resource("email", "taskcluster-notify", "recipient", "alice@example.com", "release-notify-promote-firefox")],
        id="email",
    ),
    pytest.param(
        task("build-signing-linux64", "build-signing", [f"{P}:signing:cert:dep-signing"], {"upstreamArtifacts": []}),
        [],
        id="signing-writes-nothing-outside",
    ),
    # The yum import: each .rpm in the yum repository the dev pool's configuration names
    # (product_yum_repos), named by the package's platform, directory and file.
    pytest.param(
        task(
            "beetmover-rpm-firefox",
            "beetmover-rpm",
            [f"{P}:beetmover:yum-repo:dep", f"{P}:beetmover:action:import-from-gcs-to-artifact-registry"],
            {"product": "firefox", "gcs_sources": [f"{CANDIDATES}linux-x86_64/rpm/firefox-l10n-de-121.0b3.noarch.rpm"]},
        ),
        [
            Resource(
                "yum", "projects/moz-fx-productdelivery-no-7d6a/locations/us/repositories/mozilla-rpm", "package",
                "firefox (the release's version) linux-x86_64/rpm/firefox-l10n-de-121.0b3.noarch.rpm", "beetmover-rpm-firefox",
                f"imported from {CANDIDATES}linux-x86_64/rpm/firefox-l10n-de-121.0b3.noarch.rpm",
            )
        ],
        id="yum-import",
    ),
]


@pytest.mark.parametrize("finished, expected", CASES)
def test_inventory(finished, expected):
    assert inventory(finished, P) == expected


def test_dedicated_archive_uses_the_services_bucket():
    services = Services.from_dict({"archive_bucket": "staging-slot-3", "dedicated": ["archive"]})
    push = task(
        "release-beetmover-push-to-release-firefox",
        "release-beetmover-push-to-release",
        [f"{P}:beetmover:bucket:dep", f"{P}:beetmover:action:push-to-releases"],
        {"product": "firefox", "version": "121.0", "build_number": 2},
    )
    [resource] = inventory(push, P, services=services)
    assert (resource.instance, resource.name) == ("staging-slot-3", "pub/firefox/releases/121.0/")
    assert resource.note.endswith("(dedicated bucket)")


def test_graph_inventory_deduplicates_and_sorts():
    mail = "notify.email.alice@example.com.on-completed"
    tasks = {
        "b": task("b", "release-notify-push", routes=[mail]),
        "a": task("a", "release-notify-promote", routes=[mail]),
    }
    assert graph_inventory(tasks, P) == [
        Resource("email", "taskcluster-notify", "recipient", "alice@example.com", "a"),
        Resource("email", "taskcluster-notify", "recipient", "alice@example.com", "b"),
    ]
    assert graph_inventory(list(tasks.values()) * 2, P) == graph_inventory(tasks, P)


def test_other_scope_prefix():
    t = task("x", "balrog", ["project:comm:thunderbird:releng:balrog:server:dep"], {"behavior": "v2-submit-toplevel", "channel_names": ["ns-beta"]})
    assert inventory(t, P) == []
    assert [r.name for r in inventory(t, "project:comm:thunderbird:releng")] == ["(the release blob)", "ns-beta"]


def test_submit_locale_blob_named_from_the_graphs_release():
    t = task("balrog-linux64-de", "balrog", [f"{P}:balrog:server:dep"], {"behavior": "v2-submit-locale", "suffixes": ["-staging-bob"]})
    assert [r.name for r in inventory(t, P, release=("firefox", "121.0b3", 2))] == ["Firefox-121.0b3-build2-staging-bob"]


def test_resource_as_dict_is_asdict():
    from dataclasses import asdict

    from taskgraph_staging.analysis.inventory import Resource

    resource = Resource("archive", "bucket", "key-prefix", "pub/firefox/", "beetmover-x", note="computed by the worker")
    assert resource.as_dict() == asdict(resource)
    assert list(resource.as_dict()) == list(asdict(resource))
