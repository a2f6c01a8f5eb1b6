"""Synthetic stand-ins for files that Keras-era programs download with `get_file` (pure Python).

The dataset loaders have their synthetic arrays (k3l_harness_synthetic); programs that fetch a
raw file themselves get one here, in the real file's format, with made-up content:

- ``nietzsche.txt`` (lstm_text_generation, DLwP 8.1): lowercase English-like text;
- ``babi_tasks_1-20_v1-2.tar.gz`` (babi_rnn, babi_memnn): the real archive layout
  (``tasks_1-20_v1-2/{en,en-10k}/qaN_<name>_{train,test}.txt``) and line format
  (``ID sentence`` / ``ID question?<TAB>answer<TAB>supporting IDs``, IDs restarting at 1);
- pretrained weights of ``keras.applications`` (an origin under ``keras-applications/``): the
  path returned is a marker that the patched ``Model.load_weights`` skips, so the model keeps its
  random initial weights. The program runs; its numbers mean nothing, as with synthetic data.

Any other download, and any request to extract an archive, stays offline (OfflineError). Files are
written to a temporary folder of this process; nothing touches ``~/.keras``.
"""

import io
import os
import random
import tarfile
import tempfile

RANDOM_WEIGHTS_MARK = "k3l-harness-random-weights"
_folder = None

PEOPLE = ("Mary", "John", "Sandra", "Daniel")
PLACES = ("bathroom", "hallway", "garden", "office", "kitchen", "bedroom")
BABI_TASKS = (
    "qa1_single-supporting-fact", "qa2_two-supporting-facts", "qa3_three-supporting-facts",
    "qa4_two-arg-relations", "qa5_three-arg-relations", "qa6_yes-no-questions", "qa7_counting",
    "qa8_lists-sets", "qa9_simple-negation", "qa10_indefinite-knowledge", "qa11_basic-coreference",
    "qa12_conjunction", "qa13_compound-coreference", "qa14_time-reasoning", "qa15_basic-deduction",
    "qa16_basic-induction", "qa17_positional-reasoning", "qa18_size-reasoning", "qa19_path-finding",
    "qa20_agents-motivations",
)
BABI_ROOT = "tasks_1-20_v1-2"
WORDS = ("the", "of", "and", "to", "in", "is", "that", "it", "as", "for", "which", "not", "be", "with",
         "truth", "will", "power", "philosopher", "morality", "life", "spirit", "man", "god", "free",
         "value", "soul", "belief", "knowledge", "art", "nature", "reason", "suffering")


def nietzsche_text(chars=30000):
    rng = random.Random(1886)
    out, size = [], 0
    while size < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 18)))
        sentence += rng.choice((". ", ", ", "; ", "!\n", ".\n"))
        out.append(sentence)
        size += len(sentence)
    return "".join(out)


def babi_stories(seed, stories):
    """Stories in bAbI's format: numbered facts, then a question with its answer and support."""
    rng = random.Random(seed)
    lines = []
    for _ in range(stories):
        where = {}
        number = 0
        for _ in range(rng.randint(2, 4)):
            number += 1
            person, place = rng.choice(PEOPLE), rng.choice(PLACES)
            where[person] = (place, number)
            lines.append(f"{number} {person} moved to the {place}.")
            number += 1
            person = rng.choice(sorted(where))
            place, support = where[person]
            lines.append(f"{number} Where is {person}? \t{place}\t{support}")
    return "\n".join(lines) + "\n"


def babi_archive():
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for variant, (train, test) in (("en", (200, 50)), ("en-10k", (400, 50))):
            for number, task in enumerate(BABI_TASKS, 1):
                for split, stories in (("train", train), ("test", test)):
                    data = babi_stories(number * 100 + len(split) + len(variant), stories).encode("utf-8")
                    info = tarfile.TarInfo(f"{BABI_ROOT}/{variant}/{task}_{split}.txt")
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


# origin's last path part -> (bytes maker)
FILES = {
    "nietzsche.txt": lambda: nietzsche_text().encode("utf-8"),
    "babi_tasks_1-20_v1-2.tar.gz": babi_archive,
}


def _data_folder():
    global _folder
    if _folder is None:
        _folder = tempfile.mkdtemp(prefix="k3l-harness-data-")
    return _folder


def is_random_weights(path):
    return isinstance(path, (str, os.PathLike)) and RANDOM_WEIGHTS_MARK in os.fspath(path)


def synthetic_path(fname, origin, extract):
    """The local path of a synthetic stand-in for `origin`, or None (the download stays offline)."""
    base = str(origin or fname or "").rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    if "/keras-applications/" in str(origin or "") and base.endswith(".h5") and not extract:
        return os.path.join(_data_folder(), RANDOM_WEIGHTS_MARK, base)
    maker = FILES.get(base)
    if maker is None or extract:
        return None
    path = os.path.join(_data_folder(), os.path.basename(str(fname or base)) or base)
    if not os.path.exists(path):
        with open(path, "wb") as handle:
            handle.write(maker())
    return path
