"""Kill a ``taskgraph-staging`` process at its N-th named step (see interfaces/steps.py).

:func:`killer_env` returns the environment that makes the step hook signal the process
running the steps (the hook's parent) at step ``n``; every step's name is appended to
``log`` so a test knows how many steps there are and where it stopped.
"""

import os
import stat
import sys

HOOK = """#!{python}
import os, signal, sys, time
log, n, sig = sys.argv[0] + ".log", int(os.environ["STEP_KILL_AT"]), int(os.environ["STEP_KILL_SIGNAL"])
with open(log, "a") as fh:
    fh.write(sys.argv[1] + "\\n")
with open(log) as fh:
    count = len(fh.read().splitlines())
if count == n:
    os.kill(os.getppid(), sig)
    time.sleep(0.5)
"""


def killer_env(tmp_path, n, signal, env=None):
    """(environment, step log path) for a run killed by ``signal`` at step ``n`` (0: never)."""
    hook = tmp_path / "step-hook"
    hook.write_text(HOOK.format(python=sys.executable))
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "step-hook.log"
    if log.exists():
        log.unlink()
    env = dict(env or os.environ, TASKGRAPH_STAGING_STEP_HOOK=str(hook), STEP_KILL_AT=str(n), STEP_KILL_SIGNAL=str(int(signal)))
    return env, log


def steps_of(log):
    return log.read_text().splitlines() if log.exists() else []
