#!/bin/sh
# The app container's entry point: bring the schema up to date, then run the command (gunicorn
# by default, see the Dockerfile's CMD). With several app containers behind a load balancer, set
# MIGRATE_ON_START=false on all but one, so that only one of them migrates.
set -eu

if [ "${MIGRATE_ON_START:-true}" = "true" ]; then
    python manage.py migrate --noinput
    # The shared page cache's table (KPI_CACHE=database); does nothing when it exists.
    python manage.py createcachetable
fi

exec "$@"
