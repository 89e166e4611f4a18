"""partials on Try: previous MARs from production or this namespace's staging archive."""

import pytest

from issue3_tasks import finished, make_config, run_staging
from taskgraph_staging.model.errors import ConfigError

KEY = "pub/firefox/candidates/121.0b2-candidates/build1/update/linux-x86_64/de/firefox-121.0b2.complete.mar"


def partial_task(from_version="121.0b2", build="1"):
    env = {"FROM_MAR_URL": f"https://archive.mozilla.org/{KEY}", "FROM_VERSION": from_version,
           "FROM_BUILD_NUMBER": build, "TO_VERSION": "121.0b3"}
    return finished("partials-linux64-de", "partials", "b-linux-gcp", [], {"env": env}, phase="build")


@pytest.mark.parametrize("source,url", [
    pytest.param("production", f"https://archive.mozilla.org/{KEY}", id="production"),
    pytest.param("staging", f"https://ftp.stage.mozaws.net/staging/alice/{KEY}", id="staging"),
])
def test_from_mar_follows_the_partials_parameter(source, url):
    config = make_config(partials=[{"version": "121.0b2", "build_number": 1, "source": source}])
    out = run_staging(config, partial_task())
    assert out["task"]["payload"]["env"]["FROM_MAR_URL"] == url
    assert out["task"]["extra"]["staging"]["partial-source"] == source


def test_a_partial_not_in_the_parameters_fails():
    config = make_config(partials=[{"version": "121.0b1", "build_number": 1}])
    with pytest.raises(ConfigError, match=r"task partials-linux64-de: builds a partial from 121.0b2, which is not one of the release's partials \(121.0b1\)"):
        run_staging(config, partial_task())


def test_a_build_number_disagreeing_with_the_parameters_fails():
    config = make_config(partials=[{"version": "121.0b2", "build_number": 2}])
    with pytest.raises(ConfigError, match=r"FROM_BUILD_NUMBER 1 disagrees with partial 121.0b2:2:production"):
        run_staging(config, partial_task())
