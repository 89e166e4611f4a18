"""The file edits of a staging release push: version files, migrations, locale limits.

Pure: every function takes file contents (or a ``read(path)`` callable) and returns
new contents. Paths are relative to the top of the repository.
"""

import re

from mozilla_version.errors import PatternNotMatchedError

from taskgraph_staging.model.errors import ConfigError, InvalidValue
from taskgraph_staging.model.release import DEFAULT_LOCALE, VERSION_CLASSES, parse_version
from taskgraph_staging.model.versions import app_version


def version_values(version_text, family="desktop"):
    """What each kind of version file holds for this release version."""
    version = parse_version(version_text, family, where="--version")
    app = app_version(str(version), family)
    return {"version": str(version), "app-version": app, "milestone": app}


def set_version(text, value):
    """``text`` of a version file with its version line set to ``value``.

    Comment lines (``#``) and blank lines are kept; the first other line is the
    version line (as in milestone.txt). A file without one gets the value appended.
    """
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            ending = line[len(line.rstrip("\r\n")):] or "\n"
            lines[i] = value + ending
            return "".join(lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines) + value + "\n"


def read_version(text):
    """The version line of a version file's text, or None."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped
    return None


def format_fields(current_text, next_version, family="desktop"):
    """Fields a migration's texts may use, as gecko's merge automation names them.

    ``current_text`` is the version the repository holds now (from the product's
    first version file); ``next_version`` is the staging release's version.
    """
    nxt = parse_version(next_version, family, where="--version")
    fields = {"next_version": str(nxt), "next_major_version": nxt.major_number, "next_weave_version": nxt.major_number + 2}
    current = None
    if current_text:
        try:
            current = VERSION_CLASSES[family].parse(current_text)
        except (PatternNotMatchedError, ValueError):
            current = None
    if current is not None:
        fields.update(
            current_version=str(current),
            current_major_version=current.major_number,
            current_weave_version=current.major_number + 2,
        )
    return fields


def _fill(template, fields, where):
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError) as e:
        known = ", ".join(sorted(fields))
        raise ConfigError(f"{template!r} uses an unknown or malformed field ({e}); known fields: {known}", where=where)


def apply_migrations(names, migrations, files, read, fields):
    """Apply the named migrations on top of ``files`` ({path: new text}).

    ``read(path)`` gives a file's current text (None if the file does not exist).
    Returns a new {path: text}; texts that do not occur are left as they are (a
    migration may already be partly applied on this branch).
    """
    unknown = [n for n in names if n not in migrations]
    if unknown:
        known = ", ".join(sorted(migrations)) or "none configured"
        raise InvalidValue("--migration", [f"{n!r} is not a migration of config.yml staging-release.migrations (known: {known})" for n in unknown])
    result = dict(files)

    def current(path, where):
        if path in result:
            return result[path]
        text = read(path)
        if text is None:
            raise ConfigError(f"{path} does not exist in the repository; fix the path in config.yml", where=where)
        return text

    for name in names:
        where = f"config.yml staging-release.migrations.{name}"
        for path, old, new in migrations[name]["replacements"]:
            text = current(path, where)
            result[path] = text.replace(_fill(old, fields, where), _fill(new, fields, where))
        for path, pattern, new in migrations[name]["regex-replacements"]:
            text = current(path, where)
            try:
                result[path] = re.sub(_fill(pattern, fields, where), _fill(new, fields, where), text)
            except re.error as e:
                raise ConfigError(f"{pattern!r} is not a valid regular expression ({e})", where=where)
    return result


def limit_locales(text, keep, where="config.yml staging-release.limit-locales"):
    """A locales file's text keeping only the lines of the locales in ``keep``.

    Comment and blank lines stay, and so does en-US where the file lists it: every
    release builds it, so limiting locales never drops it. Every other locale of
    ``keep`` must be in the file.
    """
    keep = set(keep) | {DEFAULT_LOCALE}
    seen = set()
    lines = []
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            lines.append(line)
            continue
        locale = stripped.split()[0]
        if locale in keep:
            seen.add(locale)
            lines.append(line)
    missing = sorted(keep - seen - {DEFAULT_LOCALE})
    if missing:
        raise ConfigError(f"locale(s) {', '.join(missing)} are not in the locales file; remove them or add them to the file", where=where)
    return "".join(lines)
