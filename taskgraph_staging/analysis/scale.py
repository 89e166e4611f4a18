"""A copy of the reference root whose locales file holds ``n`` locales (for benchmarks).

Past the locales of all-locales, synthetic codes (``xa-AA``, ``xa-AB``, ...) are
shipped: each fans out exactly as a real locale does.
"""

import itertools
import os
import string
import shutil

from taskgraph_staging.model.errors import StagingError
from .graphs import REFERENCE_ROOT
from taskgraph_staging.staging.reference.platforms import read_locales

ALL_LOCALES = os.path.join("kinds", "locales", "all-locales")
SHIPPED_LOCALES = os.path.join("kinds", "locales", "shipped-locales")
#: What a copy of the reference root needs to plan: its config and kinds, the version
#: files at the real tree's paths and the what's-new config beside them.
COPIED = (
    "config.yml",
    ".taskcluster.yml",
    "kinds",
    "browser",
    "config",
    "mobile",
    os.path.join("build", "defines.sh"),
)


#: Most locales a scaled root ships (all-locales plus synthetic codes).
MAX_LOCALES = 10_000


def synthetic_locales(count, taken=()):
    """``count`` locale codes of the form ``x<a-z>-<A-Z><A-Z>`` not in ``taken``."""
    taken = set(taken)
    codes = (f"x{a}-{b}{c}" for a, b, c in itertools.product(string.ascii_lowercase, string.ascii_uppercase, string.ascii_uppercase))
    return list(itertools.islice((code for code in codes if code not in taken), count))


def make_scaled_root(dest_dir, n_locales, source_root=REFERENCE_ROOT):
    """Write the reference root to ``dest_dir`` shipping ``n_locales`` locales: the first
    ``n_locales`` of all-locales, then synthetic codes when it has fewer.

    Returns ``dest_dir``. The package itself is imported from its installed location.
    """
    available = read_locales(os.path.join(source_root, ALL_LOCALES))
    if not 1 <= n_locales <= MAX_LOCALES:
        raise StagingError(f"n_locales must be 1 to {MAX_LOCALES}, not {n_locales}", where="make_scaled_root")
    if n_locales > len(available):
        available = available + synthetic_locales(n_locales - len(available), available)
    os.makedirs(dest_dir, exist_ok=True)
    for name in COPIED:
        src = os.path.join(source_root, name)
        dst = os.path.join(dest_dir, name)
        if os.path.isdir(src):
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif os.path.exists(src):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)
    with open(os.path.join(dest_dir, SHIPPED_LOCALES), "w") as fh:
        fh.writelines(f"{code}\n" for code in available[:n_locales])
    return dest_dir
