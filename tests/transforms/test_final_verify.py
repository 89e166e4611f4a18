"""final verify on Try: the namespace's channel, archive and the staging redirector."""

import pytest

from issue3_tasks import finished, make_config, run_staging

ENV = {"CHANNEL": "beta", "AUS_SERVER": "https://aus5.mozilla.org", "ARCHIVE_PREFIX": "https://archive.mozilla.org/pub",
       "BOUNCER_REDIRECTOR": "https://download.mozilla.org"}


@pytest.mark.parametrize("services,channel,said", [
    pytest.param({}, "alice-beta-localtest", True, id="shared-bouncer"),
    pytest.param({"dedicated": ["bouncer"]}, "alice-beta", False, id="dedicated-bouncer"),
])
def test_final_verify(services, channel, said):
    task = finished("release-final-verify-firefox", "release-final-verify", "b-linux-gcp", [], {"env": dict(ENV)}, phase="ship")
    out = run_staging(make_config(services=services), task)
    assert out["task"]["payload"]["env"] == {
        "CHANNEL": channel,
        "AUS_SERVER": "https://stage.balrog.nonprod.cloudops.mozgcp.net",
        "ARCHIVE_PREFIX": "https://ftp.stage.mozaws.net/staging/alice/pub",
        "BOUNCER_REDIRECTOR": "https://dev.bouncer.nonprod.webservices.mozgcp.net",
    }
    assert ("the Bouncer is shared" in out["task"]["metadata"]["description"]) is said


@pytest.mark.parametrize("services,shared", [
    pytest.param({}, True, id="shared-bouncer"),
    pytest.param({"dedicated": ["bouncer"]}, False, id="dedicated-bouncer"),
])
def test_final_verify_on_the_config_urls_is_left_as_it_is(services, shared):
    """Firefox's form: final-verification.sh on the config tasks' cfg URLs, which their Try form already rewrote."""
    text = ("tools/update-verify/release/final-verification.sh <release-update-verify-config-a/public/build/update-verify.cfg> "
            "<release-update-verify-config-b/public/build/update-verify.cfg>")
    payload = {"env": {}, "command": ["/usr/local/bin/run-task", "--", "bash", "-cx", {"artifact-reference": text}]}
    task = finished("release-final-verify-firefox", "release-final-verify", "b-linux-gcp", [], payload, phase="push")
    out = run_staging(make_config(services=services), task)
    assert out["task"]["payload"] == payload
    description = out["task"]["metadata"]["description"]
    assert "final-verification.sh reads this release's update verify configs, whose channel (alice-beta-localtest" in description
    assert ("the Bouncer is shared: the -cdntest fileUrls" in description) is shared
    assert out["task"]["extra"]["staging"].get("final-verify-shared-bouncer", False) is shared
