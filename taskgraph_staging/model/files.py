"""Reading the YAML and JSON files a user names (``--services``, ``--live-file``, slots
files, a plan's ``parameters.yml``): one reader, one kind of error."""

import yaml

from .errors import StagingError


def read_yaml(path, where, error=StagingError):
    """The document a YAML (or JSON) file holds; None for an empty file.

    Raises ``error`` (a :class:`StagingError` taking ``where=``) naming ``where`` and
    the path when the file cannot be read or is not YAML. Callers check the shape.
    """
    try:
        with open(path) as fh:
            return yaml.safe_load(fh)
    except OSError as e:
        raise error(f"cannot read {path} ({e.strerror})", where=where)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark else ""
        raise error(f"{path} is not valid YAML or JSON{at}", where=where)
