"""Bouncer locations (bouncerscript's ``locations`` action) on Try: only the server changes.

The action bumps the locations of fixed nightly products; the staging Bouncer has its
own, so the Try form keeps the payload, points the task at the staging server and says so.
"""

from issue3_tasks import PREFIX, finished, make_config, run_staging

PAYLOAD = {"bouncer_products": ["firefox-nightly-latest", "firefox-nightly-latest-ssl"], "version": "121.0b3", "product": "firefox"}


def locations():
    return finished(
        "release-bouncer-locations-firefox", "release-bouncer-locations", "gecko-3-bouncer",
        [f"{PREFIX}:bouncer:action:locations", f"{PREFIX}:bouncer:server:production"],
        dict(PAYLOAD), phase="ship",
    )


def test_locations_run_on_the_staging_bouncer_with_the_payload_kept():
    out = run_staging(make_config(), locations())
    assert out["task"]["payload"] == PAYLOAD
    assert out["task"]["scopes"] == [f"{PREFIX}:bouncer:action:locations", f"{PREFIX}:bouncer:server:staging"]
    assert out["task"]["metadata"]["description"].endswith(
        "\n\nStaging: bumps the nightly locations of the staging Bouncer https://admin.dev.bouncer.nonprod.webservices.mozgcp.net/api."
    )
    assert "bouncer" in out["task"]["extra"]["staging"]


def test_locations_follow_a_library_slots_bouncer_pool():
    services = {"pools": {"bouncer": "scriptworker-k8s/gecko-1-bouncer-lib-one"}}
    out = run_staging(make_config(services=services), locations())
    assert (out["task"]["provisionerId"], out["task"]["workerType"]) == ("scriptworker-k8s", "gecko-1-bouncer-lib-one")
