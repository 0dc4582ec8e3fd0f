# syntax=docker/dockerfile:1
# Isesaki KPI, production image: gunicorn serving Django, static files by whitenoise.
# Configured only by environment variables (see .env.example); run it with docker compose.

# --- builder: wheels for every dependency; compilers exist only in this stage ---------------
FROM python:3.11-slim AS builder

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
# Only the lock: the wheels are rebuilt when dependencies change, not when code does. It pins
# every transitive version with its hashes (make lock), so the image gets what CI tested.
COPY requirements.lock ./
RUN pip wheel --no-cache-dir --require-hashes --wheel-dir /wheels -r requirements.lock

# --- final: the slim base, the wheels installed, the code, no compilers ---------------------
FROM python:3.11-slim

# DEBUG off by default: the image never runs with Django's debug pages and dev key, however it
# is started (compose sets it too). The settings then refuse to start without a SECRET_KEY.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WEB_CONCURRENCY=3 \
    DEBUG=false

# pango for WeasyPrint (the annual report's PDF) and the Japanese fonts it embeds: the report
# takes no font from outside the app.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils \
    && rm -rf /var/lib/apt/lists/*

RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index /wheels/*.whl

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /app app

WORKDIR /app
# The code stays owned by root: the app user can read it, not change it.
COPY . .

# Hashed, compressed static files go into the image; whitenoise serves them. The key below only
# lets settings load for this step; the running container needs its own SECRET_KEY.
RUN DEBUG=false SECRET_KEY=collectstatic-only-never-used-at-run-time-0123456789abcdef \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput --verbosity 0

USER app
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["sh", "/app/docker/entrypoint.sh"]
# --timeout 180: an admin import of a large file takes longer than gunicorn's default 30 s.
# Workers: WEB_CONCURRENCY (2 × cores + 1 is the usual start); more flags via GUNICORN_CMD_ARGS.
CMD ["gunicorn", "isesaki.wsgi", "--config", "docker/gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--timeout", "180", "--graceful-timeout", "30", "--no-control-socket"]
