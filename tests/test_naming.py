"""Every namespaced name, for one fixed staging release (and a dedicated archive)."""

import pytest

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import InvalidValue
from taskgraph_staging.model.release import Behavior, Namespace, Services, StagingRelease

SHARED = StagingRelease(
    product="firefox",
    version="121.0b3",
    build_number=2,
    namespace=Namespace("alice"),
    behavior=Behavior("release-rc"),
    services=Services.from_dict({}),
)
DEDICATED = StagingRelease(
    product="firefox",
    version="121.0b3",
    build_number=2,
    namespace=Namespace("alice"),
    behavior=Behavior("beta"),
    services=Services.from_dict({"archive_bucket": "staging-slot-1", "archive_domain": "slot1.example.net", "dedicated": ["archive"]}),
)


@pytest.mark.parametrize(
    "name, rel, expected",
    [
        ("archive_root", SHARED, "staging/alice/"),
        ("candidates_dir", SHARED, "staging/alice/pub/firefox/candidates/121.0b3-candidates/build2/"),
        ("releases_dir", SHARED, "staging/alice/pub/firefox/releases/121.0b3/"),
        ("archive_url", SHARED, "https://ftp.stage.mozaws.net/staging/alice/"),
        ("archive_pub_prefix", SHARED, "https://ftp.stage.mozaws.net/staging/alice/pub"),
        ("balrog_archive_domain", SHARED, "ftp.stage.mozaws.net/staging/alice"),
        ("blob_suffix", SHARED, "-staging-alice"),
        ("blob_name", SHARED, "Firefox-121.0b3-build2-staging-alice"),
        ("shipit_release_name", SHARED, "Firefox-121.0b3-build2"),
        ("production_vcs_tags", SHARED, ["FIREFOX_121_0b3_BUILD2", "FIREFOX_121_0b3_RELEASE"]),
        ("archive_root", DEDICATED, ""),
        ("candidates_dir", DEDICATED, "pub/firefox/candidates/121.0b3-candidates/build2/"),
        ("releases_dir", DEDICATED, "pub/firefox/releases/121.0b3/"),
        ("archive_pub_prefix", DEDICATED, "https://slot1.example.net/pub"),
        ("balrog_archive_domain", DEDICATED, "slot1.example.net"),
        ("blob_name", DEDICATED, "Firefox-121.0b3-build2-staging-alice"),
        ("shipit_release_name", DEDICATED, "Firefox-121.0b3-build2"),
    ],
)
def test_release_names(name, rel, expected):
    assert getattr(naming, name)(rel) == expected


@pytest.mark.parametrize("channel, expected", [
    pytest.param("beta", "alice-beta-localtest", id="shipping-channel"),
    pytest.param("beta-localtest", "alice-beta-localtest", id="localtest"),
    # An ESR's "next" channels keep -next last, as production names them.
    pytest.param("esr-localtest-next", "alice-esr-localtest-next", id="next-localtest"),
    pytest.param("esr-next", "alice-esr-localtest-next", id="next"),
])
def test_update_verify_channel(channel, expected):
    assert naming.update_verify_channel(SHARED, channel) == expected


def test_the_schedule_rule_alias_of_another_channel():
    rc = StagingRelease("firefox", "121.0", 1, Namespace("alice"), Behavior("release-rc"), services=SHARED.services)
    assert naming.balrog_release_rule_alias(rc) == "alice-firefox-release"
    assert naming.balrog_release_rule_alias(rc, "beta") == "alice-firefox-beta"
    assert rc.behavior.secondary_channels == ("beta",) and Behavior("release").secondary_channels == ()


def test_names_with_an_argument():
    assert naming.archive_url(SHARED, "pub/firefox/x.txt") == "https://ftp.stage.mozaws.net/staging/alice/pub/firefox/x.txt"
    assert naming.balrog_channel(SHARED, "beta-localtest") == "alice-beta-localtest"
    assert naming.balrog_rule_alias(SHARED, "firefox-beta") == "alice-firefox-beta"
    assert naming.vcs_tag(SHARED, "FIREFOX_121_0b3_BUILD2") == "FIREFOX_121_0b3_BUILD2_STAGING_ALICE"
    assert naming.vcs_tag(
        StagingRelease("firefox", "121.0", 1, Namespace("team-rel-eng"), Behavior("release"), services=SHARED.services),
        "FIREFOX_121_0_RELEASE",
    ) == "FIREFOX_121_0_RELEASE_STAGING_TEAM_REL_ENG"
    assert naming.production_vcs_tags(SHARED, kinds=("buildN",)) == ["FIREFOX_121_0b3_BUILD2"]
    assert naming.notification_subject(SHARED, "promote") == "[staging alice] Firefox 121.0b3 build2 (release-rc) promote phase"


def test_production_paths_are_what_push_to_releases_computes():
    assert naming.production_candidates_dir("firefox", "121.0b3", 2) == "pub/firefox/candidates/121.0b3-candidates/build2/"
    assert naming.production_releases_dir("firefox", "121.0b3") == "pub/firefox/releases/121.0b3/"
    # On a dedicated archive the staging release's paths are production's, so push-to-releases finds them.
    assert naming.candidates_dir(DEDICATED) == naming.production_candidates_dir("firefox", "121.0b3", 2)


@pytest.mark.parametrize(
    "rest, ends",
    [
        ("", True),
        ("-beta-localtest", True),
        ("-esr115", True),
        ("-SSL", True),
        ("-No-WNP", True),
        ("-b-beta", False),
        ("-esr115x", False),
        ("b", False),
    ],
)
def test_ends_namespace(rest, ends):
    from taskgraph_staging.model.naming import ends_namespace

    assert ends_namespace(rest) is ends


def test_esr_segments_are_reserved():
    with pytest.raises(InvalidValue, match="reserved word"):
        Namespace.parse("alice-esr115")
