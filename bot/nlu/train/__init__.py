"""Train the offline engine's learned parts: `python -m bot.nlu.train` (about a minute).

Why python-crfsuite, and only it: a linear-chain CRF is the classic small, exact tool
for tagging names in short texts from word-shape, affix and neighbour features; the
same library fits the intent classifier as a one-item CRF (that is, multinomial
logistic regression with L2), so one dependency serves both. It needs no numpy or
scipy at run time (scikit-learn would import scipy: ~0.3 s and tens of MB before the
first message), the model files are a few MB and memory-mapped, and tagging a message
takes tens of microseconds. No torch, no GPU, nothing downloaded at run time.

What they learn from: a generated corpus (`corpus.py`, a grammar of the contract's
intents with noise and names from many cultures) and, for the intent classifier, the
real messages of the spent blind sets in `tests/nlu_blind/` (`labelled.py`).
Reproducible: the corpus comes with a fixed seed, the blind sets are frozen, and
CRFsuite's L-BFGS training is deterministic; the same checkout makes byte-identical models.
"""
