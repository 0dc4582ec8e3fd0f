#!/usr/bin/env python
"""Benchmark: a dashboard request while three hostile workbooks are uploaded at once, under
gunicorn with the image's settings (docker/gunicorn.conf.py, the Dockerfile's CMD flags,
WEB_CONCURRENCY=3, DEBUG=false) and the app on SQLite.

    .venv/bin/python bench/hostile_uploads.py [--seconds 20] [--port PORT]

Sets up a scratch database (migrate, the plan, a superuser and a session) and collected static
files, starts gunicorn, measures the overview page alone, then keeps three clients uploading
the issue's files to the admin import (the 1.7 KB workbook declaring A1:XFD1048576, one row of
3,000,000 cells, one shared string of 200 MB) — each client uploading again as soon as its
answer comes — while a fourth requests the overview every 0.2 s. Prints the latency of the
overview alone and during the uploads (p50 / p95 / max), and each upload's status and time.
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    args = parser.parse_args()
    args.port = args.port or _free_port()
    sys.path.insert(0, str(ROOT))
    from tests.indicators.hostile_files import dimension_bomb, long_shared_string, wide_row

    files = {
        "A1:XFD1048576 (1.7 KB)": dimension_bomb(),
        "3,000,000 cells in a row": wide_row(3_000_000),
        "a shared string of 200 MB": long_shared_string(200_000_000),
    }
    folder = Path(tempfile.mkdtemp(prefix="kpi_bench_uploads_"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'kpi.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(folder / "static"),
        "WEB_CONCURRENCY": "3",
        "LOG_LEVEL": "WARNING",
    }
    session = _set_up(env)
    log = (folder / "gunicorn.log").open("w")  # its access log: one line a request
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "isesaki.wsgi"),
            *("--config", "docker/gunicorn.conf.py", "--bind", f"127.0.0.1:{args.port}"),
            *("--timeout", "180", "--graceful-timeout", "30", "--no-control-socket"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        client = _Client(args.port, session)
        client.wait_until_up()
        if server.poll() is not None:
            raise SystemExit(f"gunicorn could not start on port {args.port}")
        alone = [client.timed_get("/")[1] for _ in range(20)]
        print(f"overview alone:          {_summary(alone)}", flush=True)
        token = client.csrf_token()
        stop = time.monotonic() + args.seconds
        uploads: list[tuple[str, int, float]] = []
        threads = [
            threading.Thread(
                target=_upload_until, args=(args.port, session, token, n, d, stop, uploads)
            )
            for n, d in files.items()
        ]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # the uploads are in flight
        during = []
        while time.monotonic() < stop:
            status, seconds = client.timed_get("/")
            assert status == 200, status
            during.append(seconds)
            time.sleep(0.2)
        for thread in threads:
            thread.join()
        print(f"overview during uploads: {_summary(during)}")
        for name in files:
            mine = [(s, t) for n, s, t in uploads if n == name]
            statuses = sorted({s for s, _ in mine})
            times = [t for _, t in mine]
            print(f"  upload {name:28} {len(mine):>3}× status {statuses} {_summary(times)}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _set_up(env: dict[str, str]) -> str:
    manage = [sys.executable, "manage.py"]
    for step in (
        ["migrate"],
        ["load_plan", "fixtures/source/plan_2025_2029.yaml"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run([*manage, *step, "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    script = (
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY,"
        " HASH_SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "user = get_user_model().objects.create_superuser('bench', 'bench@example.jp', None)\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    out = subprocess.run(
        [*manage, "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return out.stdout.decode().strip().splitlines()[-1]


class _Client:
    def __init__(self, port: int, session: str, csrf: str = "") -> None:
        self.port, self.session, self.csrf = port, session, csrf

    def headers(self) -> dict[str, str]:
        cookie = f"sessionid={self.session}" + (f"; csrftoken={self.csrf}" if self.csrf else "")
        origin = f"https://127.0.0.1:{self.port}"
        return {"Cookie": cookie, "X-Forwarded-Proto": "https", "Origin": origin}

    def request(
        self, method: str, path: str, body: bytes = b"", extra: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        connection.request(
            method, path, body=body or None, headers={**self.headers(), **(extra or {})}
        )
        response = connection.getresponse()
        content = response.read()
        connection.close()
        return response.status, content, dict(response.getheaders())

    def timed_get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        status, _, _ = self.request("GET", path)
        return status, time.perf_counter() - started

    def wait_until_up(self) -> None:
        for _ in range(100):
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def csrf_token(self) -> str:
        status, _, headers = self.request("GET", "/admin/indicators/actual/import/")
        assert status == 200, status
        cookie = next(v for k, v in headers.items() if k.lower() == "set-cookie")
        return cookie.split("csrftoken=", 1)[1].split(";", 1)[0]


def _upload_until(
    port: int, session: str, token: str, name: str, data: bytes, stop: float, out: list
) -> None:
    client = _Client(port, session, token)
    boundary = uuid.uuid4().hex
    fields = {"csrfmiddlewaretoken": token, "encoding": "auto", "format": "auto"}
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; '
            'filename="hostile.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    extra = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    while time.monotonic() < stop:
        started = time.perf_counter()
        status, content, _ = client.request("POST", "/admin/indicators/actual/import/", body, extra)
        assert status == 200 and 'id="import-confirm"' not in content.decode(), status
        out.append((name, status, time.perf_counter() - started))


def _summary(seconds: list[float]) -> str:
    if not seconds:
        return "none"
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    median = statistics.median(ms)
    return f"p50 {median:6.0f} ms, p95 {p95:6.0f} ms, max {ms[-1]:6.0f} ms (n={len(ms)})"


if __name__ == "__main__":
    main()
