"""Evaluation of playlist continuation the way the RecSys Challenge 2018 did it.

Modules
-------
``splits``    challenge-style test splits (categories, eligibility, no leaks)
``metrics``   R-precision, NDCG (three variants), clicks, recall, in one batched pass
``beyond``    duplicates, artist spread, diversity, coverage, novelty, popularity
``registry``  models by name: segue, its ablations and the peers
``harness``   fit, query and score models on one split
``report``    Markdown and HTML reports; ``plots`` draws their figures

Errors
------
::

    EvaluateError
    ├── SplitError       no test split can be drawn as asked
    └── UnknownModel     a model name no registry entry provides
"""

from segue.evaluate.errors import EvaluateError, SplitError, UnknownModel
from segue.evaluate.harness import Evaluation, ModelRun, evaluate
from segue.evaluate.splits import CATEGORIES, Split, TestCase, make_split

__all__ = [
    "CATEGORIES",
    "EvaluateError",
    "Evaluation",
    "ModelRun",
    "Split",
    "SplitError",
    "TestCase",
    "UnknownModel",
    "evaluate",
    "make_split",
]
