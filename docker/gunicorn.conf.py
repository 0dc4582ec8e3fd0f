"""gunicorn settings that are not command-line flags: logs as one-line JSON, like Django's, and
the garbage collector frozen once a worker has loaded the app.

Workers: gunicorn reads WEB_CONCURRENCY (default 1 here: set it, 2 × cores + 1 is the usual start).
Any other flag can be added without a rebuild through GUNICORN_CMD_ARGS.
"""

import gc
import os
from typing import Any

from isesaki.logging import logging_config

logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))


def post_worker_init(worker: Any) -> None:
    """Django, the apps and their templates are loaded: move those long-lived objects out of
    the collector's reach (gc.freeze), so that a request building tens of thousands of objects
    (a dashboard page's series at 100× the plan) no longer pays for rescanning them in every
    full collection. bench/dashboards.py measures the effect (README, Scaling)."""
    gc.freeze()
