"""gunicorn settings that are not command-line flags: logs as one-line JSON, like Django's.

Workers: gunicorn reads WEB_CONCURRENCY (default 1 here: set it, 2 × cores + 1 is the usual start).
Any other flag can be added without a rebuild through GUNICORN_CMD_ARGS.
"""

import os

from isesaki.logging import logging_config

logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))
