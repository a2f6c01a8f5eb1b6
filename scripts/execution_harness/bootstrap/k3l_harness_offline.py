"""Makes a Keras program run offline and briefly; installed by sitecustomize.py in this folder.

- Network: connecting a socket to anything but this machine raises `OfflineError`, and so does
  `keras.utils.get_file` (Keras 3 and tf_keras) — the run is classified "needs data" — except
  for the few files that k3l_harness_downloads makes up (a text corpus, the bAbI archive) and
  `keras.applications` weights, which stay random (`Model.load_weights` skips their marker path).
- Dataset loaders (`keras.datasets.mnist.load_data`, ... and `get_word_index`, and
  scikit-learn's `fetch_california_housing`) return synthetic arrays of the real shapes
  (k3l_harness_synthetic). `tf.keras.datasets` is the same Keras 3 module.
- Training is capped: every `fit`/`fit_generator` runs one epoch on at most two batches of array
  data (or two steps of a dataset/generator), and returns a History of the requested epochs (the
  one run, repeated: programs plot it against `range(epochs)`); after a budget of calls (`BUDGET`) the program is
  stopped with `BudgetReached` (a BaseException, so `except Exception` in the program does not
  swallow it) and the run counts as ok: the code up to that point ran.

Keras is patched lazily, right after the module that defines each object is executed (an import
hook), so installing this costs nothing and the program still chooses its backend itself.
"""

import importlib.abc
import importlib.util
import inspect
import os
import socket
import sys

OFFLINE_MARK = "offline (keras3-lint harness)"
BUDGET = {"fit": 5, "fit_generator": 5, "train_on_batch": 40, "predict": 200, "predict_on_batch": 200, "evaluate": 40}
_calls = {}


class OfflineError(OSError):
    """A download or network connection attempted by a program run by the harness."""


class BudgetReached(BaseException):
    """The program used its budget of training/prediction calls; the run so far counts as ok."""


def _offline(what):
    raise OfflineError(f"{OFFLINE_MARK}: {what} is not available; the harness runs programs without network")


# -- network -----------------------------------------------------------------------------------

_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0", "")


def _is_local(address):
    return isinstance(address, tuple) and str(address[0]) in _LOCAL_HOSTS


def _block_network():
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
            _offline(f"a connection to {address!r}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
            _offline(f"a connection to {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and str(host) not in _LOCAL_HOSTS:
            _offline(f"the address of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo


def _get_file(*args, **kwargs):
    import k3l_harness_downloads as downloads

    fname = kwargs.get("fname") or (args[0] if args else None)
    origin = kwargs.get("origin") or (args[1] if len(args) > 1 else None)
    extract = kwargs.get("extract") or kwargs.get("untar") or (len(args) > 2 and args[2])
    path = downloads.synthetic_path(fname, origin, extract)
    if path is None:
        _offline(f"the download {origin or fname or '?'!r}")
    return path


# -- training cap ------------------------------------------------------------------------------


def _count(name):
    _calls[name] = _calls.get(name, 0) + 1
    if _calls[name] > BUDGET[name]:
        raise BudgetReached(f"budget of {BUDGET[name]} {name} calls used")


def _is_array(value):
    shape = getattr(value, "shape", None)
    return shape is not None and len(shape) >= 1 and hasattr(value, "__getitem__")


def _slice(value, rows):
    """The first `rows` rows of an array or a list/tuple/dict of arrays; None if not array data."""
    if _is_array(value):
        return value[:rows]
    if isinstance(value, (list, tuple)) and value and all(_is_array(v) for v in value):
        return type(value)(v[:rows] for v in value)
    if isinstance(value, dict) and value and all(_is_array(v) for v in value.values()):
        return {k: v[:rows] for k, v in value.items()}
    return None


def _cap_fit(arguments, data_name):
    batch = arguments.get("batch_size") or 32
    rows = 2 * int(batch)
    arguments["epochs"] = int(arguments.get("initial_epoch") or 0) + 1
    data = arguments.get(data_name)
    sliced = _slice(data, rows)
    if sliced is not None:
        arguments[data_name] = sliced
        for name in ("y", "sample_weight"):
            if arguments.get(name) is not None:
                capped = _slice(arguments[name], rows)
                arguments[name] = capped if capped is not None else arguments[name]
    if data is not None and (sliced is None or arguments.get("steps_per_epoch")):
        arguments["steps_per_epoch"] = min(arguments.get("steps_per_epoch") or 2, 2)
    validation = arguments.get("validation_data")
    if validation is not None:
        if isinstance(validation, (list, tuple)) and all(v is None or _slice(v, rows) is not None for v in validation):
            arguments["validation_data"] = type(validation)(v if v is None else _slice(v, rows) for v in validation)
        else:
            arguments["validation_steps"] = min(arguments.get("validation_steps") or 1, 1)


def _requested_epochs(signature, arguments):
    epochs = arguments.get("epochs", signature.parameters["epochs"].default if "epochs" in signature.parameters else 1)
    return int(epochs or 1) - int(arguments.get("initial_epoch") or 0)


def _pad_history(history, requested):
    """The History of the epochs the program asked for: the one epoch run, repeated.

    Programs plot `history.history["loss"]` against `range(1, epochs + 1)`; a one-epoch History
    would make them fail where the real run would not.
    """
    logs, epochs = getattr(history, "history", None), getattr(history, "epoch", None)
    if not isinstance(logs, dict) or not isinstance(epochs, list) or not epochs or len(epochs) >= requested:
        return history
    missing = requested - len(epochs)
    for values in logs.values():
        if isinstance(values, list) and values:
            values.extend([values[-1]] * missing)
    epochs.extend(range(epochs[-1] + 1, epochs[-1] + 1 + missing))
    return history


def _wrap_fit(original, name, data_name):
    signature = inspect.signature(original)

    def fit(self, *args, **kwargs):
        _count(name)
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError:
            return original(self, *args, **kwargs)  # let Keras report the bad call itself
        arguments = bound.arguments
        extra = arguments.pop(next((p.name for p in signature.parameters.values() if p.kind == p.VAR_KEYWORD), ""), {})
        requested = _requested_epochs(signature, arguments)
        _cap_fit(arguments, data_name)
        positional = [arguments.pop(p) for p in list(signature.parameters)[:1]]
        return _pad_history(original(*positional, **arguments, **extra), requested)

    fit.__wrapped__ = original
    fit.__name__ = original.__name__
    fit.__doc__ = original.__doc__
    return fit


def _wrap_counted(original, name):
    def counted(self, *args, **kwargs):
        _count(name)
        return original(self, *args, **kwargs)

    counted.__wrapped__ = original
    counted.__name__ = original.__name__
    counted.__doc__ = original.__doc__
    return counted


def _wrap_load_weights(original):
    def load_weights(self, filepath, *args, **kwargs):
        import k3l_harness_downloads as downloads

        if downloads.is_random_weights(filepath):
            return None  # offline pretrained weights: the model keeps its random initial ones
        return original(self, filepath, *args, **kwargs)

    load_weights.__wrapped__ = original
    load_weights.__name__ = original.__name__
    load_weights.__doc__ = original.__doc__
    return load_weights


def _patch_model(cls):
    if getattr(cls, "_k3l_harness_patched", False):
        return
    cls._k3l_harness_patched = True
    for name, data_name in (("fit", "x"), ("fit_generator", "generator")):
        original = getattr(cls, name, None)
        if original is not None:
            setattr(cls, name, _wrap_fit(original, name, data_name))
    for name in ("train_on_batch", "predict", "predict_on_batch", "evaluate"):
        original = getattr(cls, name, None)
        if original is not None:
            setattr(cls, name, _wrap_counted(original, name))
    if getattr(cls, "load_weights", None) is not None:
        cls.load_weights = _wrap_load_weights(cls.load_weights)


# -- lazy patches ------------------------------------------------------------------------------


def _patch_dataset(short):
    def patch(module):
        import k3l_harness_synthetic as synthetic

        module.load_data = synthetic.LOADERS[short]
        if hasattr(module, "get_word_index"):
            module.get_word_index = synthetic.word_index

    return patch


def _patch_sklearn_loader(name):
    def patch(module):
        import k3l_harness_synthetic as synthetic

        setattr(module, name, getattr(synthetic, name))

    return patch


def _patch_file_utils(module):
    module.get_file = _get_file


def _patch_model_module(attribute):
    def patch(module):
        _patch_model(getattr(module, attribute))

    return patch


PATCHES = {}
for _short in ("mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters", "boston_housing"):
    PATCHES[f"keras.src.datasets.{_short}"] = _patch_dataset(_short)
    PATCHES[f"tf_keras.src.datasets.{_short}"] = _patch_dataset(_short)
PATCHES["sklearn.datasets._california_housing"] = _patch_sklearn_loader("fetch_california_housing")
PATCHES["keras.src.utils.file_utils"] = _patch_file_utils
PATCHES["tf_keras.src.utils.data_utils"] = _patch_file_utils
PATCHES["keras.src.models.model"] = _patch_model_module("Model")
PATCHES["tf_keras.src.engine.training"] = _patch_model_module("Model")


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, patch):
        self._loader, self._patch = loader, patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._patch(module)

    def __getattr__(self, name):  # get_source, get_code, ...: the real loader's
        return getattr(self._loader, name)


class _PostImportFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        patch = PATCHES.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader, patch)
                return spec
        return None


_installed = False


def install():
    global _installed
    if _installed:
        return
    _installed = True
    _block_network()
    for name, patch in PATCHES.items():
        if name in sys.modules:  # imported before us (not in a fresh harness run): patch now
            patch(sys.modules[name])
    sys.meta_path.insert(0, _PostImportFinder())
    extra = os.environ.get("K3L_HARNESS_EXTRA_PATH")
    if extra:  # extra packages (matplotlib, pandas...) AFTER site-packages: they never shadow numpy
        sys.path.extend(p for p in extra.split(os.pathsep) if p)
