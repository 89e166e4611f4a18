"""Facts read from the workers' own source in shared/upstream, without importing it."""

import ast


def module_constant(path, name):
    """The literal value a module at ``path`` assigns to ``name`` at its top level."""
    with open(path) as fh:
        tree = ast.parse(fh.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path} assigns no {name}")
