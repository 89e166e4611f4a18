"""Probe a slot's instances: which of them answer HTTP at all."""

import requests

DEFAULT_TIMEOUT = 10.0


def probe(url, timeout=DEFAULT_TIMEOUT, session=None):
    """``None`` if ``url`` answers (any HTTP status), else why it does not."""
    session = session or requests.Session()
    try:
        response = session.head(url, timeout=timeout, allow_redirects=False)
        if response.status_code in (405, 501):  # HEAD not allowed: the server answered, confirm with GET
            session.get(url, timeout=timeout, allow_redirects=False, stream=True).close()
        return None
    except requests.Timeout:
        return f"no answer within {timeout:g}s"
    except requests.RequestException as e:
        return f"unreachable ({type(e).__name__})"


def check_slot(slot, timeout=DEFAULT_TIMEOUT):
    """``[{"family", "role", "url", "answers", "problem"}]`` for every instance of ``slot``."""
    session = requests.Session()
    results = []
    for (family, role), url in sorted(slot.instances().items()):
        problem = probe(url, timeout=timeout, session=session)
        results.append({"family": family, "role": role, "url": url, "answers": problem is None, "problem": problem})
    return results
