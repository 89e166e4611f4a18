"""Partner repacks on Try: the staging partner configuration."""

import pytest

from issue3_tasks import finished, make_config, run_staging
from taskgraph_staging.model.errors import ConfigError


def repack(url):
    return finished("release-partner-repack-linux64", "release-partner-repack", "b-linux-gcp", [],
                    {"env": {"REPACK_MANIFESTS_URL": url, "VERSION": "121.0b3"}})


@pytest.mark.parametrize("url,staged", [
    pytest.param("git@github.com:mozilla-partners/repack-manifests.git",
                 "git@github.com:moz-releng-automation-stage/repack-manifests.git", id="ssh"),
    pytest.param("https://github.com/mozilla-partners/mozilla-EME-free-manifest",
                 "https://github.com/moz-releng-automation-stage/mozilla-EME-free-manifest", id="eme-free"),
])
def test_staging_partner_configuration(url, staged):
    out = run_staging(make_config(), repack(url))
    assert out["task"]["payload"]["env"] == {"REPACK_MANIFESTS_URL": staged, "VERSION": "121.0b3"}


def test_unknown_configuration_fails():
    with pytest.raises(ConfigError, match=r"REPACK_MANIFESTS_URL 'git@github.com:someone/manifests.git' is neither a production"):
        run_staging(make_config(), repack("git@github.com:someone/manifests.git"))
