"""The execution harness: runs real Keras 2 programs on Keras 3 before and after keras3-lint's fixes.

Test tooling, not part of the keras3_lint package. `scripts/run_programs.py` is the command line;
`bootstrap/` is what the child Python process runs with (offline datasets, capped training).
"""
