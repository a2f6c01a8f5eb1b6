"""Source offsets of selected CST nodes, computed only for files that produced findings.

LibCST's PositionProvider records a line/column range for every node of the module (about twice
the cost of a parse). We only need the few nodes that diagnostics and fixes point at, and
character offsets are enough (rows and columns come from a LineIndex), so this code generator
counts characters and records ranges for the requested nodes only.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Set, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState

Range = Tuple[int, int]


@dataclass(frozen=False)
class _OffsetState(CodegenState):
    targets: Set[int] = field(default_factory=set)
    syntactic: Dict[int, Range] = field(default_factory=dict)
    inclusive: Dict[int, Range] = field(default_factory=dict)
    offset: int = 0
    _stack: List[int] = field(default_factory=list)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.offset += len(value)

    def pop_trailing_newline(self) -> None:
        pass  # tokens are not kept; offsets of real nodes are unaffected

    def before_codegen(self, node: cst.CSTNode) -> None:
        self._stack.append(self.offset)

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self._stack.pop()
        if id(node) in self.targets:
            self.inclusive[id(node)] = (start, self.offset)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: Optional[cst.CSTNode] = None,
        end_node: Optional[cst.CSTNode] = None,
    ) -> Iterator[None]:
        start = self.offset
        try:
            yield
        finally:
            if id(node) in self.targets:
                end = self.offset
                if end_node is not None and id(end_node) in self.syntactic:
                    end = self.syntactic[id(end_node)][1]
                if start_node is not None and id(start_node) in self.syntactic:
                    start = self.syntactic[id(start_node)][0]
                self.syntactic[id(node)] = (start, end)


@dataclass
class NodeOffsets:
    syntactic: Dict[int, Range]
    inclusive: Dict[int, Range]

    def span(self, node: cst.CSTNode) -> Range:
        """The node's own code, without surrounding whitespace or parentheses."""
        return self.syntactic.get(id(node)) or self.inclusive[id(node)]

    def whole(self, node: cst.CSTNode) -> Range:
        """Exactly the text ``module.code_for_node(node)`` renders."""
        return self.inclusive[id(node)]


def compute_offsets(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> NodeOffsets:
    targets = {id(n) for n in nodes}
    state = _OffsetState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        targets=targets,
    )
    module._codegen(state)
    return NodeOffsets(state.syntactic, state.inclusive)
