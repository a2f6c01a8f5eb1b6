"""The project index: what the checked files tell about each other.

A file is linted alone, but real code hands Keras objects across files: ``from .models import
get_model``, ``class Net(BaseModel)`` with ``BaseModel`` in another module, ``from compat import
keras`` where ``compat.py`` says ``keras = tf.keras``, a save path kept in ``config.py``, and an
entry script that seeds while the layers live elsewhere. The index answers those questions for
the resolver (``ProjectView``, one per linted file); rules keep asking the resolver.

Cost (measured on the tf-keras corpus, see the module's tests and ``scripts/benchmark.py``):

- Module names come from the paths alone (no parse).
- **Project facts** (who seeds, which backend ``KERAS_BACKEND`` selects) need every file: a byte
  regex finds the few files that may say something (``seed(``, ``KERAS_BACKEND``,
  ``set_backend``), and only those are parsed, with Python's ``ast`` (~10x faster than LibCST).
  A file's facts are stored in its cache entry, so a warm run parses nothing.
- **Module summaries** (functions that return Keras objects, classes and their bases, module
  aliases and string constants) are built lazily with ``ast``, the first time a linted file asks
  about a name of that module, once per process.

What a file's result consumed is recorded (``consulted``): the project files whose summaries it
read and the module names it looked for and did not find, so the cache can drop the result when
one of them changes or appears. The project facts are one fingerprint shared by all entries.

The flake8 plugin and ``--stdin-filename`` see one file and build no index: they report what that
file alone proves.

Modules: ``sources`` (a file's Python source, names in an ``ast`` module), ``facts`` (one file's
facts), ``summary`` (one module's summary), ``index`` (the run's index and a file's view of it).
"""

from .facts import ALL_SEEDING, BACKENDS, FULL_SEEDING, NUMPY_SEEDING, TF_ONLY_SEEDING, FileFacts, is_test_file, scan_facts
from .index import ProjectIndex, ProjectView, active_view, describe, gather, set_active
from .summary import ModuleSummary, summarize

__all__ = [
    "ALL_SEEDING", "BACKENDS", "FULL_SEEDING", "NUMPY_SEEDING", "TF_ONLY_SEEDING", "FileFacts", "ModuleSummary",
    "ProjectIndex", "ProjectView", "active_view", "describe", "gather", "is_test_file", "scan_facts", "set_active",
    "summarize",
]
