#!/usr/bin/env bash
# Sets up the environments of the evidence test tier (tests/evidence, pytest -m evidence).
# Idempotent: re-running with the same pins does nothing. Needs the package index only here;
# the tests themselves run offline.
#
#   .venv-evidence/                     keras 3.15.1 + tensorflow-cpu 2.21.0 + jax 0.10.2 (CPU)
#                                       + tf_keras 2.21.0 + tensorflow-hub 0.16.1 + keras3-lint (-e)
#                                       (Keras 2 is tf_keras, or TF_USE_LEGACY_KERAS=1 + tf.keras)
#   .venv-evidence/keras-3.8.0/         the keras 3.8.0 and 3.11.0 wheels unpacked (no deps); tests
#   .venv-evidence/keras-3.11.0/        put one on PYTHONPATH ahead of site-packages (same TF):
#                                       3.8.0 is below RAG-1's boundary (3.9), 3.11.0 below SEQ-1's (3.12)
#
# EVIDENCE_VENV overrides the venv location; PYTHON the interpreter used to create it.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${EVIDENCE_VENV:-.venv-evidence}"
export TF_CPP_MIN_LOG_LEVEL=3
PY="${PYTHON:-python3}"
OLD_KERAS=(3.8.0 3.11.0)

# tf_keras 2.21 and tensorflow_hub declare a dependency on the full `tensorflow` wheel, which
# would install a second copy of TF over tensorflow-cpu; their other needs (numpy, protobuf)
# come with tensorflow-cpu, so they are installed with --no-deps.
MAIN_PINS=(keras==3.15.1 tensorflow-cpu==2.21.0 jax==0.10.2 jaxlib==0.10.2 "pytest>=7" "pytest-xdist>=3")
NODEPS_PINS=(tf-keras==2.21.0 tensorflow-hub==0.16.1)
STAMP_TEXT="${MAIN_PINS[*]} | ${NODEPS_PINS[*]} | old keras ${OLD_KERAS[*]}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
if [ "$(cat "$VENV/.evidence-stamp" 2>/dev/null)" != "$STAMP_TEXT" ]; then
    "$VENV/bin/pip" install -q "${MAIN_PINS[@]}"
    "$VENV/bin/pip" install -q --no-deps "${NODEPS_PINS[@]}"
    "$VENV/bin/pip" install -q -e .
    rm -rf "$VENV/wheels"
    for version in "${OLD_KERAS[@]}"; do
        rm -rf "$VENV/keras-$version"
        "$VENV/bin/pip" download -q --no-deps "keras==$version" -d "$VENV/wheels"
        "$VENV/bin/python" - "$VENV/wheels/keras-$version-py3-none-any.whl" "$VENV/keras-$version" <<'PYEOF'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PYEOF
    done
    printf '%s' "$STAMP_TEXT" > "$VENV/.evidence-stamp"
else
    # keras3-lint itself may have gained dependencies since the stamp was written.
    "$VENV/bin/pip" install -q -e . >/dev/null
fi
"$VENV/bin/python" -c "import keras, tf_keras, tensorflow_hub, jax; print('evidence env ok: keras', keras.__version__, '| tf_keras', tf_keras.__version__, '| jax', jax.__version__)"
for version in "${OLD_KERAS[@]}"; do
    PYTHONPATH="$VENV/keras-$version" "$VENV/bin/python" -c "import keras; assert keras.__version__ == '$version', keras.__version__; print('old keras ok:', keras.__version__)"
done
