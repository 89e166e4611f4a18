"""A copy of the reference root whose locales file holds ``n`` locales (for benchmarks)."""

import os
import shutil

from taskgraph_staging.model.errors import StagingError
from .graphs import REFERENCE_ROOT
from taskgraph_staging.staging.reference.platforms import read_locales

ALL_LOCALES = os.path.join("kinds", "locales", "all-locales")
SHIPPED_LOCALES = os.path.join("kinds", "locales", "shipped-locales")
COPIED = ("config.yml", ".taskcluster.yml", "kinds", "product")


def make_scaled_root(dest_dir, n_locales, source_root=REFERENCE_ROOT):
    """Write the reference root to ``dest_dir`` with the first ``n_locales`` of all-locales shipped.

    Returns ``dest_dir``. The package itself is imported from its installed location.
    """
    available = read_locales(os.path.join(source_root, ALL_LOCALES))
    if not 1 <= n_locales <= len(available):
        raise StagingError(f"n_locales must be 1 to {len(available)} (all-locales has {len(available)}), not {n_locales}",
                           where="make_scaled_root")
    os.makedirs(dest_dir, exist_ok=True)
    for name in COPIED:
        src = os.path.join(source_root, name)
        dst = os.path.join(dest_dir, name)
        if os.path.isdir(src):
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif os.path.exists(src):
            shutil.copy2(src, dst)
    with open(os.path.join(dest_dir, SHIPPED_LOCALES), "w") as fh:
        fh.writelines(f"{code}\n" for code in available[:n_locales])
    return dest_dir
