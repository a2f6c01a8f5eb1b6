"""The Keras 3 backends a project can target (no other imports: the CLI's fast path uses it)."""

ALL_BACKENDS = ("tensorflow", "jax", "torch", "numpy")
