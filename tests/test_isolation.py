"""isolation: every resource family's class (namespace, instance, shared by nature...) and its reason."""

import json

import pytest

from taskgraph_staging.analysis.inventory import Resource
from taskgraph_staging.analysis.isolation import (
    INSTANCE,
    MESSAGE,
    NAMESPACE,
    NOT_ISOLATED,
    PRODUCTION,
    SHARED,
    Classifier,
    classification_table,
    renamespace_json,
    resource_key,
)
from taskgraph_staging.model.release import DEFAULT_SERVICES, Behavior, Namespace, Services, StagingRelease

BUCKET = DEFAULT_SERVICES["archive_bucket"]
BALROG = DEFAULT_SERVICES["balrog_admin"]
BOUNCER = DEFAULT_SERVICES["bouncer_admin"]
SHIPIT = DEFAULT_SERVICES["shipit"]
SLOT = {
    "balrog_admin": "https://admin.slot1.balrog.example.net/api",
    "balrog_public": "https://slot1.balrog.example.net",
    "bouncer_admin": "https://admin.slot1.bouncer.example.net/api",
    "bouncer_redirector": "https://slot1.bouncer.example.net",
    "archive_domain": "slot1.archive.example.net",
    "archive_bucket": "staging-slot1-archive",
    "shipit": "https://slot1.shipit.example.net",
    "dedicated": ["archive", "balrog", "bouncer", "shipit"],
    "pools": {"beetmover": "scriptworker-k8s/gecko-1-beetmover-slot1"},
}
PUSH_NOTE = "push-to-releases computes its paths itself: copies ... (shared bucket, not isolated between staging releases)"


def release(namespace="alice", services=None, rule_ids=None):
    data = dict(services or {})
    if rule_ids:
        data["rule_ids"] = rule_ids
    return StagingRelease("firefox", "121.0b3", 1, Namespace(namespace), Behavior("beta"), services=Services.from_dict(data))


def r(service, instance, kind, name, note=""):
    return Resource(service, instance, kind, name, "some-task", note)


CASES = [
    pytest.param(r("archive", BUCKET, "prefix", "staging/alice/pub/firefox/candidates/121.0b3-candidates/build1/"), None, NAMESPACE, id="archive-candidates"),
    pytest.param(r("archive", BUCKET, "prefix", "pub/firefox/releases/121.0b3/", PUSH_NOTE), None, SHARED, id="push-to-releases-shared-bucket"),
    pytest.param(r("archive", BUCKET, "prefix", "staging/bob/pub/firefox/candidates/121.0b3-candidates/build1/"), None, NOT_ISOLATED, id="archive-other-namespace"),
    pytest.param(r("archive", "staging-slot1-archive", "prefix", "pub/firefox/releases/121.0b3/", PUSH_NOTE), SLOT, INSTANCE, id="push-to-releases-dedicated"),
    pytest.param(r("archive", BUCKET, "prefix", "pub/firefox/releases/121.0b3/", PUSH_NOTE), SLOT, SHARED, id="dedicated-elsewhere-shared-here"),
    pytest.param(r("balrog", BALROG, "blob", "Firefox-121.0b3-build1-staging-alice-No-WNP"), None, NAMESPACE, id="balrog-locale-blob"),
    pytest.param(r("balrog", BALROG, "blob", "Firefox-121.0b3-build1"), None, NOT_ISOLATED, id="balrog-production-blob-name"),
    pytest.param(r("balrog", BALROG, "channel", "alice-beta-localtest"), None, NAMESPACE, id="balrog-channel"),
    pytest.param(r("balrog", BALROG, "rule", "alice-firefox-beta"), None, NAMESPACE, id="balrog-rule-alias"),
    pytest.param(r("balrog", BALROG, "rule", "id 32"), None, SHARED, id="balrog-rule-id-not-ours"),
    pytest.param(r("balrog", "https://admin.slot1.balrog.example.net/api", "rule", "id 32"), SLOT, INSTANCE, id="balrog-rule-id-dedicated"),
    pytest.param(r("bouncer", BOUNCER, "product", "Firefox-121.0b3-staging-alice-SSL"), None, NAMESPACE, id="bouncer-product"),
    pytest.param(r("bouncer", BOUNCER, "alias", "partner-firefox-beta-staging-alice-latest"), None, NAMESPACE, id="bouncer-partner-alias"),
    pytest.param(r("bouncer", BOUNCER, "alias", "firefox-beta-latest"), None, SHARED, id="bouncer-fixed-alias"),
    pytest.param(r("bouncer", BOUNCER, "location", "/firefox/releases/121.0b3/win64/:lang/x.exe", "Firefox-121.0b3-staging-alice win64"), None, NAMESPACE, id="bouncer-location-of-own-product"),
    # Ship-it names a release itself (<Product>-<version>-build<N>): shared on a shared Ship-it, whatever the name.
    pytest.param(r("shipit", SHIPIT, "release", "Firefox-121.0b3-build1"), None, SHARED, id="shipit-release"),
    pytest.param(r("shipit", SHIPIT, "release", "Fenix-121.0b3-build1"), None, SHARED, id="shipit-other-product-of-graph"),
    pytest.param(r("shipit", SHIPIT, "release", "Firefox-121.0b3-build1-staging-alice"), None, SHARED, id="shipit-hand-namespaced"),
    pytest.param(r("shipit", "https://slot1.shipit.example.net", "release", "Firefox-121.0b3-build1"), SLOT, INSTANCE, id="shipit-dedicated"),
    pytest.param(r("vcs", "lando:staging-firefox-beta", "tag", "FIREFOX_121_0b3_BUILD1_STAGING_ALICE"), None, NAMESPACE, id="vcs-tag"),
    pytest.param(r("vcs", "lando:staging-firefox-beta", "bump", "browser/config/version.txt"), None, SHARED, id="vcs-bump"),
    pytest.param(r("apt", "projects/moz-fx-productdelivery-no-7d6a/locations/us/repositories/mozilla", "package", "firefox 121.0b3 linux-x86_64/en-US/firefox-121.0b3.deb"), None, SHARED, id="apt-package"),
    pytest.param(r("amo", "https://addons.allizom.org", "langpack", "firefox de 121.0b3"), None, SHARED, id="amo-langpack"),
    pytest.param(r("yum", "projects/moz-fx-productdelivery-no-7d6a/locations/us/repositories/mozilla-rpm", "package", "firefox 121.0b3 linux-x86_64/rpm/firefox-121.0b3.rpm"), None, SHARED, id="yum-package"),
    pytest.param(r("yum", "projects/moz-fx-productdelivery-pr-38b5/locations/us/repositories/mozilla-rpm", "package", "firefox 121.0b3 linux-x86_64/rpm/firefox-121.0b3.rpm"), None, PRODUCTION, id="yum-production-repository"),
    pytest.param(r("apt", "projects/moz-fx-productdelivery-pr-38b5/locations/us/repositories/mozilla", "package", "firefox 121.0b3 linux-x86_64/en-US/firefox-121.0b3.deb"), None, PRODUCTION, id="apt-production-repository"),
    pytest.param(r("googleplay", "play.google.com", "track", "fenix:beta"), None, PRODUCTION, id="store"),
    pytest.param(r("email", "taskcluster-notify", "recipient", "alice@example.com"), None, MESSAGE, id="email"),
    pytest.param(r("balrog", BALROG, "rule", "alice-esr115"), None, NAMESPACE, id="balrog-esr-rule-alias"),
    # Namespace alice-b's names start with "alice-" too; they are not alice's.
    pytest.param(r("balrog", BALROG, "channel", "alice-b-beta-localtest"), None, NOT_ISOLATED, id="longer-namespace-channel"),
    pytest.param(r("balrog", BALROG, "rule", "alice-b-firefox-beta"), None, NOT_ISOLATED, id="longer-namespace-rule"),
    pytest.param(r("balrog", BALROG, "blob", "Firefox-121.0b3-build1-staging-alice-b"), None, NOT_ISOLATED, id="longer-namespace-blob"),
    pytest.param(r("bouncer", BOUNCER, "product", "Firefox-121.0b3-staging-alice-b-SSL"), None, NOT_ISOLATED, id="longer-namespace-product"),
    pytest.param(r("bouncer", BOUNCER, "alias", "partner-firefox-beta-staging-alice-b-latest"), None, NOT_ISOLATED, id="longer-namespace-alias"),
]


@pytest.mark.parametrize("resource,services,category", CASES)
def test_classification(resource, services, category):
    assert Classifier(release(services=services)).classify(resource).category == category


def test_own_rule_id_is_isolated_by_namespace():
    rel = release(rule_ids={"alice-firefox-beta": 32, "bob-firefox-beta": 33})
    classify = Classifier(rel).classify
    assert classify(r("balrog", BALROG, "rule", "id 32")).category == NAMESPACE
    assert classify(r("balrog", BALROG, "rule", "id 33")).category == SHARED


@pytest.mark.parametrize("resource", [
    pytest.param(r("googleplay", "play.google.com", "track", "fenix:beta"), id="store"),
    pytest.param(r("balrog", "https://admin.balrog.prod.webservices.mozgcp.net/api", "channel", "alice-beta"), id="production-host"),
    pytest.param(r("archive", "net-mozaws-prod-delivery-firefox", "prefix", "staging/alice/pub/"), id="production-bucket"),
    pytest.param(r("balrog", BALROG, "channel", "beta"), id="production-channel-on-staging-balrog"),
])
def test_production_is_what_the_guard_calls_production(resource):
    """One rule decides production: the class and its reason are the guard's, whatever the name carries."""
    from taskgraph_staging.model.production import resource_reason

    what, why = resource_reason(resource)
    found = Classifier(release()).classify(resource)
    assert (found.category, found.reason) == (PRODUCTION, f"{what} is production: {why}")


def test_without_parameters_nothing_is_shown_namespaced():
    classify = Classifier(None).classify
    assert classify(r("balrog", BALROG, "channel", "alice-beta")).category == NOT_ISOLATED
    assert classify(r("archive", BUCKET, "prefix", "pub/firefox/releases/121.0b3/", PUSH_NOTE)).category == SHARED


def test_reasons_name_what_fixes_the_name():
    classify = Classifier(release()).classify
    assert "beetmover worker's configuration" in classify(r("archive", BUCKET, "prefix", "pub/firefox/releases/121.0b3/", PUSH_NOTE)).reason
    assert "fixed global list" in classify(r("bouncer", BOUNCER, "alias", "firefox-beta-latest")).reason
    assert "numeric ids" in classify(r("balrog", BALROG, "rule", "id 7")).reason
    shipit = classify(r("shipit", SHIPIT, "release", "Firefox-121.0b3-build1"))
    assert "POST /releases" in shipit.reason and shipit.remedy == "a dedicated Ship-it (a library slot)"
    assert classify(r("balrog", BALROG, "channel", "alice-beta")).reason == "the name carries namespace alice (naming)"


def test_a_bouncer_location_is_keyed_by_its_product():
    path = "/firefox/releases/121.0b3/win64/:lang/x.exe"
    a = r("bouncer", BOUNCER, "location", path, "Firefox-121.0b3-staging-alice win64")
    b = r("bouncer", BOUNCER, "location", path, "Firefox-121.0b3-staging-bob win64")
    assert resource_key(a) != resource_key(b)
    assert resource_key(a) == ("bouncer", BOUNCER, "location", f"Firefox-121.0b3-staging-alice {path}")


def test_classification_table_counts_per_family_and_class():
    resources = [
        r("balrog", BALROG, "channel", "alice-beta"),
        r("balrog", BALROG, "channel", "alice-beta-localtest"),
        r("bouncer", BOUNCER, "alias", "firefox-beta-latest"),
    ]
    rows = classification_table(resources, release())
    assert [(row["service"], row["kind"], row["category"], row["count"]) for row in rows] == [
        ("balrog", "channel", NAMESPACE, 2),
        ("bouncer", "alias", SHARED, 1),
    ]


def test_classification_table_tells_writes_names_and_tasks_apart():
    """151 locale submissions to 2 blobs: 151 writes of 2 names by 151 tasks, not "151 blobs"."""
    resources = [Resource("balrog", BALROG, "blob", f"Firefox-121.0b3-build1-staging-alice{suffix}", f"balrog-{locale}")
                 for locale in ("de", "fr", "it") for suffix in ("", "-No-WNP")]
    resources.append(Resource("balrog", BALROG, "blob", "Firefox-121.0b3-build1-staging-alice", "balrog-en-US"))
    [row] = classification_table(resources, release())
    assert (row["count"], row["names"], row["tasks"]) == (7, 2, 4)


def test_renamespacing_gives_the_graph_a_plan_of_the_other_namespace_generates(graph):
    """The cheap derivation the audit tests and benchmark use is exact (task ids aside)."""
    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT
    from taskgraph_staging.model.parameters import staging_release

    from release_graphs import BEHAVIOURS, try_parameters

    params = try_parameters(*BEHAVIOURS[0])
    alice = graph(**params).to_json()
    bob_params = json.loads(json.dumps(params))
    bob_params["staging"]["namespace"] = "bob"
    bob = graph(**bob_params).to_json()
    from taskgraph_staging.analysis.graphs import TRY_DEFAULTS, load_config

    rel = staging_release(dict(TRY_DEFAULTS, **params), load_config(REFERENCE_ROOT))
    derived = json.loads(renamespace_json(json.dumps(alice), rel, "bob"))
    text = json.dumps(derived)
    for label, task in derived.items():  # taskgraph draws fresh task ids per generation
        if "task_id" in task:
            text = text.replace(task["task_id"], bob[label]["task_id"])
    assert json.loads(text) == bob
