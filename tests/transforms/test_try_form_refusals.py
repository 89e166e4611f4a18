"""A production task the staging layer cannot give a Try form fails generation with one
error naming the task, what is wrong and the fix, instead of a graph a worker would refuse.
"""

import copy

import pytest

from issue3_tasks import PREFIX, finished, make_config, run_staging
from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.staging.transforms import staging

V = "121.0b3"


def bouncer_task(label, kind, action, payload, product="firefox"):
    return finished(
        label, kind, "gecko-3-bouncer",
        [f"{PREFIX}:bouncer:action:{action}", f"{PREFIX}:bouncer:server:production"],
        payload, product=product,
    )


def refusal(config, task):
    with pytest.raises(ConfigError) as info:
        run_staging(config, task)
    line = info.value.one_line()
    assert line == str(info.value), "a refusal is one line"
    return line


def test_a_location_on_a_platform_bouncer_does_not_know_fails():
    path = f"/firefox/releases/{V}/linux-x86_64/:lang/firefox-{V}.tar.xz"
    task = bouncer_task("release-bouncer-sub-firefox", "release-bouncer-sub", "submission", {
        "submission_entries": {f"Firefox-{V}-SSL": {"options": {}, "paths_per_bouncer_platform": {"beos": path}}},
    })
    line = refusal(make_config(), task)
    assert line.startswith("task release-bouncer-sub-firefox: platform 'beos' of 'Firefox-121.0b3-staging-alice-SSL' is not a Bouncer platform")
    assert line.endswith("; the Try form must pass bouncerscript's checks; fix the kind's paths or the namespace")


def test_devedition_aliases_have_no_try_form_on_a_shared_bouncer(caplog):
    # bouncerscript's partner aliases exist for Firefox products only and its Devedition
    # aliases take production's names only: on a shared Bouncer the task is left out.
    task = bouncer_task("release-bouncer-aliases-devedition", "release-bouncer-aliases", "aliases", {
        "aliases_entries": {"firefox-devedition-latest-ssl": f"Devedition-{V}-SSL"},
    }, product="devedition")
    assert list(staging.transforms(make_config(), [copy.deepcopy(task)])) == []
    # Said where a plan's user reads it (a warning reaches stderr without logging set up), with why.
    (record,) = [r for r in caplog.records if "left out" in r.getMessage()]
    assert record.levelname == "WARNING"
    assert "release-bouncer-aliases-devedition has no Try form" in record.getMessage()
    assert "a dedicated Bouncer (services.dedicated: [bouncer]) runs it" in record.getMessage()
    # On a dedicated Bouncer the production alias is kept, and bouncerscript accepts it.
    out = run_staging(make_config(services={"dedicated": ["bouncer"]}), task)
    assert out["task"]["payload"]["aliases_entries"] == {"firefox-devedition-latest-ssl": f"Devedition-{V}-SSL"}


def test_an_alias_bouncerscript_would_refuse_fails_on_a_dedicated_bouncer():
    task = bouncer_task("release-bouncer-aliases-firefox", "release-bouncer-aliases", "aliases", {
        "aliases_entries": {"firefox-latest-ssl": f"Firefox-{V}-SSL"},  # the release alias at a beta
    })
    line = refusal(make_config(services={"dedicated": ["bouncer"]}), task)
    assert line.startswith("task release-bouncer-aliases-firefox: alias 'firefox-latest-ssl' may not point at 'Firefox-121.0b3-SSL'")
    assert line.endswith("; the Try form must pass bouncerscript's alias checks")


def test_a_checked_product_bouncerscript_cannot_classify_fails():
    env = {"BOUNCER_REDIRECTOR": "https://download.mozilla.org", "PRODUCTS": f"Fenix-{V}",
           "ARCHIVE_PREFIX": "https://archive.mozilla.org/pub"}
    task = finished("release-bouncer-check-fenix", "release-bouncer-check", "b-linux-gcp", [], {"env": env},
                    phase="push", product="fenix")
    line = refusal(make_config(), task)
    assert line == (
        "task release-bouncer-check-fenix: Bouncer product 'Fenix-121.0b3-staging-alice' matches none of "
        "bouncerscript's product patterns"
    )


def test_a_partial_from_a_url_outside_an_archive_fails():
    env = {"FROM_MAR_URL": "https://example.com/firefox-121.0b2.complete.mar", "FROM_VERSION": "121.0b2",
           "FROM_BUILD_NUMBER": "1", "TO_VERSION": V}
    task = finished("partials-linux64-de", "partials", "b-linux-gcp", [], {"env": env}, phase="build")
    line = refusal(make_config(partials=[{"version": "121.0b2", "build_number": 1}]), task)
    assert line == (
        "task partials-linux64-de: FROM_MAR_URL 'https://example.com/firefox-121.0b2.complete.mar' "
        "is not an archive URL under /pub/"
    )


def test_partner_manifests_outside_github_fail():
    url = "https://hg.example.com/partner-manifests"
    task = finished("release-partner-repack-linux64", "release-partner-repack", "b-linux-gcp", [],
                    {"env": {"REPACK_MANIFESTS_URL": url, "VERSION": V}})
    line = refusal(make_config(), task)
    assert line == f"task release-partner-repack-linux64: REPACK_MANIFESTS_URL {url!r} is not a GitHub repository URL"
