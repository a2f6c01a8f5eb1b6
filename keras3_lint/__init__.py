"""keras3-lint: find Keras 2 -> Keras 3 migration hazards, explain them, fix what is safe."""

__version__ = "0.1.0"
