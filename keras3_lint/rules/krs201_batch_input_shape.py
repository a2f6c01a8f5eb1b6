"""KRS201: ``batch_input_shape=`` / ``batch_size=`` on a Keras layer (STATEFUL-1)."""

from __future__ import annotations

from typing import Dict, List, Optional

import libcst as cst

from ..rule import FIX_SAFE, Rule, RuleDoc, keyword_arg, without_args


class BatchInputShape(Rule):
    code = "KRS201"
    name = "batch-input-shape"
    summary = "`batch_input_shape=` / `batch_size=` on a layer are rejected by Keras 3; start the model with `keras.Input(batch_shape=...)`."
    fix_safety = FIX_SAFE
    doc = RuleDoc(
        what="""
            Flags `batch_input_shape=` and `batch_size=` passed to a Keras layer constructor
            (`LSTM`, `GRU`, `Embedding`, `Dense`, …). Keras 2 used them to give the first layer
            of a model a fixed batch size, which stateful RNNs need. `keras.Input` and
            `InputLayer` still accept a batch size and are not flagged.
        """,
        why="""
            Keras 3 layers reject unknown keyword arguments at construction time:

                ValueError: Unrecognized keyword arguments passed to Embedding: {'batch_input_shape': [1, None]}
                ValueError: Unrecognized keyword arguments passed to Dense: {'batch_size': 8}

            The model does not build at all on any backend.
        """,
        bad="""
            model = tf.keras.Sequential([
                tf.keras.layers.LSTM(4, batch_input_shape=(1, 10, 3), stateful=True),
                tf.keras.layers.Dense(1),
            ])
        """,
        good="""
            model = tf.keras.Sequential([
                tf.keras.Input(batch_shape=(1, 10, 3)),
                tf.keras.layers.LSTM(4, stateful=True),
                tf.keras.layers.Dense(1),
            ])
        """,
        fix="""
            **Safe.** When the layer opens a `Sequential([...])` list or is the first
            `model.add(...)` of a `Sequential()`, the fix inserts
            `keras.Input(batch_shape=...)` in front of it (with `dtype="int32"` for `Embedding`,
            as its inputs are token ids) and removes the keyword. `batch_size=` is combined with
            a literal `input_shape=`/`input_dim=`. The `Input` is spelled with the file's own
            imports (e.g. `tf.keras.Input`) that run before the edited statement (in a notebook:
            an earlier cell); when none does, an import is added, next to the file's imports or,
            when those come later (a later notebook cell), just before the edited statement.
            Anywhere else (functional models, non-literal shapes) there is no automatic fix:
            pass the batch size to `keras.Input(batch_shape=...)` yourself.
        """,
        sources=(
            "keras-team/keras#20106",
            "tensorflow/tensorflow#86310",
            "keras-team/keras#20327 (the RNN docs still show `batch_input_shape`)",
            "Checked: keras 3.15.1 rejects `batch_size=` on LSTM, GRU, SimpleRNN, RNN, ConvLSTM2D, Bidirectional, TimeDistributed, Embedding and Dense; `keras.Input(batch_size=)`, `InputLayer(batch_size=)` and `InputLayer(batch_input_shape=)` are accepted",
        ),
        facts=("STATEFUL-1",),
    )

    # Layers that accept a batch size in Keras 3 (checked against keras 3.15.1).
    _ACCEPTING = frozenset({"keras.layers.InputLayer"})

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # id(layer call) -> ("list", None) or ("add", statement) when the layer opens a Sequential
        self._opening: Dict[int, tuple] = {}
        self._adds_seen: Dict[int, int] = {}  # id(Sequential() call) -> number of .add() calls seen
        self._statement: Optional[cst.SimpleStatementLine] = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement = node

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.call_name(node)
        if name == "keras.Sequential":
            self._note_sequential_list(node)
        self._note_first_add(node)
        if name is None or not name.startswith("keras.layers.") or name in self._ACCEPTING:
            return
        if not name.rsplit(".", 1)[-1][:1].isupper():
            return
        batch_input_shape = keyword_arg(node, "batch_input_shape")
        batch_size = keyword_arg(node, "batch_size")
        if batch_input_shape is None and batch_size is None:
            return
        layer = name.rsplit(".", 1)[-1]
        fix = self._fix(node, name, batch_input_shape, batch_size)
        for arg in (batch_input_shape, batch_size):
            if arg is None:
                continue
            keyword = arg.keyword.value
            self.report(
                arg,
                f"`{keyword}=` is rejected by Keras 3 (`ValueError: Unrecognized keyword arguments "
                f"passed to {layer}`); give the batch size to a leading "
                f"`keras.Input(batch_shape=...)` instead",
                fix=fix,
            )
            fix = None  # one fix for the layer, attached to its first finding

    def _note_sequential_list(self, node: cst.Call) -> None:
        layers = node.args[0] if node.args and node.args[0].keyword is None else keyword_arg(node, "layers")
        if layers is not None and isinstance(layers.value, (cst.List, cst.Tuple)) and layers.value.elements:
            first = layers.value.elements[0].value
            if isinstance(first, cst.Call):
                self._opening[id(first)] = ("list", None)

    def _note_first_add(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "add" and isinstance(func.value, cst.Name)):
            return
        binding = self.ctx.scope.lookup(func.value.value)
        created = binding.value if binding is not None else None
        if not isinstance(created, cst.Call) or self.ctx.resolver.call_name(created, binding.scope) != "keras.Sequential":
            return
        if created.args:  # Sequential([...]) already has layers
            return
        count = self._adds_seen.get(id(created), 0)
        self._adds_seen[id(created)] = count + 1
        if count == 0 and node.args and isinstance(node.args[0].value, cst.Call) and self._statement is not None:
            statement = self._statement
            if len(statement.body) == 1 and isinstance(statement.body[0], cst.Expr) and statement.body[0].value is node:
                self._opening[id(node.args[0].value)] = ("add", (statement, func.value.value))

    def _fix(self, node: cst.Call, name: str, batch_input_shape, batch_size):
        opening = self._opening.get(id(node))
        if opening is None:
            return None
        removed: List[cst.Arg] = [a for a in (batch_input_shape, batch_size) if a is not None]
        if batch_input_shape is not None:
            shape = self.ctx.code_for(batch_input_shape.value)
        else:
            shape = self._shape_from_batch_size(node, name, batch_size, removed)
            if shape is None:
                return None
        reference = self.ctx.keras_reference("keras.Input", like=node.func)
        import_text = None
        if reference is None:
            reference, import_text = self.ctx.import_for("keras.Input", self._origin(node))
            if reference is None:
                return None
        dtype = ""
        if name == "keras.layers.Embedding":
            dtype = ', dtype="int32"'
        elif keyword_arg(node, "dtype") is not None:
            dtype = f", dtype={self.ctx.code_for(keyword_arg(node, 'dtype').value)}"
        input_call = f"{reference}(batch_shape={shape}{dtype})"
        fix = self.safe_fix(f"Insert `{input_call}` before the layer and drop `{removed[0].keyword.value}=`")
        kind, extra = opening
        if kind == "list":
            fix.insert_before(node, input_call + ",\n")
        else:
            statement, model_name = extra
            fix.insert_before(statement, f"{model_name}.add({input_call})\n")
        fix.replace(node, without_args(node, removed))
        if import_text is not None:
            self.ctx.add_import(fix, import_text, at=node)
        return fix

    def _shape_from_batch_size(self, node: cst.Call, name: str, batch_size, removed: List[cst.Arg]) -> Optional[str]:
        size = self.ctx.code_for(batch_size.value)
        input_shape = keyword_arg(node, "input_shape")
        input_dim = keyword_arg(node, "input_dim")
        if input_shape is not None and isinstance(input_shape.value, (cst.Tuple, cst.List)):
            dims = [self.ctx.code_for(e.value) for e in input_shape.value.elements]
            removed.append(input_shape)
        elif input_dim is not None and name != "keras.layers.Embedding":  # Embedding's is the vocabulary size
            dims = [self.ctx.code_for(input_dim.value)]
            removed.append(input_dim)
        else:
            return None
        return "(" + ", ".join([size, *dims]) + ")"

    def _origin(self, node: cst.Call) -> Optional[str]:
        resolved = self.ctx.resolver.resolve(node.func)
        return resolved.origin if resolved is not None else None

