"""Named steps of ``plan --output`` and ``push``, and the one hook on them.

Every point where an interruption must leave the user's files and repository as they
were calls :func:`step` with a name. Where ``$TASKGRAPH_STAGING_STEP_HOOK`` names a
program, it is run there with the step's name as its argument and waited for; the
fault-injection tests use it to kill the process at every step. Unset, a step costs
one environment look-up.
"""

import os
import subprocess

HOOK = "TASKGRAPH_STAGING_STEP_HOOK"


def step(name):
    hook = os.environ.get(HOOK)
    if hook:
        subprocess.run([hook, name], check=False)
