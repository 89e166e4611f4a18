"""Version files, migrations and locale limits: pure edits."""

import pytest

from taskgraph_staging.model.errors import ConfigError, InvalidValue
from taskgraph_staging.interfaces.push.versions import (
    apply_migrations,
    format_fields,
    limit_locales,
    set_version,
    version_values,
)
from taskgraph_staging.model.versions import next_version


@pytest.mark.parametrize(
    "version, family, values, bumped",
    [
        pytest.param("121.0b3", "desktop", {"version": "121.0b3", "app-version": "121.0", "milestone": "121.0"}, "121.0b4", id="beta"),
        pytest.param("121.0", "desktop", {"version": "121.0", "app-version": "121.0", "milestone": "121.0"}, "121.0.1", id="release"),
        pytest.param("121.0.2", "desktop", {"version": "121.0.2", "app-version": "121.0.2", "milestone": "121.0.2"}, "121.0.3", id="dot"),
        pytest.param("115.5.0esr", "desktop", {"version": "115.5.0esr", "app-version": "115.5.0", "milestone": "115.5.0"}, "115.5.1esr", id="esr"),
        pytest.param("122.0b1", "android", {"version": "122.0b1", "app-version": "122.0", "milestone": "122.0"}, "122.0b2", id="fenix"),
    ],
)
def test_version_values(version, family, values, bumped):
    assert version_values(version, family) == values
    assert next_version(version, family) == bumped


def test_version_values_refuse_nightly():
    with pytest.raises(InvalidValue, match=r"--version: '122.0a1' is a nightly version"):
        version_values("122.0a1")


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("121.0\n", "122.0\n", id="plain"),
        pytest.param("# milestone\n#  x.x\n\n121.0\n", "# milestone\n#  x.x\n\n122.0\n", id="comments-kept"),
        pytest.param("121.0\r\n", "122.0\r\n", id="crlf"),
        pytest.param("121.0", "122.0\n", id="no-newline"),
        pytest.param("# only a comment", "# only a comment\n122.0\n", id="no-version-line"),
        pytest.param("", "122.0\n", id="empty"),
    ],
)
def test_set_version(text, expected):
    assert set_version(text, "122.0") == expected


MIGRATIONS = {
    "bump": {
        "replacements": [("defines.sh", "MAJOR={current_major_version}", "MAJOR={next_major_version}")],
        "regex-replacements": [("defines.sh", r"(?m)^EARLY=\d$", "EARLY=")],
    },
    "broken": {"replacements": [("defines.sh", "{unknown_field}", "x")], "regex-replacements": []},
    "missing": {"replacements": [("nowhere.sh", "a", "b")], "regex-replacements": []},
}
TREE = {"defines.sh": "MAJOR=121\nEARLY=1\nKEEP=1\n"}


def test_migrations_apply_on_top_of_earlier_edits():
    fields = format_fields("121.0", "122.0b1")
    edits = apply_migrations(["bump"], MIGRATIONS, {"version.txt": "122.0\n"}, TREE.get, fields)
    assert edits == {"version.txt": "122.0\n", "defines.sh": "MAJOR=122\nEARLY=\nKEEP=1\n"}


@pytest.mark.parametrize(
    "names, error, match",
    [
        pytest.param(["nope"], InvalidValue, r"--migration: 'nope' is not a migration of config.yml staging-release.migrations \(known: broken, bump, missing\)", id="unknown"),
        pytest.param(["broken"], ConfigError, r"migrations.broken: '\{unknown_field\}' uses an unknown or malformed field", id="field"),
        pytest.param(["missing"], ConfigError, r"migrations.missing: nowhere.sh does not exist in the repository", id="file"),
    ],
)
def test_migration_errors(names, error, match):
    with pytest.raises(error, match=match):
        apply_migrations(names, MIGRATIONS, {}, TREE.get, format_fields("121.0", "122.0b1"))


def test_limit_locales_keeps_the_listed_locales_and_comments():
    text = "# shipped\nar\nde\nfr\nja-JP-mac osx\n"
    assert limit_locales(text, ["fr", "ja-JP-mac"]) == "# shipped\nfr\nja-JP-mac osx\n"
    with pytest.raises(ConfigError, match=r"limit-locales: locale\(s\) xx are not in the locales file"):
        limit_locales(text, ["de", "xx"])


@pytest.mark.parametrize(
    "keep", [pytest.param(["de"], id="en-US-implied"), pytest.param(["de", "en-US"], id="en-US-listed")],
)
def test_limit_locales_never_drops_en_us_from_a_file_that_lists_it(keep):
    text = "ar\nde\nen-US\nfr\n"
    assert limit_locales(text, keep) == "de\nen-US\n"
    # a file that implies en-US (does not list it) is not asked for it
    assert limit_locales("ar\nde\n", keep) == "de\n"
