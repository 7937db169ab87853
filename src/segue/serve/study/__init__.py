"""The blind listening study: storage, statistics, report and web routes.

Modules
-------
``store``   one SQLite file per study; one fsync'd transaction per answer
``stats``   preference intervals, binomial test, sample sizes
``report``  the report as data, text and plots
``routes``  participant and owner pages and API
"""

from segue.serve.study.report import build_report, render_text, write_plots
from segue.serve.study.stats import judgements_needed, preference, rate
from segue.serve.study.store import (
    BASELINES,
    Study,
    create_study,
    open_study,
    study_path,
)

__all__ = [
    "BASELINES",
    "Study",
    "build_report",
    "create_study",
    "judgements_needed",
    "open_study",
    "preference",
    "rate",
    "render_text",
    "study_path",
    "write_plots",
]
