"""Read what ``plan --output`` wrote: a task graph and its parameters."""

import mmap
import os

import msgspec

from taskgraph_staging.model.errors import StagingError
from taskgraph_staging.model.files import read_yaml
from taskgraph_staging.model.parameters import parameter_problem

from .graph_schema import decode_graph, task_problem

#: Graph artifacts of a directory, in the order they are preferred (see --target).
FULL_GRAPH = "full-task-graph.json"
TARGET_GRAPH = "task-graph.json"
PARAMETERS = "parameters.yml"


def read_artifacts(path, target=False):
    """``(tasks, parameters or None, source)`` of a plan output directory or a graph json file.

    ``tasks`` is ``{key: {"label", "task"}}`` holding the fields
    :mod:`~taskgraph_staging.analysis.graph_schema` types (what the inventory, the guard
    and the audit read); the whole decoded file in the rare case the typed decoder
    refuses a file the task-by-task check passes.

    Raises :class:`~taskgraph_staging.model.errors.StagingError` naming the path when it is
    missing or holds no task graph.
    """
    where = path
    if os.path.isdir(path):
        names = (TARGET_GRAPH, FULL_GRAPH) if target else (FULL_GRAPH, TARGET_GRAPH)
        graph_file = next((os.path.join(path, n) for n in names if os.path.isfile(os.path.join(path, n))), None)
        if graph_file is None:
            raise StagingError(f"holds neither {FULL_GRAPH} nor {TARGET_GRAPH}; give a 'plan --output' directory", where=where)
        params_file = os.path.join(path, PARAMETERS)
        if not os.path.isfile(params_file):
            raise StagingError(f"has no {PARAMETERS}; give a 'plan --output' directory", where=where)
    elif os.path.isfile(path):
        graph_file = path
        params_file = os.path.join(os.path.dirname(os.path.abspath(path)), PARAMETERS)
    else:
        raise StagingError("no such file or directory; give a 'plan --output' directory or a task-graph json", where=where)
    name = os.path.basename(graph_file)
    try:
        with open(graph_file, "rb") as fh:
            try:
                # Decoded from the page cache in place: reading a graph of 50 MB into a
                # bytes object first costs as much CPU again as decoding it.
                raw = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # empty, or a file that cannot be mapped
                raw = fh.read()
    except OSError as e:
        raise StagingError(f"{name} is not JSON ({' '.join(str(e).split())[:120]})", where=where)
    try:
        data = decode_graph(raw)
        if data is None:
            data = _checked_untyped(raw, name, where)
    finally:
        if isinstance(raw, mmap.mmap):
            raw.close()
    parameters = None
    if os.path.isfile(params_file):
        parameters = read_yaml(params_file, where)
        if not isinstance(parameters, dict):
            raise StagingError(f"{PARAMETERS} is not a mapping of parameters", where=where)
        missing = [name for name in ("level", "project") if name not in parameters]
        if missing:
            raise StagingError(
                f"{PARAMETERS} lacks {', '.join(missing)}; give the parameters.yml 'plan --output' wrote", where=where
            )
        problem = parameter_problem(parameters)
        if problem:
            raise StagingError(f"{PARAMETERS}: {problem}", where=where)
    return data, parameters, os.path.basename(graph_file)


def _checked_untyped(raw, name, where):
    """The graph decoded untyped and checked task by task: the slow path, taken only when
    :func:`~.graph_schema.decode_graph` refused the file, to raise naming why."""
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError as e:
        raise StagingError(f"{name} is not JSON ({' '.join(str(e).split())[:120]})", where=where)
    except RecursionError:
        raise StagingError(f"{name} nests too deeply to be a task graph", where=where) from None
    if not isinstance(data, dict):
        raise StagingError(f"{name} is not a task graph (a mapping of tasks with 'label' and 'task')", where=where)
    for key, task in data.items():
        problem = task_problem(task)
        if problem:
            raise StagingError(f"{name}: task {key!r}: {problem}", where=where)
    return data
