"""gunicorn settings that are not command-line flags: logs as one-line JSON, like Django's, and
the garbage collector frozen once a worker has loaded the app, and collecting less often.

Workers: gunicorn reads WEB_CONCURRENCY (default 1 here: set it, 2 × cores + 1 is the usual start).
Any other flag can be added without a rebuild through GUNICORN_CMD_ARGS.
"""

import gc
import os
from typing import Any

from isesaki.logging import logging_config

logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))

# Python's default (700, 10, 10) runs a collection every 700 new objects and a full one every
# 100 of those: a dashboard page built from tens of thousands of rows spent 170–320 ms of a
# miss in collections at 100× the plan; with these, 0–100 ms and no full collection
# (bench/gc_tuning.py; README, Scaling). A request's objects are freed by reference counting
# anyway: the collector is only for cycles, which a worker's requests rarely make.
GC_THRESHOLDS = (50_000, 20, 100)


def post_worker_init(worker: Any) -> None:
    """Django, the apps and their templates are loaded: move those long-lived objects out of
    the collector's reach (gc.freeze), so that a request building tens of thousands of objects
    (a dashboard page's series at 100× the plan) no longer pays for rescanning them in every
    full collection; and collect less often (``GC_THRESHOLDS``). bench/gc_tuning.py measures
    the effect (README, Scaling)."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
