"""The Balrog, Bouncer and secondary/-next update verify kinds in the real tree's in-tree
staging form give our Try graph (issue 15).

Firefox's tree writes these fields ``by-release-level`` (values read in
SAP/project-foxhound at 8770be4151c7 and 3093648f4551, mirrors of mozilla-firefox/firefox);
the reference kinds write production's. The staging layer changes nothing that is
already staging beyond namespacing it, so the Try graph of the kinds rewritten in the
real tree's form is ours, task for task; at level 3 the staging form is production's.
"""

import dataclasses

import pytest

from release_level import Form, graph_json, kind_file, staging_form_root
from taskgraph_staging.analysis import guard
from taskgraph_staging.analysis.graphs import REFERENCE_ROOT
from taskgraph_staging.staging.transforms.registry import REWRITERS

STAGING_BOUNCER = "https://dev.bouncer.nonprod.webservices.mozgcp.net"
#: The real tree's ``by-release-level: staging`` values of an update verify config's
#: endpoints (its -next and secondary config kinds write them as the primary one does).
UPDATE_VERIFY_STAGING = {
    "archive-prefix": "http://ftp.stage.mozaws.net/pub",
    "previous-archive-prefix": "https://archive.mozilla.org/pub",
    "aus-server": "https://stage.balrog.nonprod.cloudops.mozgcp.net",
    "override-certs": "dep",
}
FORMS = [
    # release-balrog-submit-toplevel and the RC's secondary one: the fileUrls' domains.
    Form("release-balrog-submit-toplevel", "task-defaults", "worker.archive-domain", "ftp.stage.mozaws.net"),
    Form("release-balrog-submit-toplevel", "task-defaults", "worker.download-domain", "dev.bouncer.nonprod.webservices.mozgcp.net"),
    Form("release-secondary-balrog-submit-toplevel", "firefox", "worker.archive-domain", "ftp.stage.mozaws.net"),
    Form("release-secondary-balrog-submit-toplevel", "firefox", "worker.download-domain", "dev.bouncer.nonprod.webservices.mozgcp.net"),
    # The RC's secondary and the ESR's -next update verify configs: the endpoints.
    *(Form("release-secondary-update-verify-config", "firefox", f"extra.{name}", value)
      for name, value in UPDATE_VERIFY_STAGING.items()),
    *(Form("release-update-verify-config-next", "task-defaults", f"extra.{name}", value)
      for name, value in UPDATE_VERIFY_STAGING.items()),
    # release-balrog-scheduling: staging Balrog's rule ids.
    Form("release-balrog-scheduling", "firefox", "worker.publish-rules",
         {"by-release-type": {"beta": [32], "release": [145], "esr140": [3090], "esr153": [3098], "default": []}}),
    # release-bouncer-sub and -aliases: the real tree's scopes name the server by release level.
    Form("release-bouncer-sub", "task-defaults", "worker.bouncer-server", "staging"),
    Form("release-bouncer-aliases", "firefox", "worker.bouncer-server", "staging"),
    Form("release-bouncer-aliases", "devedition", "worker.bouncer-server", "staging"),
    Form("release-partner-repack-bouncer-sub", "firefox", "worker.bouncer-server", "staging"),
    # release-bouncer-check: the real tree's extra-config (bouncer_prefix, cdn_urls).
    Form("release-bouncer-check", "firefox", "worker.env.BOUNCER_REDIRECTOR", STAGING_BOUNCER),
    Form("release-bouncer-check", "firefox", "worker.env.ARCHIVE_PREFIX", "https://ftp.stage.mozaws.net/pub"),
]
RELEASES = {
    "beta-ship": dict(version="121.0b3", build_number=1, target_tasks_method="ship_firefox", shipping_phase="ship", staging={
        "namespace": "alice", "partials": [{"version": "121.0b2", "build_number": 1, "source": "production"}]}),
    "rc-ship": dict(version="121.0", build_number=1, target_tasks_method="ship_firefox_rc", shipping_phase="ship", staging={
        "namespace": "alice", "behavior": "release-rc", "partials": [{"version": "120.0.1", "build_number": 1, "source": "production"}]}),
    "esr-ship": dict(version="115.5.0esr", build_number=1, target_tasks_method="ship_firefox", shipping_phase="ship", staging={
        "namespace": "bob-2", "behavior": "esr", "partials": []}),
}
PRODUCTION = dict(version="121.0b3", app_version="121.0", build_number=1, release_type="beta", release_product="firefox")


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    return staging_form_root(tmp_path_factory.mktemp("forms"), FORMS)


def test_the_staging_form_is_written(staged):
    for kind in {f.kind for f in FORMS}:
        with open(kind_file(staged, kind)) as fh:
            assert "by-release-level" in fh.read(), kind


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_both_forms_give_the_same_try_graph(staged, release):
    ours, real_form = graph_json(REFERENCE_ROOT, RELEASES[release]), graph_json(staged, RELEASES[release])
    assert sorted(ours) == sorted(real_form)
    assert any(label.startswith("release-balrog-scheduling-") for label in ours)
    assert any(label.startswith("release-secondary-balrog-submit-toplevel-") for label in ours) == release.startswith("rc")
    assert any(label.startswith("release-update-verify-config-next-") for label in ours) == release.startswith("esr")
    different = sorted(label for label in ours if ours[label] != real_form[label])
    assert different == []


def test_both_forms_give_the_same_production_graph(staged):
    assert graph_json(staged, PRODUCTION, production=True) == graph_json(REFERENCE_ROOT, PRODUCTION, production=True)


def test_the_forms_differ_before_the_staging_rewrites(staged, monkeypatch):
    """Without the Balrog and Bouncer rewrites the staging form carries the real tree's
    staging values and ours production's: the equality above is the rewrites' doing.
    (The production guard, which refuses our form's production values then, is off.)"""
    monkeypatch.setattr(guard, "check_graph", lambda *args: [])
    for family in ("balrog", "bouncer", "bouncer-check"):
        monkeypatch.setitem(REWRITERS, family, dataclasses.replace(REWRITERS[family], func=lambda ctx, task: None))
    release = RELEASES["beta-ship"]
    ours, real_form = graph_json(REFERENCE_ROOT, release), graph_json(staged, release)
    toplevel = "release-balrog-submit-toplevel-firefox"
    assert ours[toplevel]["task"]["payload"]["archive_domain"] == "archive.mozilla.org"
    assert real_form[toplevel]["task"]["payload"]["archive_domain"] == "ftp.stage.mozaws.net"
    sub = "release-bouncer-sub-firefox"
    assert "project:releng:bouncer:server:production" in ours[sub]["task"]["scopes"]
    assert "project:releng:bouncer:server:staging" in real_form[sub]["task"]["scopes"]
    check = "release-bouncer-check-firefox"
    assert real_form[check]["task"]["payload"]["env"]["BOUNCER_REDIRECTOR"] == STAGING_BOUNCER
    assert ours[check]["task"]["payload"]["env"]["BOUNCER_REDIRECTOR"] == "https://download.mozilla.org"
