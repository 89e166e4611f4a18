"""Mutation test of the production guard (issue 12): every production value, injected into
a FINISHED task of a real Try graph (after the staging layer), is caught, and the line names
the task and the value. The graph is generated once per session; each mutation checks one
copied task."""

import copy

import pytest

from taskgraph_staging.analysis.guard import task_violations
from taskgraph_staging.analysis.inventory import as_task, inventory_options, make_context
from taskgraph_staging.model.production import cot_restricted_scopes

P = "project:releng"
COMM = "project:comm:thunderbird:releng"
MOBILE = "project:mobile:fenix:releng"


@pytest.fixture(scope="module")
def finished(graph):
    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, TRY_DEFAULTS, load_config

    overrides = {"version": "121.0b3", "build_number": 1, "staging": {"namespace": "alice"}}
    full = graph(**overrides)
    graph_config = load_config(REFERENCE_ROOT)
    params = dict(TRY_DEFAULTS, **overrides)
    ctx = make_context(**inventory_options(graph_config, params))
    by_kind = {}
    for label in sorted(full.tasks):
        by_kind.setdefault(full.tasks[label].kind, as_task(full.tasks[label]))
    return by_kind, graph_config["trust-domain"], ctx, params.get("owner")


def scope(value):
    return lambda d: d["scopes"].append(value)


def route(value):
    return lambda d: d.setdefault("routes", []).append(value)


def setting(**fields):
    return lambda d: d.update(fields)


def payload(**fields):
    return lambda d: d["payload"].update(fields)


def channel(value):
    return lambda d: d["payload"]["channel_names"].append(value)


def destination(value):
    def change(d):
        paths = d["payload"]["artifactMap"][0]["paths"]
        first = sorted(paths)[0]
        paths[first]["destinations"] = [value]

    return change


BALROG = "release-balrog-submit-toplevel"
TREE = "release-version-bump"
SHIPIT = "release-mark-as-shipped"
SNAP = "release-snap-push"
BEET = "beetmover-repackage"
SIGN = "build-signing"

#: (kind, change, value the line must name). 55 production values beyond the table.
FURTHER = [
    # notify routes
    (SIGN, route("notify.email.release-signoff@mozilla.org.on-completed"), "release-signoff@mozilla.org"),
    (SIGN, route("notify.email.release-drivers@mozilla.org.on-failed"), "release-drivers@mozilla.org"),
    (SIGN, route("notify.email.Release-Signoff@Mozilla.org.on-completed"), "Release-Signoff@Mozilla.org"),
    (SIGN, route("notify.matrix-room.!wGgsWXnVncJLQJJJqn:mozilla.org.on-failed"), "matrix-room"),
    (SIGN, route("notify.pulse.release-promotion.on-completed"), "notify.pulse"),
    (SIGN, route("notify.slack-channel.C0123.on-completed"), "slack-channel"),
    # index and treeherder routes
    (SIGN, route("index.gecko.v2.mozilla-beta.latest.firefox.linux64"), "index.gecko.v2.mozilla-beta"),
    (SIGN, route("index.gecko.v2.mozilla-release.revision.abc.firefox"), "index.gecko.v2.mozilla-release"),
    (SIGN, route("index.releases.v1.mozilla-beta.latest"), "index.releases.v1"),
    (SIGN, route("tc-treeherder.v2.mozilla-beta.abc.1"), "tc-treeherder.v2.mozilla-beta"),
    (SIGN, route("index.gecko.v2.try.staging-release.alice\n"), "alice\\n"),
    (SIGN, route("something.else"), "something.else"),
    # scopes beyond the table
    (SIGN, scope("secrets:get:project/releng/gecko/build/level-3/*"), "level-3"),
    (SIGN, scope("secrets:get:project/releng/gecko/release/level-3/balrog"), "level-3/balrog"),
    (SIGN, scope("assume:repo:hg.mozilla.org/releases/mozilla-release:*"), "mozilla-release"),
    (SIGN, scope("assume:repo:hg.mozilla.org/releases/mozilla-beta:branch:default"), "mozilla-beta"),
    (SIGN, scope("project:xpi:releng:github:project:mozilla-extensions/foo"), "mozilla-extensions/foo"),
    (SIGN, scope("project:releng:github:project:mozilla-extensions/bar"), "mozilla-extensions/bar"),
    (SIGN, scope("project:releng:signing:cert:release-*"), "release-*"),
    (SIGN, scope("project:releng:balrog:server:*"), "balrog:server:*"),
    (SIGN, scope("project:releng:ship-it:server:production"), "ship-it:server:production"),
    (SIGN, scope("queue:create-task:highest:scriptworker-k8s/gecko-3-signing"), "gecko-3-signing"),
    (SIGN, scope("queue:route:index.gecko.v2.mozilla-beta.*"), "mozilla-beta"),
    (SIGN, scope("project:releng:signing:cert:dep-signing\n"), "dep-signing\\n"),
    (SIGN, scope("project:releng:snapcraft:firefox:beta"), "snapcraft:firefox:beta"),
    (SIGN, scope("project:releng:snapcraft:firefox:stable"), "snapcraft:firefox:stable"),
    # pools
    (SIGN, setting(workerType="mobile-3-pushapk"), "mobile-3-pushapk"),
    (SIGN, setting(workerType="comm-3-balrog"), "comm-3-balrog"),
    (SIGN, setting(workerType="Gecko-3-signing"), "Gecko-3-signing"),
    (SIGN, setting(provisionerId="Gecko-3"), "Gecko-3"),
    (SIGN, setting(taskQueueId="scriptworker-k8s/gecko-3-signing"), "gecko-3-signing"),
    (SIGN, setting(workerType="gecko-1-signing\n"), "gecko-1-signing\\n"),
    # Balrog channels and hosts
    (BALROG, channel("Release"), "Release"),
    (BALROG, channel("release "), "release "),
    (BALROG, channel("esr115"), "esr115"),
    (BALROG, channel("beta-cdntest"), "beta-cdntest"),
    (BALROG, channel("alice-beta\n"), "alice-beta\\n"),
    (BALROG, payload(pin_channels=["release"]), "release"),
    (BALROG, payload(archive_domain="archive.mozilla.org"), "archive.mozilla.org"),
    (BALROG, payload(archive_domain="archive.mozilla.org\n"), "archive.mozilla.org\\n"),
    (BALROG, payload(archive_domain="ARCHIVE.mozilla.org."), "ARCHIVE.mozilla.org."),
    (BALROG, payload(download_domain="download.mozilla.org"), "download.mozilla.org"),
    (BALROG, payload(download_domain="https://download.mozilla.org/"), "download.mozilla.org"),
    # beetmover destinations
    (BEET, destination("../../firefox/releases/121.0b3/linux-x86_64/en-US/firefox.tar.bz2"), "../"),
    (BEET, destination("/pub/firefox/releases/121.0b3/x.tar.bz2"), "/pub/firefox"),
    # treescript and lando
    (TREE, payload(actions=["tag", "push"], source_repo="https://hg.mozilla.org/releases/mozilla-beta"), "mozilla-beta"),
    (TREE, payload(dry_run=False, source_repo="https://hg.mozilla.org/releases/mozilla-release"), "mozilla-release"),
    (TREE, payload(push=True, source_repo="https://github.com/mozilla-mobile/firefox-android"), "firefox-android"),
    (TREE, payload(lando_repo="mozilla-beta", dry_run=False), "mozilla-beta"),
    (TREE, payload(lando_repo="beta", dry_run=False), "beta"),
    # the real tree's production Lando repositories (a landing, no dry run)
    (TREE, payload(lando_repo="firefox-beta"), "firefox-beta"),
    (TREE, payload(lando_repo="firefox-esr115"), "firefox-esr115"),
    (TREE, payload(lando_repo="staging-firefox-beta-but-not\n"), "staging-firefox-beta-but-not\\n"),
    # stores
    (SNAP, scope("project:releng:snapcraft:firefox:candidate"), "snapcraft:firefox:candidate"),
    (SNAP, scope("project:releng:flathub:firefox:stable"), "flathub:firefox:stable"),
    (SNAP, scope("project:releng:microsoftstore:release"), "microsoftstore:release"),
    # ship-it
    (SHIPIT, lambda d: (d["payload"].pop("release_name", None), d["scopes"].append("project:releng:ship-it:server:production")), "ship-it:server:production"),
    (SHIPIT, scope("project:releng:ship-it:production"), "ship-it:production"),
]

#: One of each class for a second and a third trust domain.
OTHER_DOMAINS = [
    (SIGN, scope(f"{COMM}:signing:cert:release-signing"), f"{COMM}:signing:cert:release-signing"),
    (SIGN, scope(f"{COMM}:balrog:server:release"), f"{COMM}:balrog:server:release"),
    (SIGN, scope(f"{COMM}:ship-it:server:production"), "ship-it:server:production"),
    (SIGN, scope(f"{COMM}:treescript:action:push"), "treescript:action:push"),
    (SIGN, scope("secrets:get:project/comm/thunderbird/releng/build/level-3/*"), "level-3"),
    (SIGN, scope("assume:repo:hg.mozilla.org/releases/comm-beta:*"), "comm-beta"),
    (SIGN, route("index.comm.v2.comm-beta.latest.thunderbird"), "index.comm.v2.comm-beta"),
    (SIGN, route("notify.email.thunderbird-drivers@mozilla.org.on-completed"), "thunderbird-drivers@mozilla.org"),
    (SIGN, setting(workerType="comm-3-signing"), "comm-3-signing"),
    (SIGN, setting(taskQueueId="scriptworker-k8s/comm-3-shipit"), "comm-3-shipit"),
    (TREE, payload(dry_run=False, source_repo="https://hg.mozilla.org/releases/comm-beta"), "comm-beta"),
    (SIGN, scope(f"{MOBILE}:signing:cert:release-signing"), f"{MOBILE}:signing:cert:release-signing"),
    (SIGN, scope(f"{MOBILE}:googleplay:product:fenix"), "googleplay:product:fenix"),
    (SIGN, scope(f"{MOBILE}:beetmover:bucket:maven-production"), "maven-production"),
    (SIGN, setting(workerType="mobile-3-pushapk"), "mobile-3-pushapk"),
    (SIGN, route("index.mobile.v2.firefox-android.latest"), "index.mobile.v2.firefox-android"),
    (TREE, payload(actions=["push"], source_repo="https://github.com/mozilla-mobile/firefox-ios"), "firefox-ios"),
]

TABLE = [(SIGN, scope(s), s) for s in sorted(cot_restricted_scopes())]
MUTATIONS = TABLE + FURTHER + OTHER_DOMAINS


def test_the_mutations_cover_the_issue():
    assert len(TABLE) == 74
    assert len(FURTHER) >= 55
    assert len(TABLE) + len(FURTHER) >= 129


def caught(finished, kind, change):
    by_kind, trust_domain, ctx, owner = finished
    task = copy.deepcopy(by_kind[kind])
    change(task["task"])
    return task["label"], task_violations(task, trust_domain, ctx, owner)


@pytest.mark.parametrize("kind", sorted({m[0] for m in MUTATIONS}))
def test_the_unmutated_tasks_are_clean(finished, kind):
    assert caught(finished, kind, lambda d: None)[1] == []


def test_every_mutation_is_caught_naming_task_and_value(finished):
    missed = []
    for kind, change, value in MUTATIONS:
        label, found = caught(finished, kind, change)
        lines = [f"{lab}: {what} is production: {why}" for lab, what, why in found]
        named = [line for line in lines if line.startswith(f"{label}: ") and (value is None or value in line or repr(value)[1:-1] in line)]
        if not named:
            missed.append(f"{kind} {value!r}: {lines}")
    assert missed == [], f"{len(missed)} of {len(MUTATIONS)} missed:\n" + "\n".join(missed)
