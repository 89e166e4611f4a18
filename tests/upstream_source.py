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


def module_function(path, name, **names):
    """The function a module at ``path`` defines at its top level as ``name``, compiled on
    its own with ``names`` as its globals (the module's other imports are not run)."""
    with open(path) as fh:
        tree = ast.parse(fh.read())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            namespace = dict(names)
            exec(compile(ast.Module(body=[node], type_ignores=[]), path, "exec"), namespace)
            return namespace[name]
    raise AssertionError(f"{path} defines no {name}")
