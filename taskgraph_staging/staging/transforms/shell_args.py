"""The arguments of one script inside a finished task's shell command, read and rewritten.

Release kinds that run a script pass its inputs either as environment variables or as
``--name value`` / ``--name=value`` arguments inside the ``bash -c`` string run-task runs.
These helpers find the words after the script (up to the next ``&&``, ``||``, ``;`` or
``|``) and change them in place, quoting new values for the shell.
"""

import re
import shlex

_WORD = re.compile(r"""(?:[^\s'"\\;&|]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+""")
_OPERATOR = re.compile(r"&&|\|\||[;&|]")
_SPACE = re.compile(r"\s+")


def _tokens(text):
    """``(start, end, word or None for an operator)`` of a shell string."""
    pos = 0
    while pos < len(text):
        space = _SPACE.match(text, pos)
        if space:
            pos = space.end()
            continue
        op = _OPERATOR.match(text, pos)
        if op:
            yield op.start(), op.end(), None
            pos = op.end()
            continue
        word = _WORD.match(text, pos)
        if not word:  # an unterminated quote: nothing after it is an argument we can read
            return
        yield word.start(), word.end(), word.group()
        pos = word.end()


def _unquote(word):
    if not any(c in word for c in "'\"\\"):  # nothing to unquote (most words)
        return word
    try:
        parts = shlex.split(word)
    except ValueError:
        return word
    return parts[0] if len(parts) == 1 else word


class ScriptCall:
    """One call of ``script`` in ``text``: its arguments, and a rewritten text."""

    def __init__(self, text, script):
        self.text = text
        self.script = script

    @classmethod
    def find(cls, text, script):
        """The call, or None when ``text`` does not run ``script``."""
        call = cls(text, script)
        return call if call._args() is not None else None

    def _args(self):
        """``[(start, end, raw word)]`` of the arguments, or None without the script
        (read once: a call's text never changes, rewrites make a new call)."""
        if not hasattr(self, "_parsed"):
            self._parsed = self._parse()
        return self._parsed

    def _parse(self):
        found = None
        for start, end, word in _tokens(self.text):
            if found is None:
                if word is not None and _unquote(word).rsplit("/", 1)[-1] == self.script.rsplit("/", 1)[-1]:
                    found = []
                continue
            if word is None:
                break
            found.append((start, end, word))
        return found

    def _occurrences(self, name):
        """``(start, end, value raw word)`` spans of every ``--name`` with its value."""
        args = self._args()
        flag = f"--{name}"
        spans = []
        for i, (start, end, word) in enumerate(args):
            if word == flag and i + 1 < len(args):
                spans.append((start, args[i + 1][1], args[i + 1][2]))
            elif word.startswith(flag + "="):
                spans.append((start, end, word[len(flag) + 1:]))
        return spans

    def values(self, name):
        """Every value given to ``--name``, unquoted."""
        return [_unquote(raw) for _, _, raw in self._occurrences(name)]

    def value(self, name):
        """The first value of ``--name``, or None."""
        values = self.values(name)
        return values[0] if values else None

    def is_literal(self, name):
        """Whether ``--name`` is given a value that does not expand a variable."""
        spans = self._occurrences(name)
        return bool(spans) and all("$" not in raw for _, _, raw in spans)

    def without(self, *names):
        """The call with every ``--name`` of ``names`` (and its value) removed."""
        spans = sorted(span for name in names for span in self._occurrences(name))
        text = self.text
        for start, end, _ in reversed(spans):
            before = text[:start].rstrip(" ")
            text = before + text[end:]
        return ScriptCall(text, self.script)

    def appending(self, pairs):
        """The call with ``--name value`` of each ``(name, value)`` added after its last argument."""
        args = self._args()
        at = args[-1][1] if args else self._script_end()
        added = "".join(f" --{name} {shlex.quote(str(value))}" for name, value in pairs)
        return ScriptCall(self.text[:at] + added + self.text[at:], self.script)

    def _script_end(self):
        for start, end, word in _tokens(self.text):
            if word is not None and _unquote(word).rsplit("/", 1)[-1] == self.script.rsplit("/", 1)[-1]:
                return end
        raise ValueError(self.script)


def command_strings(task_def):
    """``(container, key, text)`` of every string of the payload's command that may run a script.

    ``container[key]`` is the string itself, or the dict holding it under
    ``artifact-reference`` / ``task-reference``.
    """
    command = task_def.get("payload", {}).get("command")
    if isinstance(command, str):
        yield task_def["payload"], "command", command
        return
    for i, item in enumerate(command or []):
        if isinstance(item, str):
            yield command, i, item
        elif isinstance(item, dict) and len(item) == 1:
            (ref, text), = item.items()
            if isinstance(text, str):
                yield item, ref, text


def find_call(task_def, script):
    """``(container, key, ScriptCall)`` of the first command string running ``script``, or None."""
    for container, key, text in command_strings(task_def):
        call = ScriptCall.find(text, script)
        if call:
            return container, key, call
    return None
