"""JSON text as the project's artifacts hold it: what ``json.dumps(data, sort_keys=True,
indent=2)`` writes, byte for byte, in a fraction of the time.

Python's own C encoder writes every value (its escapes, its float forms, its key order)
on one line; msgspec then only lays the tokens out over lines, two spaces a level. The
pure-Python encoder that ``indent`` otherwise forces is what made writing a plan's two
graphs cost more than generating them.
"""

import json

import msgspec

_COMPACT = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def dumps_sorted(data):
    """``json.dumps(data, sort_keys=True, indent=2)``, the same text."""
    text = _COMPACT.encode(data)
    try:
        return msgspec.json.format(text, indent=2)
    except msgspec.DecodeError:
        # NaN and Infinity, which Python writes and msgspec will not read: the slow way.
        return json.dumps(data, sort_keys=True, indent=2)
