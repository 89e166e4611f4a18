"""Release identifiers: parse() reports every violation; derived values."""

import pytest

from taskgraph_staging.model.errors import InvalidValue, StagingError
from taskgraph_staging.model.release import (
    DEFAULT_SERVICES,
    Behavior,
    Namespace,
    Partial,
    Services,
    StagingRelease,
    parse_owner,
    parse_version,
    partial_problem,
)


@pytest.mark.parametrize("text", ["alice", "bob-2", "a1b", "team-rel-eng", "x" * 24])
def test_namespace_accepts(text):
    assert Namespace.parse(text).value == text


@pytest.mark.parametrize(
    "text, problems",
    [
        ("ab", ["'ab' must be 3 to 24 characters long (it has 2)"]),
        ("Alice", ["'Alice' may hold only lowercase letters, digits and single hyphens between them, and must start with a letter"]),
        (
            "Beta_",
            ["'Beta_' may hold only lowercase letters, digits and single hyphens between them, and must start with a letter"],
        ),
        ("alice-beta", ["'alice-beta' uses the reserved word(s) beta, which production names are made of"]),
        (
            "Release-x" + "y" * 30,
            [
                f"'Release-x{'y' * 30}' must be 3 to 24 characters long (it has 39)",
                f"'Release-x{'y' * 30}' may hold only lowercase letters, digits and single hyphens between them, "
                "and must start with a letter",
            ],
        ),
        (
            "1-release",
            [
                "'1-release' may hold only lowercase letters, digits and single hyphens between them, and must start with a letter",
                "'1-release' uses the reserved word(s) release, which production names are made of",
            ],
        ),
        ("a--b", ["'a--b' may hold only lowercase letters, digits and single hyphens between them, and must start with a letter"]),
    ],
)
def test_namespace_reports_every_violation(text, problems):
    with pytest.raises(InvalidValue) as info:
        Namespace.parse(text)
    assert info.value.problems == problems
    assert str(info.value).startswith("namespace: ")


def test_namespace_rejects_non_strings():
    with pytest.raises(InvalidValue, match=r"^ns: must be a string, not int$"):
        Namespace.parse(3, where="ns")


@pytest.mark.parametrize(
    "user, expected",
    [
        ("alice@example.com", "alice"),
        ("Alice.Smith@example.com", "alice-smith"),
        ("release@mozilla.com", "releasex"),
        ("beta-tester", "betax-tester"),
        ("42", "u42"),
        ("", "anonymous"),
        (None, "anonymous"),
        ("jo", "jox"),
        ("a" * 40 + "@x", "a" * 24),
    ],
)
def test_namespace_from_user(user, expected):
    assert Namespace.from_user(user).value == expected


@pytest.mark.parametrize(
    "version, family, behavior, release_type",
    [
        ("121.0b3", "desktop", "beta", "beta"),
        ("121.0", "desktop", "release", "release"),
        ("121.0.1", "desktop", "release", "release"),
        ("115.5.0esr", "desktop", "esr", "esr115"),
        ("121.0b3", "android", "beta", "beta"),
        ("121.0", "android", "release", "release"),
    ],
)
def test_behavior_from_version(version, family, behavior, release_type):
    b = Behavior.from_version(version, family)
    assert b.value == behavior
    assert b.release_type(version, family) == release_type


def test_explicit_behavior_overrides_the_version():
    rc = Behavior.parse("release-rc")
    assert (rc.release_type("121.0b3"), rc.channel, rc.is_rc) == ("release-rc", "release", True)
    assert Behavior.parse("esr").release_type("128.3.0esr") == "esr128"
    assert Behavior.parse("beta").channel == "beta"


@pytest.mark.parametrize("text", ["rc", "Beta", "", None, "nightly"])
def test_behavior_rejects(text):
    with pytest.raises(InvalidValue, match=r"^behavior: .* is not one of beta, release, release-rc, esr$"):
        Behavior.parse(text)


@pytest.mark.parametrize(
    "text, match",
    [
        ("", r"^version: a version is required"),
        (None, r"^version: a version is required"),
        ("121", r"^version: '121' is not a valid desktop version"),
        ("121.0a1", r"^version: '121.0a1' is a nightly version"),
        ("121.0b3esr", r"^version: '121.0b3esr' is not a valid desktop version"),
        # mozilla-version reads any script's digits: this was taken for 121.0.
        ("\uff11\uff12\uff11.0", r"^version: '\uff11\uff12\uff11.0' is not a valid desktop version; .* \(ASCII digits only\)$"),
        ("0.0", r"^version: '0.0' is no release's version: its major version runs from 1 to 999, its other numbers up to 999$"),
        ("9" * 40 + ".0", r"^version: '9{40}.0' is no release's version"),
        ("121.0b1000", r"^version: '121.0b1000' is no release's version"),
    ],
)
def test_parse_version_rejects(text, match):
    with pytest.raises(InvalidValue, match=match):
        parse_version(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("120.0b9:1", Partial("120.0b9", 1, "production")),
        ("120.0b9:2:staging", Partial("120.0b9", 2, "staging")),
        ("115.4.0esr:1:production", Partial("115.4.0esr", 1, "production")),
    ],
)
def test_partial_parse(text, expected):
    partial = Partial.parse(text)
    assert partial == expected
    assert Partial.from_dict(partial.to_dict()) == partial
    assert str(partial) == f"{expected.version}:{expected.build_number}:{expected.source}"


@pytest.mark.parametrize(
    "text, problems",
    [
        ("120.0b9", ["'120.0b9' must look like VERSION:BUILD[:production|staging], e.g. 120.0b9:1"]),
        ("120.0b9:1:staging:x", ["'120.0b9:1:staging:x' must look like VERSION:BUILD[:production|staging], e.g. 120.0b9:1"]),
        (
            "nope:0:elsewhere",
            [
                "'nope' is not a valid desktop version; expected a version like 121.0b3, 121.0, 121.0.1 or 115.5.0esr",
                "build number '0' must be a whole number from 1 to 999",
                "source 'elsewhere' must be one of production, staging",
            ],
        ),
        ("120.0b9:x", ["build number 'x' must be a whole number from 1 to 999"]),
        ("120.0b9:1\n", ["build number '1\\n' must be a whole number from 1 to 999"]),
        ("120.0b9: 1", ["build number ' 1' must be a whole number from 1 to 999"]),
        (f"120.0b9:{10**30}", [f"build number '{10**30}' must be a whole number from 1 to 999"]),
    ],
)
def test_partial_reports_every_violation(text, problems):
    with pytest.raises(InvalidValue) as info:
        Partial.parse(text)
    assert [p.split(" (")[0] for p in info.value.problems] == problems


@pytest.mark.parametrize("partial, version, problem", [
    ("121.0b3", "121.0b3", "121.0b3 is the release 121.0b3; a partial updates from an earlier release"),
    ("121.0b4", "121.0b3", "121.0b4 is newer than the release 121.0b3; a partial updates from an earlier release"),
    ("121.0", "121.0b9", "121.0 is newer than the release 121.0b9; a partial updates from an earlier release"),
    ("115.5.0esr", "115.4.0esr", "115.5.0esr is newer than the release 115.4.0esr; a partial updates from an earlier release"),
    ("120.0b9", "121.0b3", None),
    ("121.0b9", "121.0", None),
])
def test_a_partial_updates_from_an_earlier_release(partial, version, problem):
    assert partial_problem(partial, version) == problem


@pytest.mark.parametrize("text", ["alice@example.com", "Alice.Smith+staging@mail.example.org", "a" * 64 + "@" + "b" * 63 + ".com"])
def test_owner_accepts_an_email_address(text):
    assert parse_owner(text) == text


@pytest.mark.parametrize("text, problem", [
    ("bob", "'bob' is not an email address (like alice@example.com); notifications go to the owner"),
    ("@", "'@' is not an email address"),
    ("bob@localhost", "'bob@localhost' is not an email address"),
    ("bob\n@example.com", "'bob\\n@example.com' is not an email address"),
    ("a" * 65 + "@example.com", "'" + "a" * 40 + "'... (77 characters) is not an email address"),
    ("a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".com", "... (260 characters) is too long: an owner has at most 222 characters, "
                                                        "so that its notification routes fit Taskcluster's 249"),
    (None, "must be a string, not NoneType"),
])
def test_owner_refuses(text, problem):
    with pytest.raises(InvalidValue) as raised:
        parse_owner(text, where="--owner")
    assert raised.value.one_line().startswith("--owner: ")
    assert problem in raised.value.one_line()


def test_partial_from_dict_locales():
    partial = Partial.from_dict({"version": "120.0", "buildNumber": 3, "locales": ["de", "fr"]})
    assert partial == Partial("120.0", 3, "production", ("de", "fr"))
    assert partial.to_dict() == {"version": "120.0", "build_number": 3, "source": "production", "locales": ["de", "fr"]}
    with pytest.raises(InvalidValue, match="locales must be a list of locale codes"):
        Partial.from_dict({"version": "120.0", "build_number": 3, "locales": "de"})


def test_services_default_to_shared_staging():
    services = Services.from_dict(None)
    assert services.to_dict() == DEFAULT_SERVICES
    assert not services.is_dedicated("archive")


def test_services_extras_round_trip():
    data = {
        "archive_bucket": "staging-slot-2",
        "dedicated": ["archive", "balrog"],
        "pools": {"beetmover": "scriptworker-k8s/gecko-1-beetmover-slot2"},
        "rule_ids": {"alice-firefox-beta": 101},
    }
    services = Services.from_dict(data)
    assert services.is_dedicated("balrog") and not services.is_dedicated("bouncer")
    assert services.pool("beetmover") == "scriptworker-k8s/gecko-1-beetmover-slot2"
    assert services.to_dict() == dict(DEFAULT_SERVICES, **data)


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"balrog_admin": "https://aus5.mozilla.org/api"}, "balrog_admin 'https://aus5.mozilla.org/api' is production (the production Balrog update server); use a staging instance"),
        ({"bouncer_redirector": "https://download.mozilla.org"}, "is production (the production Bouncer redirector)"),
        ({"archive_domain": "archive.mozilla.org"}, "is production (the production archive)"),
        ({"archive_bucket": "net-mozaws-prod-delivery-firefox"}, "is production (the production release bucket)"),
        ({"shipit": "https://shipit-api.mozilla-releng.net"}, "is production (the production Ship-it)"),
        ({"balrog_admin": "ftp://x.example"}, "must be an http(s) URL with a host name"),
        ({"archive_domain": "https://ftp.example"}, "must be a bare host name"),
        ({"archive_bucket": "UPPER"}, "is not a valid S3 bucket name"),
        # A trailing newline matched '$' before (issue 12): whole strings only.
        ({"archive_bucket": "net-mozaws-prod-delivery-firefox\n"}, "holds whitespace or a control character"),
        ({"archive_domain": "archive.mozilla.org\n"}, "holds whitespace or a control character"),
        ({"balrog_admin": "https://balrog.staging.example/api\n"}, "holds whitespace or a control character"),
        ({"shipit": " https://shipit.staging.example"}, "holds whitespace or a control character"),
        ({"shipit": ""}, "shipit must be a non-empty string"),
        ({"ballrog_admin": "https://x.example"}, "unknown service(s) ballrog_admin"),
        ({"dedicated": ["everything"]}, "dedicated must list some of archive, balrog, bouncer, shipit"),
        ({"pools": {"beetmover": "no-slash"}}, "pools must map a family to 'provisioner/worker-type'"),
        ({"rule_ids": {"a": "1"}}, "rule_ids must map a rule alias to a numeric rule id"),
        # Lists are unhashable: a set of them raised TypeError (issue 20).
        ({"dedicated": [["archive"]]}, "dedicated must list some of archive, balrog, bouncer, shipit"),
        # YAML's true is a Python int.
        ({"rule_ids": {"a": True}}, "rule_ids must map a rule alias to a numeric rule id (a whole number of 1 or more)"),
        ({"rule_ids": {"a": 0}}, "rule_ids must map a rule alias to a numeric rule id (a whole number of 1 or more)"),
    ],
)
def test_services_reject(data, problem):
    with pytest.raises(InvalidValue) as info:
        Services.from_dict(data)
    assert any(problem in p for p in info.value.problems), info.value.problems


def test_services_report_every_violation():
    with pytest.raises(InvalidValue) as info:
        Services.from_dict({"balrog_admin": "https://aus5.mozilla.org", "archive_bucket": "net-mozaws-prod-delivery-firefox"})
    assert len(info.value.problems) == 2
    assert isinstance(info.value, StagingError)


def test_staging_release_derived_values():
    rel = StagingRelease("firefox", "115.5.0esr", 2, Namespace("alice"), Behavior("esr"), services=Services.from_dict({}))
    assert (rel.display_product, rel.release_type) == ("Firefox", "esr115")
    assert StagingRelease("fenix", "121.0b3", 1, Namespace("bob"), Behavior("beta"), family="android").display_product == "Fenix"


@pytest.mark.parametrize("text", ["alice\n", "alice\r", "ali\x00ce"])
def test_namespace_refuses_control_characters(text):
    with pytest.raises(InvalidValue):
        Namespace.parse(text)
