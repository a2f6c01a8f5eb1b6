"""What is known of the text of a string expression: its literal tail.

Real code rarely passes a path as one literal. It builds it: ``f"{out}/model"``,
``"%s/model" % out``, ``"{}/model".format(out)``, ``out + "/model"``,
``os.path.join(out, "model")``, ``pathlib.Path(out) / "model"``, ``Path(out).joinpath("model")``,
``str(path)``, a name assigned earlier (in a notebook: by another cell), a module constant, or a
function parameter's default. ``text_value`` works out the end of the text where the end is
literal, so a rule can decide an extension without knowing the whole path, and stays silent
(``None``, or a tail that decides nothing) where the end is not known (``f"{name}"`` with an
unknown ``name``, a parameter without default, ``input()``).

A name can hold one of several values where it is assigned in a branch the use does not
always follow (``if ...: path = "a" else: path = "b"``, ``path = arg or "model"``, a parameter's
default that callers may override): the answer then lists the options and is not ``certain``.

Engine-neutral: it reads the CST and asks the resolver what a name is bound to; it knows nothing
about Keras. Nothing here runs unless a rule asks about an expression.
"""

from __future__ import annotations

import posixpath
import re
import string
from dataclasses import dataclass, replace
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import libcst as cst

from .resolver import Binding, Resolver, Scope

_MAX_DEPTH = 8

# Calls that join path parts: the result ends with the last part.
_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join", "tensorflow.io.gfile.join"})
_PATH_CLASSES = frozenset(
    {
        "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath",
        "pathlib.PurePosixPath", "pathlib.PureWindowsPath",
    }
)
# Calls whose result ends like their first argument.
_SAME_END = frozenset({"os.fspath", "os.path.expanduser", "os.path.expandvars", "os.path.abspath", "os.path.realpath", "os.path.normpath"})
# Path methods whose result ends like the receiver.
_SAME_END_METHODS = frozenset({"resolve", "absolute", "expanduser", "as_posix"})


@dataclass
class TextValue:
    """What is known of a string expression's text.

    ``options`` is set when the expression may have several values: then ``tail``/``literal``/
    ``key`` are empty and the options (``None`` for an unknown one) decide ``ends_with``.
    """

    tail: str  # the known end of the text (the whole text when ``complete``)
    complete: bool
    literal: Optional[cst.BaseExpression]  # the string node whose source ends with ``tail``, for edits
    key: Optional[str]  # for matching the same path elsewhere in the module
    certain: bool = True  # False: one of several values, or a parameter's default
    options: Tuple[Optional["TextValue"], ...] = ()
    producer: Optional[str] = None  # qualified name of the call whose result this is, when not a string builder

    def ends_with(self, suffixes: Iterable[str]) -> Optional[bool]:
        """True/False when every value it may have decides it the same way, None otherwise."""
        suffixes = tuple(suffixes)
        if not self.options:
            return _ends_with(self, suffixes)
        answers = {_ends_with(o, suffixes) if o is not None else None for o in self.options}
        return answers.pop() if len(answers) == 1 else None

    def always_lacks(self, suffixes: Iterable[str]) -> bool:
        """Every value it may have is known, sure, and ends in none of ``suffixes``."""
        suffixes = tuple(suffixes)
        return all(o is not None and o.certain and _ends_with(o, suffixes) is False for o in self.alternatives)

    def lacks(self, suffixes: Iterable[str]) -> bool:
        """Some value it may have is known to end in none of ``suffixes``."""
        suffixes = tuple(suffixes)
        return any(o is not None and _ends_with(o, suffixes) is False for o in self.alternatives)

    @property
    def alternatives(self) -> Tuple[Optional["TextValue"], ...]:
        return self.options or (self,)

    def produced_by(self, names: Iterable[str]) -> bool:
        """Some value it may have is the result of a call to one of ``names``."""
        names = frozenset(names)
        return any(o is not None and o.producer in names for o in self.alternatives)

    @property
    def value(self) -> Optional[str]:
        return self.tail if self.complete and not self.options else None

    @property
    def bare_file_name(self) -> bool:
        """A known path with no folder part."""
        return self.value is not None and "/" not in self.tail and "\\" not in self.tail


def _ends_with(value: TextValue, suffixes: Tuple[str, ...]) -> Optional[bool]:
    if value.producer is not None:
        return None
    undecided = False
    for suffix in suffixes:
        if value.tail.endswith(suffix):
            return True
        if not value.complete and suffix.endswith(value.tail):
            undecided = True  # e.g. tail "5" could still end ".h5"
    return None if undecided else False


def _text(tail: str, complete: bool, literal=None, key=None, certain: bool = True) -> TextValue:
    return TextValue(tail, complete, literal, key, certain)


def _sure(*parts: Optional[TextValue]) -> bool:
    return all(p is None or p.certain for p in parts)


def _as_sure_as(value: Optional[TextValue], source: TextValue) -> Optional[TextValue]:
    return value if value is None or source.certain else replace(value, certain=False)


def _uncertain(options: Sequence[Optional[TextValue]]) -> Optional[TextValue]:
    flat: List[Optional[TextValue]] = []
    for option in options:
        flat.extend(option.options if option is not None and option.options else [option])
    if all(o is None for o in flat):
        return None
    return TextValue("", False, None, None, certain=False, options=tuple(flat))


# ---------------------------------------------------------------------------------------------


def text_value(
    resolver: Resolver,
    node: cst.BaseExpression,
    use: Optional[cst.CSTNode] = None,
    scope: Optional[Scope] = None,
) -> Optional[TextValue]:
    """What is known of the text ``node`` evaluates to, read where the resolver stands (or in
    ``scope``). ``use``: the statement-level node being checked (e.g. the call), which decides
    whether an assignment in a branch always reaches it; default ``node``."""
    return _Reader(resolver).read(node, scope or resolver.scope, use or node, 0, {})


class _Reader:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        module = resolver.module_scope.node
        self.module = module if isinstance(module, cst.Module) else None

    def code(self, node: cst.CSTNode) -> Optional[str]:
        return self.module.code_for_node(node) if self.module is not None else None

    def read(self, node, scope: Scope, use, depth: int, shadow: Dict[str, Optional[Binding]]) -> Optional[TextValue]:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return self.literal(node, scope, use, depth, shadow)
        if isinstance(node, cst.Name):
            return self.name(node, scope, use, depth, shadow)
        if isinstance(node, cst.BinaryOperation):
            return self.operation(node, scope, use, depth, shadow)
        if isinstance(node, cst.Call):
            return self.call(node, scope, use, depth, shadow)
        if isinstance(node, cst.IfExp):
            return _uncertain([self.read(n, scope, use, depth + 1, shadow) for n in (node.body, node.orelse)])
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            return _uncertain([self.read(n, scope, use, depth + 1, shadow) for n in (node.left, node.right)])
        if isinstance(node, cst.Attribute):
            return self.attribute(node, scope)
        return None

    # -- literals ------------------------------------------------------------------------------

    def literal(self, node, scope, use, depth, shadow) -> Optional[TextValue]:
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if not isinstance(value, str):
                return None
            return _text(value, True, node, "=" + value)
        if isinstance(node, cst.ConcatenatedString):
            value = node.evaluated_value
            if isinstance(value, str):
                right = node.right
                last = right if isinstance(right, cst.SimpleString) else None
                return _text(value, True, last, "=" + value)
            return _concat(self.read(node.left, scope, use, depth + 1, shadow), self.read(node.right, scope, use, depth + 1, shadow))
        return self.fstring(node, scope, use, depth, shadow)

    def fstring(self, node: cst.FormattedString, scope, use, depth, shadow) -> Optional[TextValue]:
        if "b" in node.prefix.lower():
            return None
        raw = "r" in node.prefix.lower()
        tail = ""
        literal: Optional[cst.BaseExpression] = None
        complete = True
        certain = True
        for index, part in enumerate(reversed(node.parts)):
            if isinstance(part, cst.FormattedStringText):
                if "\\" in part.value and not raw:  # escapes: the source text is not the value
                    if index == 0:
                        return None
                    complete = False
                    break
                tail = part.value.replace("{{", "{").replace("}}", "}") + tail
                if index == 0:
                    literal = node  # the f-string's own text ends the value: edit it there
                continue
            inner = None
            if part.format_spec is None and part.conversion in (None, "s"):
                inner = self.read(part.expression, scope, use, depth + 1, shadow)
            elif _numeric_spec(_spec_text(part.format_spec)):
                tail = _NUMBER + tail
                if index == 0:
                    literal = node
                complete = False
                break
            if not _usable(inner) or (certain and not inner.certain and index > 0):
                complete = False  # unknown, or less sure than the end already read
                break
            if index == 0:
                literal = inner.literal
            tail = inner.tail + tail
            certain = certain and inner.certain
            if not inner.complete:
                complete = False
                break
        if not complete and not tail:
            return None
        return self.keyed(_text(tail, complete, literal, certain=certain), node)

    # -- names ---------------------------------------------------------------------------------

    def name(self, node: cst.Name, scope, use, depth, shadow) -> Optional[TextValue]:
        name = node.value
        binding = shadow[name] if name in shadow else scope.lookup(name)
        if binding is not None and binding.imported is not None:
            return self.project_constant(node, scope)
        found = self.binding(binding, name, scope, use, depth, shadow)
        if found is not None and not found.options and not found.complete and found.key is None:
            found = replace(found, key=f"name:{name}@{id(binding)}")
        return found

    def binding(self, binding: Optional[Binding], name: str, scope, use, depth, shadow) -> Optional[TextValue]:
        if binding is None:
            return None
        if binding.value is not None and binding.scope is not None:
            inner_shadow = {**shadow, name: binding.previous}
            found = self.read(binding.value, binding.scope, binding.value, depth + 1, inner_shadow)
            if _always_reaches(binding.scope, binding.value, use):
                return found
            # Assigned in a branch the use does not always follow: the previous value may reach it.
            if binding.previous is None:
                return found  # otherwise the name would be unbound
            before = self.binding(binding.previous, name, scope, use, depth + 1, shadow)
            return _uncertain([found, before])
        if binding.opaque:
            return self.parameter_default(name, scope, depth)
        return None

    def parameter_default(self, name: str, scope: Scope, depth: int) -> Optional[TextValue]:
        """A parameter's default: one value the parameter may have (callers can pass others)."""
        found = _parameter_default(self.resolver, scope, name)
        if found is None:
            return None
        default, outer = found
        value = self.read(default, outer, default, depth + 1, {})
        if value is None:
            return None
        return replace(value, certain=False, key=None)

    # -- operators and calls -------------------------------------------------------------------

    def operation(self, node: cst.BinaryOperation, scope, use, depth, shadow) -> Optional[TextValue]:
        operator = node.operator
        if isinstance(operator, cst.Add):
            right = self.read(node.right, scope, use, depth + 1, shadow)
            if right is None or right.options or right.producer is not None:
                return None
            left = self.read(node.left, scope, use, depth + 1, shadow) if right.complete else None
            return self.keyed(_concat(left, right), node)
        if isinstance(operator, cst.Divide):  # pathlib: path / "name"
            right = self.read(node.right, scope, use, depth + 1, shadow)
            if right is None or right.options or right.producer is not None:
                return None
            left = self.read(node.left, scope, use, depth + 1, shadow) if right.complete else None
            return self.keyed(_join([left, right]), node)
        if isinstance(operator, cst.Modulo):  # "%s/model" % out
            template = self.read(node.left, scope, use, depth + 1, shadow)
            if template is None or not template.complete or template.options:
                return None
            literal = template.literal if isinstance(node.left, (cst.SimpleString, cst.ConcatenatedString)) else None
            return self.keyed(_as_sure_as(_percent_tail(template.tail, literal), template), node)
        return None

    def call(self, node: cst.Call, scope, use, depth, shadow) -> Optional[TextValue]:
        func = node.func
        positional = [a for a in node.args if a.keyword is None]
        if any(a.star for a in node.args):
            return None
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method == "format":
                template = self.read(func.value, scope, use, depth + 1, shadow)
                if template is None or not template.complete or template.options:
                    return None
                literal = template.literal if isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString)) else None
                return self.keyed(_as_sure_as(_format_tail(template.tail, literal), template), node)
            if method == "joinpath" and positional:
                receiver = self.read(func.value, scope, use, depth + 1, shadow)
                if not _is_path(receiver, func.value, self.resolver, scope):
                    return None
                parts = [self.read(a.value, scope, use, depth + 1, shadow) for a in positional]
                return self.keyed(_join([receiver, *parts]), node)
            if method in ("with_suffix", "with_name") and len(positional) == 1:
                receiver = self.read(func.value, scope, use, depth + 1, shadow)
                if not _is_path(receiver, func.value, self.resolver, scope):
                    return None
                part = self.read(positional[0].value, scope, use, depth + 1, shadow)
                if part is None or not part.complete or part.options:
                    return None
                tail = ("/" + part.tail) if method == "with_name" else part.tail
                return self.keyed(_text(tail, False, part.literal, certain=part.certain), node)
            if method in _SAME_END_METHODS and not node.args:
                receiver = self.read(func.value, scope, use, depth + 1, shadow)
                if receiver is None or not _is_path(receiver, func.value, self.resolver, scope):
                    return None
                return receiver
        if isinstance(func, cst.Name) and func.value == "str" and scope.lookup("str") is None:
            qualified: Optional[str] = "builtins.str"
        else:
            qualified = self.resolver.qualified_name(func, scope)
        if qualified in _JOINS or qualified in _PATH_CLASSES:
            if not positional:
                return _text(".", True) if qualified in _PATH_CLASSES else None
            parts = [self.read(a.value, scope, use, depth + 1, shadow) for a in positional]
            return self.keyed(_join(parts), node)
        if qualified in _SAME_END or qualified == "builtins.str":
            if len(positional) != 1:
                return None
            return self.read(positional[0].value, scope, use, depth + 1, shadow)
        if qualified is not None:
            return TextValue("", False, None, None, producer=qualified)
        return None

    def project_constant(self, node: cst.CSTNode, scope) -> Optional[TextValue]:
        """A module-level string constant of another project file (``from config import
        EXPORT_DIR``, ``config.EXPORT_DIR``), when the project index knows it (not in flake8 or
        stdin runs, which see one file). It cannot be edited from this file."""
        lookup = getattr(self.resolver, "project_constant", None)
        value = lookup(node, scope) if lookup is not None else None
        if not isinstance(value, str):
            return None
        return _text(value, True, None, "=" + value)

    def attribute(self, node: cst.Attribute, scope) -> Optional[TextValue]:
        """``config.EXPORT_DIR`` (a project constant), or ``manager.latest_checkpoint`` and the
        like: then the producer is the receiver's type."""
        constant = self.project_constant(node, scope)
        if constant is not None:
            return constant
        kind = self.resolver.value_type(node.value, scope)
        if kind is None:
            return None
        return TextValue("", False, None, None, producer=f"{kind}.{node.attr.value}")

    def keyed(self, value: Optional[TextValue], node: cst.CSTNode) -> Optional[TextValue]:
        """Builders of incomplete text match by their source text (``os.path.join(d, "m")``)."""
        if value is None or value.key is not None or value.options:
            return value
        if value.complete:
            return replace(value, key="=" + value.tail)
        code = self.code(node)
        # The same expression spelled with other spacing is the same path.
        return replace(value, key=("code:" + "".join(code.split())) if code is not None else None)


# ---------------------------------------------------------------------------------------------
# Combining parts


def _usable(part: Optional[TextValue]) -> bool:
    return part is not None and not part.options and part.producer is None


def _concat(left: Optional[TextValue], right: Optional[TextValue]) -> Optional[TextValue]:
    if not _usable(right):
        return None
    if not right.complete or not _usable(left) or not (left.certain or not right.certain):
        # The end is the right part's however uncertain the left one is.
        return _text(right.tail, False, right.literal, certain=right.certain)
    return _text(left.tail + right.tail, left.complete, right.literal, certain=_sure(left, right))


def _join(parts: Sequence[Optional[TextValue]]) -> Optional[TextValue]:
    """os.path.join / pathlib: the result ends with the last part (after a separator)."""
    last = parts[-1] if parts else None
    if not _usable(last):
        return None
    if not last.complete:
        return _text(last.tail, False, last.literal, certain=last.certain)
    if all(_usable(p) and p.complete for p in parts) and (_sure(*parts) or not last.certain):
        return _text(posixpath.join(*[p.tail for p in parts]), True, last.literal, certain=_sure(*parts))
    if last.tail.startswith("/"):  # an absolute last part is the whole path
        return _text(last.tail, True, last.literal, certain=last.certain)
    return _text("/" + last.tail, False, last.literal, certain=last.certain)


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


# A number formatted into a path (`%d`, `{epoch:02d}`): its last character is a digit (or the `f`
# of `inf`, the `n` of `nan`), never the end of an extension such as `.weights`. One digit stands
# for it in the tail, so `"w-%d.h5"` decides `.weights.h5` (no) where `.h5` alone would not.
_NUMBER = "0"
_NUMERIC_TYPES = frozenset("bdiouxXeEfFgGn%")


def _numeric_spec(spec: Optional[str]) -> bool:
    return bool(spec) and "{" not in spec and spec[-1] in _NUMERIC_TYPES


def _percent_tail(template: str, literal) -> Optional[TextValue]:
    """``template % args``: the text after the last conversion (``%%`` is a literal ``%``)."""
    end = 0
    kind = ""
    for match in _PERCENT.finditer(template):
        if match.group(1) != "%":
            end, kind = match.end(), match.group(1)
    rest = template[end:].replace("%%", "%")
    if end == 0:
        return _text(rest, True, literal)
    if kind in _NUMERIC_TYPES:
        return _text(_NUMBER + rest, False, literal)
    if not rest:
        return None  # ends with a conversion: unknown
    return _text(rest, False, literal)


def _format_tail(template: str, literal) -> Optional[TextValue]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    if not parsed:
        return _text("", True, literal)
    if all(field is None for _, field, _, _ in parsed):
        return _text("".join(text for text, _, _, _ in parsed), True, literal)
    text, field, spec, _ = parsed[-1]
    if field is not None:  # ends with a replacement field
        return _text(_NUMBER, False, literal) if _numeric_spec(spec) else None
    _, _, last_spec, _ = parsed[-2]
    editable = literal if "{" not in text and "}" not in text else None
    return _text((_NUMBER if _numeric_spec(last_spec) else "") + text, False, editable)


def _spec_text(parts) -> Optional[str]:
    """The format spec of an f-string field as text, when it has no nested fields."""
    if not parts or not all(isinstance(p, cst.FormattedStringText) for p in parts):
        return None
    return "".join(p.value for p in parts)


def _is_path(value: Optional[TextValue], node, resolver: Resolver, scope: Scope) -> bool:
    """The receiver of ``joinpath``/``with_suffix``... is a pathlib path (not a str)."""
    if isinstance(node, cst.Call):
        return resolver.qualified_name(node.func, scope) in _PATH_CLASSES or isinstance(node.func, cst.Attribute)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        return True
    return value is not None and not isinstance(node, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString))


# ---------------------------------------------------------------------------------------------
# Does an assignment always run before a use? Only statements are searched, and only when a rule
# asks about a name: the scope's body down to the assignment, then the rest of its block.

_TRANSPARENT = (cst.With,)  # their body always runs


def _always_reaches(scope: Scope, value: cst.BaseExpression, use: cst.CSTNode) -> bool:
    body = _body_of(scope.node)
    if body is None:
        return False
    path = _find_assignment(body, value, [])
    if path is None:
        return False  # e.g. a walrus inside an expression
    # Innermost block first: is the use later in the same block? Else the block must always run.
    for block, index, owner in reversed(path):
        if owner is None:
            return True  # the scope's own body: the resolver only saw the binding because it came first
        if any(_contains(stmt, use) for stmt in block[index + 1:]):
            return True
        if not isinstance(owner, _TRANSPARENT):
            return False
    return True


def _body_of(node) -> Optional[Sequence[cst.CSTNode]]:
    if isinstance(node, cst.Module):
        return node.body
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        body = node.body
        return body.body if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else None
    return None


def _find_assignment(block: Sequence[cst.CSTNode], value, path: list, owner=None):
    for index, stmt in enumerate(block):
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is value:
                    return path + [(block, index, owner)]
            continue
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            continue
        for inner in _blocks(stmt):
            found = _find_assignment(inner, value, path + [(block, index, owner)], stmt)
            if found is not None:
                return found
    return None


def _blocks(stmt: cst.CSTNode) -> List[Sequence[cst.CSTNode]]:
    blocks = []
    body = getattr(stmt, "body", None)
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        blocks.append(body.body)
    for attr in ("orelse", "finalbody"):
        extra = getattr(stmt, attr, None)
        if isinstance(extra, (cst.Else, cst.Finally)):
            blocks.append(extra.body.body)
        elif isinstance(extra, cst.If):
            blocks.append([extra])  # elif: a nested if in the else branch
    for handler in getattr(stmt, "handlers", ()) or ():
        blocks.append(handler.body.body)
    for case in getattr(stmt, "cases", ()) or ():
        blocks.append(case.body.body)
    return blocks


class _Finder(cst.CSTVisitor):
    def __init__(self, target: cst.CSTNode) -> None:
        self.target = target
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node is self.target:
            self.found = True
        return not self.found


def _contains(stmt: cst.CSTNode, target: cst.CSTNode) -> bool:
    if stmt is target:
        return True
    finder = _Finder(target)
    stmt.visit(finder)
    return finder.found


# ---------------------------------------------------------------------------------------------
# Parameters


def _parameter_default(resolver: Resolver, scope: Scope, name: str) -> Optional[Tuple[cst.BaseExpression, Scope]]:
    """The default of parameter ``name`` and the scope it is read in, when the function never
    rebinds the name otherwise and does not test its value."""
    function = _function_of(scope, name)
    if function is None:
        return None
    param = _param(function, name)
    if param is None or param.default is None or _rebinds(function.body, name):
        return None
    if _inspects(function.body, name):
        return None  # `if weights == "imagenet": ... else: load(weights)`: the default is a mode
    outer: Optional[Scope] = scope
    while outer is not None and outer.node is not function:
        outer = outer.parent
    return param.default, (outer.parent if outer is not None and outer.parent is not None else resolver.module_scope)


def _function_of(scope: Scope, name: str) -> Optional[cst.FunctionDef]:
    """The function whose parameter ``name`` is (the innermost function scope binding it)."""
    current: Optional[Scope] = scope
    while current is not None:
        if name in current.names:
            node = current.node
            return node if isinstance(node, cst.FunctionDef) else None
        current = current.parent
    return None


def _param(function: cst.FunctionDef, name: str) -> Optional[cst.Param]:
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            return param
    return None


class _Rebinds(cst.CSTVisitor):
    """Any binding of ``name`` other than a plain ``name = value`` (which the resolver tracks)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def _targets(self, target) -> bool:
        if isinstance(target, cst.Name):
            return target.value == self.name
        if isinstance(target, (cst.Tuple, cst.List)):
            return any(self._targets(e.value) for e in target.elements)
        if isinstance(target, cst.StarredElement):
            return self._targets(target.value)
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        if any(not isinstance(t.target, cst.Name) and self._targets(t.target) for t in node.targets):
            self.found = True

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.found = self.found or self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.found = self.found or self._targets(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        pass  # comprehension variables are their own scope

    def visit_AsName(self, node: cst.AsName) -> None:
        self.found = self.found or self._targets(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.found = self.found or self._targets(node.target)

    def visit_Global(self, node: cst.Global) -> None:
        self.found = self.found or any(n.name.value == self.name for n in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.found = self.found or any(n.name.value == self.name for n in node.names)

    def visit_Del(self, node: cst.Del) -> None:
        self.found = self.found or self._targets(node.target)


def _rebinds(body: cst.CSTNode, name: str) -> bool:
    visitor = _Rebinds(name)
    body.visit(visitor)
    return visitor.found


class _Inspects(cst.CSTVisitor):
    """A condition (``if``/``elif``/``while``/``assert``/conditional expression) reads ``name``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def _check(self, test: Optional[cst.CSTNode]) -> None:
        if test is not None and not self.found:
            finder = _NameFinder(self.name)
            test.visit(finder)
            self.found = finder.found

    def visit_If(self, node: cst.If) -> None:
        self._check(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._check(node.test)

    def visit_Assert(self, node: cst.Assert) -> None:
        self._check(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._check(node.test)


class _NameFinder(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        self.found = self.found or node.value == self.name


def _inspects(body: cst.CSTNode, name: str) -> bool:
    """The function tests the parameter's value: its default is then likely a mode or a
    sentinel (Keras applications' ``weights="imagenet"``), not a path this code uses."""
    visitor = _Inspects(name)
    body.visit(visitor)
    return visitor.found


# ---------------------------------------------------------------------------------------------
# Integers (``keras.Input(shape=7)``): is an expression an int, and how sure is that?

SURE = "sure"  # an int literal, `len(...)`/`int(...)`, a name assigned one where it is read
LIKELY = "likely"  # `x.shape[1]`: an entry of a NumPy / TensorFlow / pandas shape


def int_kind(
    resolver: Resolver, node: cst.BaseExpression, use: Optional[cst.CSTNode] = None, scope: Optional[Scope] = None
) -> Optional[str]:
    """SURE or LIKELY when ``node`` evaluates to a Python int, None when not known to."""
    return _int_kind(resolver, node, scope or resolver.scope, use or node, 0, {})


def _int_kind(resolver, node, scope, use, depth, shadow) -> Optional[str]:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, cst.Integer):
        return SURE
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("len", "int"):
        if scope.lookup(node.func.value) is None and len(node.args) == 1 and not node.args[0].keyword:
            return SURE
        return None
    if isinstance(node, cst.Subscript) and _is_shape_entry(node):
        return LIKELY
    if isinstance(node, cst.BinaryOperation) and isinstance(
        node.operator, (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide)
    ):
        kinds = [_int_kind(resolver, n, scope, use, depth + 1, shadow) for n in (node.left, node.right)]
        if None in kinds:
            return None
        return SURE if all(k == SURE for k in kinds) else LIKELY
    if isinstance(node, cst.Name):
        name = node.value
        binding = shadow[name] if name in shadow else scope.lookup(name)
        return _int_binding(resolver, binding, name, use, depth, shadow, scope)
    return None


def _int_binding(resolver, binding: Optional[Binding], name, use, depth, shadow, scope=None) -> Optional[str]:
    if binding is not None and binding.opaque and scope is not None:
        found = _parameter_default(resolver, scope, name)  # callers may pass something else
        if found is None or _int_kind(resolver, found[0], found[1], found[0], depth + 1, {}) is None:
            return None
        return LIKELY
    if binding is None or binding.value is None or binding.scope is None:
        return None
    kind = _int_kind(resolver, binding.value, binding.scope, binding.value, depth + 1, {**shadow, name: binding.previous})
    if kind is None or binding.previous is None or _always_reaches(binding.scope, binding.value, use):
        return kind
    before = _int_binding(resolver, binding.previous, name, use, depth + 1, shadow)
    if before is None:
        return None  # the other value may be a tuple
    return SURE if kind == before == SURE else LIKELY


def _is_shape_entry(node: cst.Subscript) -> bool:
    """``x.shape[1]`` / ``x.shape[-1]``: one entry, not a slice."""
    if not (isinstance(node.value, cst.Attribute) and node.value.attr.value == "shape") or len(node.slice) != 1:
        return False
    index = node.slice[0].slice
    if not isinstance(index, cst.Index):
        return False
    value = index.value
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        value = value.expression
    return isinstance(value, cst.Integer)
