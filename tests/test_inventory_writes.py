"""What a task writes, for the payload shapes tests/test_inventory.py leaves out: landoscript,
pinned Balrog channels, beetmover's dataMap, partner push-to-releases, Bouncer locations,
ship-it without a release and a server word no table knows. The guard and the audit read
these resources, so a missing one is a production write or a collision nobody sees.
"""

import os

from upstream_source import module_constant, module_function

from taskgraph_staging.analysis.inventory import Resource, inventory
from taskgraph_staging.model import naming
from taskgraph_staging.model.release import DEFAULT_SERVICES

P = "project:releng"


def task(label, kind, scopes=(), payload=None):
    return {
        "label": label,
        "task": {"tags": {"kind": kind}, "scopes": list(scopes), "payload": payload or {}, "routes": []},
        "attributes": {},
        "dependencies": {},
    }


LANDO = {
    "lando_repo": "firefox-beta",
    "actions": ["tag", "version_bump"],
    "tag_info": {"revision": "a" * 40, "tags": ["FIREFOX_121_0b3_BUILD1"]},
    "version_bump_info": {"next_version": "121.0b4", "files": ["browser/config/version.txt"]},
}


def test_landoscript_lands_its_tags_and_bumps_on_its_repository():
    t = task("release-early-tagging-firefox", "release-early-tagging", [f"{P}:lando:repo:firefox-beta"], dict(LANDO))
    assert inventory(t, P) == [
        Resource("vcs", "lando:firefox-beta", "tag", "FIREFOX_121_0b3_BUILD1", t["label"]),
        Resource("vcs", "lando:firefox-beta", "bump", "browser/config/version.txt", t["label"], "-> 121.0b4"),
    ]
    # Without lando_repo in the payload, the repository is the scope's.
    t["task"]["payload"].pop("lando_repo")
    assert {r.instance for r in inventory(t, P)} == {"lando:firefox-beta"}


def test_a_landoscript_dry_run_writes_nothing():
    t = task("release-early-tagging-firefox", "release-early-tagging", [f"{P}:lando:repo:staging-firefox"], dict(LANDO, dry_run=True))
    assert inventory(t, P) == []


def test_pinned_balrog_channels_are_written():
    t = task("release-balrog-scheduling-firefox", "release-balrog-scheduling", [f"{P}:balrog:server:dep"],
             {"pin_channels": ["alice-beta"]})
    assert inventory(t, P) == [
        Resource("balrog", DEFAULT_SERVICES["balrog_admin"], "channel", "alice-beta", t["label"], "pinned"),
    ]


def test_beetmover_data_map_destinations_are_archive_prefixes():
    t = task("release-beetmover-signed-langpacks", "beetmover", [f"{P}:beetmover:bucket:dep"], {
        "dataMap": [{"data": {"a": 1}, "destinations": ["staging/alice/pub/firefox/candidates/121.0b3-candidates/build1/KEY"]}],
    })
    assert inventory(t, P) == [
        Resource("archive", DEFAULT_SERVICES["archive_bucket"], "prefix",
                 "staging/alice/pub/firefox/candidates/121.0b3-candidates/build1/", t["label"]),
    ]


def test_push_to_releases_also_writes_each_partners_directory():
    t = task("release-partner-repack-beetmover-push", "release-beetmover-push-to-release",
             [f"{P}:beetmover:bucket:dep", f"{P}:beetmover:action:push-to-releases"],
             {"product": "firefox", "version": "121.0", "build_number": 1, "partners": ["acme", "initech"]})
    assert [r.name for r in inventory(t, P)] == [
        "pub/firefox/releases/121.0/",
        "pub/firefox/releases/partners/acme/121.0/",
        "pub/firefox/releases/partners/initech/121.0/",
    ]
    assert len({r.note for r in inventory(t, P)}) == 1  # each says push-to-releases computes it


def test_bouncer_locations_name_their_products():
    t = task("release-bouncer-locations-firefox", "release-bouncer-locations",
             [f"{P}:bouncer:server:staging", f"{P}:bouncer:action:locations"],
             {"bouncer_products": ["firefox-nightly-latest"], "product": "firefox", "version": "121.0b3"})
    assert inventory(t, P) == [
        Resource("bouncer", DEFAULT_SERVICES["bouncer_admin"], "location", "firefox-nightly-latest", t["label"],
                 "locations of firefox 121.0b3"),
    ]


def test_shipit_without_a_release_name_writes_nothing():
    t = task("release-mark-as-shipped-firefox", "release-mark-as-shipped", [f"{P}:ship-it:server:staging"], {})
    assert inventory(t, P) == []


def test_an_unknown_bucket_word_is_named_not_guessed():
    t = task("beetmover-repackage-linux64", "beetmover-repackage", [f"{P}:beetmover:bucket:mystery"],
             {"dataMap": [{"destinations": ["pub/firefox/x/KEY"]}]})
    [resource] = inventory(t, P)
    assert resource.instance == "archive 'mystery' (not a known instance)"
    # Balrog, Bouncer and ship-it know every other word as production.
    t = task("release-bouncer-aliases-firefox", "release-bouncer-aliases", [f"{P}:bouncer:server:mystery"],
             {"aliases_entries": {"firefox-beta-latest": "Firefox-121.0b3"}})
    assert [r.instance for r in inventory(t, P)] == ["https://admin.prod.bouncer.prod.webservices.mozgcp.net/api"]


def test_partner_releases_directory_is_beetmoverscripts_own(shared_dir):
    """push-to-releases copies a partner's repacks where beetmoverscript's
    ``get_partner_releases_prefix`` puts them, for every product it knows."""
    source = os.path.join(shared_dir, "upstream", "scriptworker-scripts", "beetmoverscript", "src", "beetmoverscript")
    product_paths = module_constant(os.path.join(source, "constants.py"), "PRODUCT_TO_PATH")
    prefix = module_function(os.path.join(source, "utils.py"), "get_partner_releases_prefix", PRODUCT_TO_PATH=product_paths)
    for product in ("firefox", "devedition"):
        for partner in ("acme", "acme/acme-desktop"):
            assert naming.production_partner_releases_dir(product, "121.0", partner) == prefix(product, "121.0", partner)
