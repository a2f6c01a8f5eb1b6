"""Family 7, saving/loading and training: KRS701-KRS710, KRS721, KRS726-KRS728.

tf_keras 2.21 (Keras 2) against keras 3.15.1 (TensorFlow backend); KRS704 also on keras 3.8.0 and
KRS726 on keras 3.11.0. Every program runs in its own folder (EVIDENCE_WORKDIR). For the loading
rules (KRS705-KRS709) the Keras 2 run writes the artifact (SavedModel folder, TF checkpoint,
compiled `.h5`, LSTM `.h5`, model JSON) and the Keras 3 run of the same program then loads it from
the same folder.

All runs of a rule are one chain (Keras 2, then Keras 3, then the fixed program); the chains of the
selected tests run two at a time in the background, so this file keeps both cores busy even though
`--dist loadfile` gives it a single worker.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import _lint, assert_quoted, close, fixed, fixed_copy, program_path, run

_ROOT = tempfile.mkdtemp(prefix="k3l-evidence-saving-")
atexit.register(shutil.rmtree, _ROOT, True)


def _folder() -> str:
    return tempfile.mkdtemp(dir=_ROOT)


def _run(program: str, keras: str = "3", workdir: str = None, old: str = None):
    return run(program, keras=keras, old=old, env={"EVIDENCE_WORKDIR": workdir or _folder()})


def _safe_fixed(program: str, code: str) -> str:
    """The program after `keras3-lint check --fix --select CODE` (safe fixes only)."""
    return fixed_copy(program, code, _folder(), unsafe=False)


def _separate(code: str, fix: str = None) -> dict:
    """Keras 2, Keras 3 and fixed runs, each in a fresh folder. fix: "safe", "unsafe" or None."""
    program = code + ".py"
    runs = {"k2": _run(program, "2"), "k3": _run(program)}
    if fix == "safe":
        runs["fixed"] = _run(_safe_fixed(program, code))
    elif fix == "unsafe":
        runs["fixed"] = _run(fixed(program, code))
    return runs


def _keras2_then_keras3(code: str, fix: str = None) -> dict:
    """The Keras 2 run writes its artifact into a folder; the Keras 3 runs load it from there."""
    program = code + ".py"
    folder = _folder()
    runs = {"k2": _run(program, "2", folder), "k3": _run(program, "3", folder)}
    if fix == "unsafe":
        runs["fixed"] = _run(fixed(program, code), "3", folder)
    return runs


def _krs704() -> dict:
    runs = _separate("KRS704")
    runs["fixed"] = _run(fixed("KRS704.py", "KRS704"))
    runs["safe"] = _run(_safe_fixed("KRS704.py", "KRS704"))
    runs["3.8.0"] = _run("KRS704.py", old="3.8.0")
    return runs


def _krs726() -> dict:
    return {"k2": _run("SEQ1.py", "2"), "3.11.0": _run("SEQ1.py", old="3.11.0"), "k3": _run("SEQ1.py")}


CHAINS = {
    "KRS701": lambda: _separate("KRS701", "unsafe"),
    "KRS702": lambda: dict(_separate("KRS702", "safe"), unsafe=_run(fixed("KRS702.py", "KRS702"))),
    "KRS703": lambda: _separate("KRS703", "safe"),
    "KRS704": _krs704,
    "KRS705": lambda: _keras2_then_keras3("KRS705"),
    "KRS706": lambda: _keras2_then_keras3("KRS706"),
    "KRS707": lambda: _keras2_then_keras3("KRS707", "unsafe"),
    "KRS708": lambda: _keras2_then_keras3("KRS708"),
    "KRS709": lambda: _keras2_then_keras3("KRS709"),
    "KRS710": lambda: _separate("KRS710"),
    "KRS721": lambda: _separate("KRS721", "unsafe"),
    "KRS726": _krs726,
    "KRS727": lambda: _separate("KRS727"),
    "KRS728": lambda: _separate("KRS728", "unsafe"),
}


def _code_of(name: str) -> str:
    return "KRS" + name.split("_")[1][3:]  # test_krs701_... -> KRS701


@pytest.fixture(scope="module")
def chains(request):
    """Starts the chains of this module's selected tests, two at a time; returns a getter."""
    wanted = []
    for item in request.session.items:
        if item.module is request.module and item.name.startswith("test_krs"):
            code = _code_of(item.name)
            if code not in wanted:
                wanted.append(code)
    pool = ThreadPoolExecutor(max_workers=int(os.environ.get("EVIDENCE_PARALLEL", "2")))
    futures = {code: pool.submit(CHAINS[code]) for code in wanted}
    yield lambda code: futures[code].result()
    pool.shutdown(wait=True)


def _ok(runs: dict) -> dict:
    for r in runs.values():
        r.ok()
    return runs


def same_output(a, b) -> bool:
    return close(a, b, tol=1e-6)


# -- saving ------------------------------------------------------------------------------------


def test_krs701_save_without_extension_rejected_keras_file_restores_same_model(chains):
    r = _ok(chains("KRS701"))
    k2, k3, after = r["k2"], r["k3"], r["fixed"]
    assert k2["impl"] == "tf_keras" and k3["impl"] == "keras"
    assert k2.value("save", "saved") == {"my_model": "folder"}  # Keras 2: a SavedModel folder
    assert same_output(k2.value("save", "output"), k2["expected"])
    assert_quoted(
        "KRS701",
        k3.error("save"),
        "ValueError: Invalid filepath extension for saving. Please add either a `.keras` extension for the native "
        "Keras format (recommended) or a `.h5` extension. Use `model.export(filepath)` if you want to export a "
        "SavedModel for use with TFLite/TFServing/etc. Received: filepath=my_model.",
    )
    # Unsafe fix: the save and its load move to my_model.keras (a zip, no longer a folder).
    assert after.value("save", "saved") == {"my_model.keras": "zip"}
    assert same_output(after.value("save", "output"), k2.value("save", "output"))
    # Keras 2 created a missing parent folder for the SavedModel; Keras 3 does not for `.keras`.
    assert same_output(k2.value("in_folder", "output"), k2["expected"])
    assert "Received: filepath=saved_models/my_model." in k3.error("in_folder")
    assert "FileNotFoundError: [Errno 2] No such file or directory: 'saved_models/my_model.keras'" in after.error("in_folder")


def test_krs702_save_format_rejected_and_dropping_it_writes_the_same_formats(chains):
    r = _ok(chains("KRS702"))
    k2, k3, safe, unsafe = r["k2"], r["k3"], r["fixed"], r["unsafe"]
    assert k2.value("save_tf", "written") == {"tf_model": "folder"}
    assert k2.value("save_h5", "written") == {"model.h5": "hdf5"}
    assert k2.value("save_h5_no_extension", "written") == {"h5_model": "hdf5"}
    assert k2.value("save_weights_h5", "written") == {"model.weights.h5": "hdf5"}
    assert_quoted(
        "KRS702",
        k3.error("save_tf"),
        "ValueError: The `save_format` argument is deprecated in Keras 3. Please remove this argument and pass a "
        "file path with either `.keras` or `.h5` extension.Received: save_format=tf",
    )
    assert "Received: save_format=h5" in k3.error("save_h5_no_extension")
    assert_quoted(
        "KRS702", k3.error("save_weights_h5"), "TypeError: Model.save_weights() got an unexpected keyword argument 'save_format'"
    )
    # With an extension Keras 3 only warns and writes what the extension says.
    assert k3.value("save_h5", "written") == {"model.h5": "hdf5"}
    assert "The `save_format` argument is deprecated in Keras 3. We recommend removing this argument" in k3.stderr
    # Safe fixes (save_format="h5" dropped where the path says .h5): same HDF5 files, same weights.
    for after in (safe, unsafe):
        assert after.value("save_h5", "written") == {"model.h5": "hdf5"}
        assert same_output(after.value("save_h5", "output"), k2.value("save_h5", "output"))
        assert after.value("save_weights_h5", "written") == {"model.weights.h5": "hdf5"}
        assert after.value("save_weights_h5", "same_weights") is True
        assert same_output(after.value("save_weights_h5", "output"), k2.value("save_weights_h5", "output"))
    safe.error("save_tf")  # the unsafe cases are left alone by --fix
    safe.error("save_h5_no_extension")
    # Unsafe fixes: save_format="tf" -> a .keras zip instead of a SavedModel folder; "h5" -> the file gains .h5.
    assert unsafe.value("save_tf", "written") == {"tf_model.keras": "zip"}
    assert unsafe.value("save_h5_no_extension", "written") == {"h5_model.h5": "hdf5"}


def test_krs703_save_weights_extension_rejected_renamed_pair_restores_identical_weights(chains):
    r = _ok(chains("KRS703"))
    k2, k3, after = r["k2"], r["k3"], r["fixed"]
    assert k2.value("checkpoint", "files") == ["my_weights.data-00000-of-00001", "my_weights.index"]  # TF checkpoint
    assert k2.value("h5", "files") == ["w.h5"]
    for name in ("checkpoint", "h5", "in_folder"):
        assert k2.value(name, "same_weights") is True, name
    assert_quoted("KRS703", k3.error("h5"), "ValueError: The filename must end in `.weights.h5`. Received: filepath=w.h5")
    assert "ValueError: The filename must end in `.weights.h5`. Received: filepath=my_weights" in k3.error("checkpoint")
    k3.error("in_folder")
    # Safe fix (each save_weights renamed with its load_weights): identical weights restored, same outputs.
    assert after.value("checkpoint", "files") == ["my_weights.weights.h5"]
    assert after.value("h5", "files") == ["w.weights.h5"]
    for name in ("checkpoint", "h5"):
        assert after.value(name, "same_weights") is True, name
    # "ckpt/my_weights": Keras 2's TF checkpoint created the folder, Keras 3's .weights.h5 writer does
    # not (a renamed program failed with FileNotFoundError when this was measured), so renaming a path
    # with a folder part is an unsafe fix: the safe fix leaves it, and Keras 3 still rejects the name.
    assert "The filename must end in `.weights.h5`. Received: filepath=ckpt/my_weights" in after.error("in_folder")
    for name in ("checkpoint", "h5"):
        assert same_output(after.value(name, "output"), k2.value(name, "output")), name


def test_krs704_modelcheckpoint_paths_rejected_in_constructor_fixed_paths_train_and_save(chains):
    r = _ok(chains("KRS704"))
    k2, k3, after, safe, v38 = r["k2"], r["k3"], r["fixed"], r["safe"], r["3.8.0"]
    assert k2.value("model", "folder") is True
    assert same_output(k2.value("model", "output"), k2.value("model", "expected"))
    assert k2.value("weights", "files") == ["weights.01.hdf5", "weights.02.hdf5"]
    assert k2.value("weights", "same_weights") is True
    assert k2.value("hdf5_model", "files") == ["best.hdf5"]
    assert same_output(k2.value("hdf5_model_load", "output"), k2.value("hdf5_model", "expected"))
    # Keras 3 raises in the constructor, before any training (also on keras 3.8.0).
    for r3 in (k3, v38):
        assert_quoted(
            "KRS704", r3.error("created"), "ValueError: The filepath provided must end in `.keras` (Keras model format). Received: filepath="
        )
        assert r3.error("created").endswith("filepath=created_model")
    assert "Received: filepath=my_checkpoint" in k3.error("model")
    assert_quoted(
        "KRS704",
        k3.error("weights"),
        "ValueError: When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in "
        "`.weights.h5` (Keras weights format). Received: filepath=weights.{epoch:02d}.hdf5",
    )
    assert "must end in `.keras` (Keras model format). Received: filepath=best.hdf5" in k3.error("hdf5_model")
    # Safe fix: the folder checkpoint and its load_model move to .keras; the .hdf5 ones stay (unsafe).
    assert safe.value("model", "folder") is False
    assert same_output(safe.value("model", "output"), safe.value("model", "expected"))
    safe.error("weights")
    # All fixes: every checkpoint trains and saves; the weights restore identically.
    assert after.value("weights", "files") == ["weights.01.weights.h5", "weights.02.weights.h5"]
    assert after.value("weights", "same_weights") is True
    assert after.value("hdf5_model", "files") == ["best.h5"] and after.value("hdf5_model", "hdf5") is True
    # ... but Keras 3 cannot load back its own `.h5` of a model compiled with loss="mse" (LOAD-3 / KRS707
    # hits Keras 3-written files too); compile=False loads it.
    assert "Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass" in after.error("hdf5_model_load")
    assert same_output(after.value("hdf5_model_load_uncompiled", "output"), after.value("hdf5_model", "expected"))


# -- loading Keras 2 artifacts -----------------------------------------------------------------


def test_krs705_keras2_savedmodel_folder_not_loadable_tfsmlayer_same_outputs(chains):
    r = _ok(chains("KRS705"))
    k2, k3 = r["k2"], r["k3"]
    assert same_output(k2.value("load", "output"), k2["written"])
    error = k3.error("load")
    assert error.startswith("ValueError: File format not supported: filepath=exported_savedmodel.")
    assert_quoted("KRS705", error, "ValueError: File format not supported: filepath=")
    assert_quoted(
        "KRS705",
        error,
        "Keras 3 only supports V3 `.keras` files, legacy H5 format files (`.h5` extension). Note that the legacy SavedModel format is not supported "
        "by `load_model()` in Keras 3. In order to reload a TensorFlow SavedModel as an inference-only layer in "
        "Keras 3, use `keras.layers.TFSMLayer(",
    )
    assert "TFSMLayer(exported_savedmodel, call_endpoint='serving_default')` " in error
    # The docs' inference-only replacement reproduces the Keras 2 outputs.
    assert same_output(k3.value("tfsmlayer", "output"), k2["written"])


def test_krs706_keras2_tf_checkpoint_not_loadable_h5_conversion_loads(chains):
    r = _ok(chains("KRS706"))
    k2, k3 = r["k2"], r["k3"]
    assert k2["files"] == ["checkpoint", "cp.ckpt.data-00000-of-00001", "cp.ckpt.index"]
    assert same_output(k2.value("checkpoint", "output"), k2["written"])
    assert_quoted(
        "KRS706",
        k3.error("checkpoint"),
        "Keras 3 only supports V3 `.keras` files, `.weights.h5` files, legacy H5 format files (`.h5` extension), or Orbax checkpoints.",
    )
    assert "ValueError: File format not supported: filepath=training_1/cp.ckpt." in k3.error("checkpoint")
    assert_quoted("KRS706", k3.error("checkpoint"), "ValueError: File format not supported: filepath=")
    # The docs' way out: the .h5 written once under Keras 2 loads in Keras 3 with the same outputs.
    assert same_output(k3.value("converted", "output"), k2["written"])


def test_krs707_keras2_compiled_h5_fails_compile_false_loads_but_is_uncompiled(chains):
    r = _ok(chains("KRS707"))
    k2, k3, after = r["k2"], r["k3"], r["fixed"]
    for name in ("strings", "objects"):
        assert same_output(k2.value(name, "output"), k2["written"]), name
    k2.value("strings_evaluate")
    assert_quoted(
        "KRS707", k3.error("strings"), "ValueError: Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass"
    )
    assert_quoted(
        "KRS707", k3.error("objects"), "TypeError: <class 'keras.src.losses.losses.MeanSquaredError'> could not be deserialized properly"
    )
    # Unsafe fix (compile=False): both files load with the Keras 2 outputs ...
    for name in ("strings", "objects"):
        assert same_output(after.value(name, "output"), k2.value(name, "output")), name
    # ... and the model is uncompiled, as the docs warn: evaluate() now needs a compile() first.
    assert "You must call `compile()` before using the model" in after.error("strings_evaluate")


def test_krs708_keras2_lstm_h5_time_major_even_uncompiled_shim_and_rebuild_load(chains):
    r = _ok(chains("KRS708"))
    k2, k3 = r["k2"], r["k3"]
    for name in ("load", "load_uncompiled", "shim", "rebuild"):
        assert same_output(k2.value(name, "output"), k2["written"]), name
    quoted = "ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major': False}"
    assert_quoted("KRS708", k3.error("load"), quoted)
    assert_quoted("KRS708", k3.error("load_uncompiled"), quoted)
    # The docs' shim in custom_objects, and rebuilding + load_weights, give the Keras 2 outputs.
    assert same_output(k3.value("shim", "output"), k2["written"])
    assert same_output(k3.value("rebuild", "output"), k2["written"])


def test_krs709_keras2_model_json_not_loadable_rebuild_loads_weights(chains):
    r = _ok(chains("KRS709"))
    k2, k3 = r["k2"], r["k3"]
    assert same_output(k2.value("from_json", "output"), k2["written"])
    assert_quoted(
        "KRS709",
        k3.error("from_json"),
        "TypeError: Could not locate class 'Sequential'. Make sure custom classes and functions are decorated "
        "with `@keras.saving.register_keras_serializable()`.",
    )
    assert same_output(k3.value("rebuild", "output"), k2["written"])


def test_krs710_lambda_reload_refused_keras_file_also_on_keras2_h5_new_in_keras3(chains):
    r = _ok(chains("KRS710"))
    k2, k3 = r["k2"], r["k3"]
    assert_quoted(
        "KRS710",
        k3.error("keras_file"),
        "ValueError: Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. This "
        "carries a potential risk of arbitrary code execution and thus it is disallowed by default. If you trust "
        "the source of the artifact, you can override this error by passing `safe_mode=False` to the loading function",
    )
    # Discrepancy with the rule's scope: tf_keras 2.21 already refused the `.keras` reload ...
    assert "Requested the deserialization of a Lambda layer with a Python `lambda` inside it" in k2.error("keras_file")
    # ... while the `.h5` reload, which the rule skips, is what changed: fine in Keras 2, refused in Keras 3.
    assert same_output(k2.value("h5_file", "output"), k2["expected"])
    assert "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda" in k3.error("h5_file")
    # The docs' replacement, a named registered layer, reloads everywhere with the same outputs.
    for r_ in (k2, k3):
        assert same_output(r_.value("custom_layer", "output"), k2["expected"]), r_.label


# -- training and silent changes ---------------------------------------------------------------


def _metric_keys(history):
    return sorted(k for k in history if k not in ("loss", "a_loss", "b_loss"))


def test_krs721_flat_metrics_raise_or_pair_fixed_lists_match_keras2_history(chains):
    r = _ok(chains("KRS721"))
    k2, k3, after = r["k2"], r["k3"], r["fixed"]
    assert _metric_keys(k2.value("one_metric", "history")) == ["a_accuracy", "b_accuracy"]
    assert _metric_keys(k2.value("two_metrics", "history")) == [
        "a_accuracy", "a_sparse_categorical_crossentropy", "b_accuracy", "b_sparse_categorical_crossentropy",
    ]
    error = k3.error("one_metric")
    # Keras separates the three sentences with newlines, the docs with spaces: checked piecewise.
    for fragment in (
        "ValueError: tuple arity mismatch; expected: 2, got: 1; tuple: ('accuracy',).",
        "Invalid `metrics`. `metrics` should contain metrics objects and either be a dict or a list matching the "
        "output names of the functional model ['a', 'b'] or match the output structure of the model: ['X', 'X'].",
        "Received: metrics=['accuracy']",
    ):
        assert_quoted("KRS721", error, fragment)
    # Same-length list: silently paired, one metric per output.
    assert _metric_keys(k3.value("two_metrics", "history")) == ["a_accuracy", "b_sparse_categorical_crossentropy"]
    # Fix: the Keras 2 metrics, with the Keras 2 values.
    for name in ("one_metric", "two_metrics"):
        expected, got = k2.value(name, "history"), after.value(name, "history")
        assert sorted(got) == sorted(expected), name
        for key in expected:
            assert close(got[key], expected[key], tol=1e-5), (name, key)


def _flag_seq1(version: str) -> list:
    done = _lint(program_path("SEQ1.py"), "KRS726", ["--output-format", "json", "--exit-zero", "--keras-version", version])
    assert done.returncode == 0, done.stdout + done.stderr
    return [f for f in json.loads(done.stdout) if f["code"] == "KRS726"]


def test_krs726_masked_accuracy_counts_padding_on_3_11_not_on_3_15(chains):
    """SEQ1.py (the ch16 replica) is flagged for keras 3.11 only, where the reported accuracy is wrong."""
    assert _flag_seq1("3.11.0") and not _flag_seq1("3.12.0") and not _flag_seq1("3.15.1")
    r = _ok(chains("KRS726"))
    k2, old, new = r["k2"], r["3.11.0"], r["k3"]
    assert old["keras"] == "3.11.0" and new["keras"] == "3.15.1"
    for run_ in (k2, old, new):
        assert close(run_["loss"], k2["loss"], tol=1e-5), run_.label  # the same training everywhere
        assert run_["masked_accuracy"] > run_["unmasked_accuracy"] + 0.05, run_.label
    assert close(k2["reported_accuracy"], k2["masked_accuracy"])
    assert close(new["reported_accuracy"], new["masked_accuracy"])
    assert close(old["reported_accuracy"], old["unmasked_accuracy"])  # 3.11: padding counted


def test_krs727_convlstm_default_changed_hard_sigmoid_redefined_keras2_clip_reproduces(chains):
    r = _ok(chains("KRS727"))
    k2, k3 = r["k2"], r["k3"]
    assert k2["default_activation"] == "hard_sigmoid" and k3["default_activation"] == "sigmoid"
    assert k2["defaults_1d_3d"] == ["hard_sigmoid", "hard_sigmoid"] and k3["defaults_1d_3d"] == ["sigmoid", "sigmoid"]
    # The silent difference: same weights, same inputs, other outputs.
    assert not close(k3["default"], k2["default"], tol=1e-3)
    assert close(k3["default"], k2["sigmoid"]) and close(k3["sigmoid"], k2["sigmoid"])
    # "hard_sigmoid" was redefined (0.2x + 0.5 -> x/6 + 0.5): passing it does not restore Keras 2 ...
    assert close(k2["hard_sigmoid_values"], [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1])
    assert close(k3["hard_sigmoid_values"], [0, 1 / 6, 1 / 3, 0.5, 2 / 3, 5 / 6, 1])
    assert close(k2["hard_sigmoid"], k2["default"], tol=0)
    assert not close(k3["hard_sigmoid"], k2["default"], tol=1e-3)
    # ... the docs' clip(0.2 * x + 0.5, 0, 1) does.
    assert close(k3["keras2_hard_sigmoid"], k2["default"]) and close(k2["keras2_hard_sigmoid"], k2["default"])


def test_krs728_to_categorical_float64_astype_fix_gives_keras2_float32(chains):
    r = _ok(chains("KRS728"))
    k2, k3, after = r["k2"], r["k3"], r["fixed"]
    assert (k2["dtype"], k2["nbytes"], k2["mixed_dtype"]) == ("float32", 96, "float32")
    assert (k3["dtype"], k3["nbytes"], k3["mixed_dtype"]) == ("float64", 192, "float64")  # twice the memory
    assert k3["values"] == k2["values"]
    assert close(k3["loss"], k2["loss"])  # fit() converts the float64 targets: same training
    # Unsafe fix (NumPy labels only): .astype("float32") gives the Keras 2 dtype and values.
    assert (after["dtype"], after["nbytes"], after["mixed_dtype"]) == ("float32", 96, "float32")
    assert after["values"] == k2["values"]
    assert close(after["loss"], k2["loss"])
