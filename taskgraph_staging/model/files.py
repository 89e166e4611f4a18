"""Reading the YAML and JSON files a user names (``--services``, ``--live-file``, slots
files, a plan's ``parameters.yml``, a ``--root``'s ``config.yml``): one reader, one kind
of error."""

import os

import yaml

from .errors import ConfigError, StagingError

#: No file a user names is this large; a bigger one is refused before it is parsed.
MAX_BYTES = 4 * 1024 * 1024
#: Nesting deeper than this is not configuration (and would exhaust the parser's stack).
MAX_DEPTH = 100


def _check_shape(value, path, where, error, depth=0):
    """Refuse nesting deeper than :data:`MAX_DEPTH` and mapping keys that are not strings."""
    if depth > MAX_DEPTH:
        raise error(f"{path} nests deeper than {MAX_DEPTH} levels", where=where)
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise error(f"{path}: key {key!r} must be a string, not {type(key).__name__}", where=where)
            _check_shape(item, path, where, error, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_shape(item, path, where, error, depth + 1)


def _nesting_bound(text, path, where, error):
    """Refuse text whose brackets open deeper than :data:`MAX_DEPTH` before the parser recurses."""
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise error(f"{path} nests deeper than {MAX_DEPTH} levels", where=where)
        elif char in "]}":
            depth = max(depth - 1, 0)



def read_text(path, where, error=StagingError, max_bytes=MAX_BYTES):
    """A UTF-8 text file's content, refusing a missing, huge or undecodable file in one line."""
    try:
        size = os.path.getsize(path)
        if os.path.isdir(path):
            raise error(f"{path} is a directory, not a file", where=where)
        if size > max_bytes:
            raise error(f"{path} is {size} bytes; files are at most {max_bytes}", where=where)
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise error(f"cannot read {path} ({e.strerror})", where=where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise error(f"{path} is not UTF-8 text (byte {e.start})", where=where)


def read_yaml(path, where, error=StagingError):
    """The document a YAML (or JSON) file holds; None for an empty file.

    Raises ``error`` (a :class:`StagingError` taking ``where=``) naming ``where`` and
    the path when the file cannot be read, is too large, not UTF-8, not YAML, nested
    too deep or has a key that is not a string. Callers check the rest of the shape.
    """
    text = read_text(path, where, error)
    _nesting_bound(text, path, where, error)
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark else ""
        raise error(f"{path} is not valid YAML or JSON{at}", where=where)
    except RecursionError:
        raise error(f"{path} nests deeper than {MAX_DEPTH} levels", where=where)
    _check_shape(value, path, where, error)
    return value


def read_graph_config(root, where="--root"):
    """taskgraph's ``GraphConfig`` of the root ``root``, its ``config.yml`` refused in one
    line (naming ``where`` and the file) when it is missing, not a YAML mapping, or not
    what taskgraph's graph configuration schema accepts."""
    from taskgraph.config import load_graph_config
    from taskgraph.util.schema import SchemaValidationError

    path = os.path.join(root, "config.yml")
    if not os.path.isfile(path):
        raise ConfigError(f"no taskgraph config.yml in {root}", where=where)
    config = read_yaml(path, where, error=ConfigError)
    if not isinstance(config, dict):
        found = "nothing" if config is None else f"a {type(config).__name__}"
        raise ConfigError(f"{path} holds {found}, not a mapping of taskgraph settings (trust-domain, workers, ...)", where=where)
    try:
        return load_graph_config(root)
    except SchemaValidationError as e:
        # taskgraph's message: a heading, the schema's complaint, then the whole config.
        lines = [line for line in str(e).splitlines() if line.strip()]
        reason = lines[1] if len(lines) > 1 else lines[0]
        raise ConfigError(f"{path} is not a taskgraph configuration: {reason}", where=where) from None
