"""One rule per module, named ``krsNNN_<rule-name>.py``; the registry imports them all.

Families (the hundreds digit): 1 removed/renamed API, 2 stateful RNNs, 3 ragged tensors,
4 TF Hub and SavedModel, 5 randomness, 6 backend portability, 7 training loop and saving,
8 environment. KRS0xx are the tool's own diagnostics (syntax errors, unreadable files, …).
"""
