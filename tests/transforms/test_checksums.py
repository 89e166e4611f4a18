"""release-generate-checksums on Try: staging bucket, this release's namespaced candidates."""

from issue3_tasks import finished, make_config, run_staging


def test_checksums():
    env = {"BUCKET": "net-mozaws-prod-delivery-firefox", "CANDIDATES_PREFIX": "pub/firefox/candidates/121.0b3-candidates/build1/"}
    task = finished("release-generate-checksums-firefox", "release-generate-checksums", "b-linux-gcp", [], {"env": env})
    out = run_staging(make_config(build_number=2), task)
    assert out["task"]["payload"]["env"] == {
        "BUCKET": "net-mozaws-stage-delivery-firefox",
        "CANDIDATES_PREFIX": "staging/alice/pub/firefox/candidates/121.0b3-candidates/build2/",
    }
