"""Small synthetic stand-ins for the Keras dataset loaders (NumPy only).

Each loader returns what the real one returns: the real shapes (row counts included: programs
hard-code them, `x_train.reshape((60000, 784))`, `x_train[:10000]`), the real dtypes and every
class present (so `to_categorical` and `num_classes` agree), with random values. Checked against keras 3.15.1 `keras/src/datasets/*.py`:
mnist/fashion_mnist x uint8 (N, 28, 28), y uint8 (N,); cifar10 x uint8 (N, 32, 32, 3), y uint8
(N, 1); cifar100 y int64 (N, 1) (labels come from a pickled list); imdb/reuters x a 1-D object
array of int lists, y int64 (N,); boston_housing x float64 (N, 13), y float64 (N,).
"""

import numpy as np

# (train rows, test rows) of the real data sets.
ROWS = {
    "mnist": (60000, 10000),
    "fashion_mnist": (60000, 10000),
    "cifar10": (50000, 10000),
    "cifar100": (50000, 10000),
    "imdb": (25000, 25000),
    "reuters": (8982, 2246),  # 11228 newswires, test_split=0.2
    "boston_housing": (404, 102),  # 506 rows, test_split=0.2
}
VOCABULARY = 2000  # distinct word indices in the synthetic text corpora


def _rng(name):
    return np.random.default_rng(sum(map(ord, name)))


def _labels(rng, rows, classes, dtype):
    labels = np.arange(rows) % classes
    rng.shuffle(labels)
    return labels.astype(dtype)


def _images(name, shape, classes, label_dtype, label_shape_1=False):
    rng = _rng(name)
    out = []
    for rows in ROWS[name]:
        x = rng.integers(0, 256, size=(rows,) + shape, dtype=np.uint8)
        y = _labels(rng, rows, classes, label_dtype)
        out.append((x, y.reshape(rows, 1) if label_shape_1 else y))
    return tuple(out)


def _channels_last():
    try:
        import keras

        return keras.backend.image_data_format() == "channels_last"
    except Exception:  # tf_keras or no keras: Keras's own default
        return True


def mnist(path="mnist.npz"):
    return _images("mnist", (28, 28), 10, np.uint8)


def fashion_mnist():
    return _images("fashion_mnist", (28, 28), 10, np.uint8)


def cifar10():
    shape = (32, 32, 3) if _channels_last() else (3, 32, 32)
    return _images("cifar10", shape, 10, np.uint8, label_shape_1=True)


def cifar100(label_mode="fine"):
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.')
    shape = (32, 32, 3) if _channels_last() else (3, 32, 32)
    return _images("cifar100", shape, 100 if label_mode == "fine" else 20, np.int64, label_shape_1=True)


def _sequences(name, classes, num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2, index_from=3, test_split=None, **kwargs):
    """The real loaders' transformation (offsets, start/oov chars, maxlen, num_words) on random texts."""
    rng = _rng(name)
    train_rows, test_rows = ROWS[name]
    total = train_rows + test_rows
    if test_split is not None:
        train_rows = int(total * (1 - test_split))
    lengths = rng.integers(20, 240, size=total)
    words = (rng.zipf(1.3, size=int(lengths.sum())) % VOCABULARY + 1).tolist()
    ends = np.cumsum(lengths).tolist()
    raw = [words[end - n:end] for end, n in zip(ends, lengths.tolist())]
    labels = _labels(rng, total, classes, np.int64)
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in raw]
    else:
        xs = [[w + (index_from or 0) for w in x] for x in raw]
    if maxlen:
        kept = [i for i, x in enumerate(xs) if len(x) < maxlen]
        if not kept:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. Increase maxlen.")
        xs, labels = [xs[i] for i in kept], labels[kept]
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    else:
        xs = [[w for w in x if skip_top <= w < num_words] for x in xs]
    split = len(xs) * train_rows // total
    out = []
    for part, y in ((xs[:split], labels[:split]), (xs[split:], labels[split:])):
        x = np.empty(len(part), dtype=object)  # 1-D object array of lists, as Keras returns
        for i, seq in enumerate(part):
            x[i] = seq
        out.append((x, y))
    return tuple(out)


def imdb(path="imdb.npz", **kwargs):
    return _sequences("imdb", 2, **kwargs)


def reuters(path="reuters.npz", test_split=0.2, **kwargs):
    kwargs["test_split"] = test_split
    return _sequences("reuters", 46, **kwargs)


def word_index(path=None):
    """{word: rank} for the synthetic vocabulary (ranks start at 1, as in the real files)."""
    return {f"word{i}": i for i in range(1, VOCABULARY + 1)}


def boston_housing(path="boston_housing.npz", test_split=0.2, seed=113):
    rng = _rng("boston_housing")
    total = sum(ROWS["boston_housing"])
    x = rng.uniform(0.0, 100.0, size=(total, 13))
    y = rng.uniform(5.0, 50.0, size=(total,))
    split = int(total * (1 - test_split))
    return (x[:split], y[:split]), (x[split:], y[split:])


LOADERS = {
    "mnist": mnist,
    "fashion_mnist": fashion_mnist,
    "cifar10": cifar10,
    "cifar100": cifar100,
    "imdb": imdb,
    "reuters": reuters,
    "boston_housing": boston_housing,
}


# -- scikit-learn's downloading loaders (the Keras-era notebooks load their tabular data there) --

CALIFORNIA_FEATURES = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude"]
# Plausible ranges of each feature of the real data set (its DESCR), for uniform draws.
_CALIFORNIA_RANGES = [(0.5, 15.0), (1.0, 52.0), (1.0, 10.0), (0.5, 2.0), (3.0, 5000.0), (1.0, 6.0), (32.5, 42.0), (-124.3, -114.3)]


def fetch_california_housing(*, data_home=None, download_if_missing=True, return_X_y=False, as_frame=False, **kwargs):
    """sklearn.datasets.fetch_california_housing: 20640 rows, 8 float64 features, a float64 target."""
    rng = _rng("california_housing")
    rows = 20640
    data = np.column_stack([rng.uniform(low, high, size=rows) for low, high in _CALIFORNIA_RANGES])
    target = rng.uniform(0.15, 5.0, size=rows)
    frame = None
    if as_frame:
        import pandas as pd

        frame = pd.DataFrame(data, columns=CALIFORNIA_FEATURES)
        frame["MedHouseVal"] = target
        data, target = frame[CALIFORNIA_FEATURES], frame["MedHouseVal"]
    if return_X_y:
        return data, target
    from sklearn.utils import Bunch

    return Bunch(data=data, target=target, frame=frame, target_names=["MedHouseVal"],
                 feature_names=list(CALIFORNIA_FEATURES), DESCR="synthetic California housing (keras3-lint harness)")
