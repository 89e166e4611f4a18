"""bouncer check on Try: exactly this release's products on the staging redirector."""

import pytest

from issue3_tasks import finished, make_config, run_staging
from taskgraph_staging.model.errors import ConfigError


def check(products):
    env = {"BOUNCER_REDIRECTOR": "https://download.mozilla.org", "PRODUCTS": products,
           "ARCHIVE_PREFIX": "https://archive.mozilla.org/pub"}
    return finished("release-bouncer-check-firefox", "release-bouncer-check", "b-linux-gcp", [], {"env": env}, phase="push")


def test_products_are_this_releases():
    out = run_staging(make_config(), check("Firefox-121.0b3,Firefox-121.0b3-SSL,Firefox-121.0b3-Partial-121.0b2"))
    assert out["task"]["payload"]["env"] == {
        "BOUNCER_REDIRECTOR": "https://dev.bouncer.nonprod.webservices.mozgcp.net",
        "PRODUCTS": "Firefox-121.0b3-staging-alice,Firefox-121.0b3-staging-alice-SSL,Firefox-121.0b3-staging-alice-Partial-121.0b2",
        "ARCHIVE_PREFIX": "https://ftp.stage.mozaws.net/staging/alice/pub",
    }


def test_rc_products_keep_their_build():
    out = run_staging(make_config(version="121.0", behavior="release-rc"), check("Firefox-121.0build1-Complete Firefox-121.0-SSL"))
    assert out["task"]["payload"]["env"]["PRODUCTS"] == "Firefox-121.0build1-staging-alice-Complete Firefox-121.0-staging-alice-SSL"


def test_a_product_of_another_release_fails():
    with pytest.raises(ConfigError, match=r"Bouncer product 'Firefox-120.0' does not start with Firefox-121.0b3"):
        run_staging(make_config(), check("Firefox-120.0"))
