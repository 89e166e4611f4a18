"""The synthetic production tasks and Try configs of this directory's conftest, importable
under a unique module name (several ``conftest`` modules exist under tests/)."""

import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "tests_transforms_conftest", os.path.join(os.path.dirname(__file__), "conftest.py")
)
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)

PREFIX = _conftest.PREFIX
finished = _conftest.finished
make_config = _conftest.make_config
run_staging = _conftest.run_staging
