"""Screenshots of every page for each role, in headless Chromium at 1366×900, to look at.

    .venv/bin/python tools/screenshots.py [--out test-artefacts/screenshots] [--only TEXT]

Builds a scratch SQLite database the way the README's first run does (migrate, load_plan,
populate_history, create_demo_users, create_demo_actuals) plus a superuser, starts three
servers on it — DEBUG on (the roles log in here), DEBUG off with public dashboards (anonymous
visitors, the error pages as production shows them) and one whose database is unreachable
(the 503 page) — and saves one full-page PNG per role and page under ``--out``
(test-artefacts/ is git-ignored). For each page it prints the status, whether the page
scrolls sideways at 1366 px, and the English phrases of the admin's own pages it found: the
same checks as tests/browser/test_admin_browser.py, over every page instead of a sample.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SUPERUSER = ("kanri", "screenshots-Kanri-1")

sys.path.insert(0, str(ROOT))
from tests.english import english_phrases  # noqa: E402


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    admin: bool = False  # the admin's own pages: no English allowed


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """runserver with DEBUG on; gunicorn, as in the image, with DEBUG off (runserver would not
    start without a database)."""
    port = _free_port()
    if env["DEBUG"] == "true":
        command = ["manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    else:
        command = [
            "-m",
            "gunicorn",
            "isesaki.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "--no-control-socket",
        ]
    process = subprocess.Popen(
        [PYTHON, *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urlopen(url + "/healthz", timeout=1)  # noqa: S310 (our own server)
            break
        except Exception as error:  # noqa: BLE001 (503 or not yet listening)
            if getattr(error, "code", None) == 503:
                break
            time.sleep(0.2)
    return process, url


def _prepare(env: dict[str, str]) -> dict[str, object]:
    _manage(env, "migrate", "-v0")
    _manage(env, "load_plan", "fixtures/source/plan_2025_2029.yaml", "-v0")
    _manage(env, "populate_history", "--auto")
    printed = _manage(env, "create_demo_users")
    passwords = {
        line.split("\t")[0]: line.split("\t")[1]
        for line in printed.splitlines()
        if line.startswith("demo-")
    }
    _manage(env, "create_demo_actuals")
    script = (ROOT / "tools" / "screenshots_data.py").read_text()
    ids = json.loads(_manage(env, "shell", "-c", script).strip().splitlines()[-1])
    return {"passwords": passwords, **ids}


def _shots(ids: dict[str, object], role: str) -> list[Shot]:
    dashboards = [
        Shot("overview", "/"),
        Shot("overview-provisional", "/?provisional=1"),
        Shot("project-1", "/projects/1/"),
        Shot("project-4", "/projects/4/"),
        Shot("measures", "/measures/"),
        Shot("measure-1-1", "/measures/1-1/"),
        Shot("indicator", f"/indicators/{ids['indicator_code']}/"),
        Shot("indicator-series", f"/indicators/{ids['multi_series_code']}/"),
        Shot("matrix", "/matrix/"),
        Shot("sdgs", "/sdgs/"),
        Shot("not-found", "/no-such-page/"),
    ]
    if role == "anonymous":
        return [Shot("login", "/login/"), *dashboards, Shot("admin-login", "/admin/login/")]
    # The signed-in reader's pages of the yearly cycle: their to-dos and the managers' worries.
    dashboards += [
        Shot("todo", "/todo/"),
        Shot("worries", "/worries/"),
        Shot("evaluations", "/evaluations/"),
    ]
    if role == "etsuran":
        return [*dashboards, Shot("admin-refused", "/admin/", admin=True)]
    a = "/admin/indicators"
    admin = [
        Shot("admin-index", "/admin/"),
        Shot("admin-app", f"{a}/"),
        Shot("indicator-list", f"{a}/indicator/"),
        Shot("indicator-change", f"{a}/indicator/{ids['indicator_pk']}/change/"),
        Shot("indicator-history", f"{a}/indicator/{ids['indicator_pk']}/history/"),
        Shot("actual-list", f"{a}/actual/"),
        Shot("actual-list-submitted", f"{a}/actual/?status__exact=submitted"),
        Shot("actual-list-page-2", f"{a}/actual/?p=2"),
        Shot("actual-change", f"{a}/actual/{ids['actual_pk']}/change/"),
        Shot("actual-change-submitted", f"{a}/actual/{ids['submitted_pk']}/change/"),
        Shot("actual-history", f"{a}/actual/{ids['actual_pk']}/history/"),
        Shot("actual-add", f"{a}/actual/add/"),
        Shot("entry-status", f"{a}/actual/entry-status/"),
        Shot("import", f"{a}/actual/import/"),
        Shot("department-list", f"{a}/department/"),
        Shot("department-change", f"{a}/department/{ids['department_pk']}/change/"),
        Shot("target-list", f"{a}/target/"),
        Shot("target-change", f"{a}/target/{ids['target_pk']}/change/"),
        Shot("target-history", f"{a}/target/{ids['target_pk']}/history/"),
        Shot("series-list", f"{a}/series/"),
        Shot("importrecord-list", f"{a}/importrecord/"),
        Shot("importrecord-change", f"{a}/importrecord/{ids['importrecord_pk']}/change/"),
        Shot("sdg-list", f"{a}/sdglocalindicator/"),
        Shot("measures-admin", "/admin/measures/measure/"),
        Shot("projects-admin", "/admin/projects/project/"),
        Shot("themelink-admin", "/admin/projects/themelink/"),
        Shot("users", "/admin/auth/user/"),
        Shot("groups", "/admin/auth/group/"),
        Shot("password-change", "/admin/password_change/"),
        Shot("admin-not-found", "/admin/indicators/actual/999999/change/"),
    ]
    return [*dashboards, *(Shot(s.name, s.path, admin=True) for s in admin)]


ROLES = {
    # role: (user name, where they log in)
    "kanri": (SUPERUSER[0], "/admin/login/"),
    "shonin": ("demo-shonin", "/admin/login/"),
    "nyuryoku": ("demo-nyuryoku", "/admin/login/"),
    "etsuran": ("demo-etsuran", "/login/"),
}


def _check(page, shot: Shot) -> dict[str, object]:  # type: ignore[no-untyped-def]
    overflow = page.evaluate(
        "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )
    text = page.inner_text("body")
    return {"sideways_px": overflow, "english": english_phrases(text)}


def _visit(page, base: str, shot: Shot, out: Path, report: list[str]) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(base + shot.path)
    status = response.status if response else "?"
    found = _check(page, shot)
    _save(page, out, shot.name)
    flags = []
    if found["sideways_px"]:
        flags.append(f"SIDEWAYS {found['sideways_px']}px")
    if found["english"]:
        flags.append(f"ENGLISH {found['english']}")
    report.append(f"{out.name:10} {shot.name:26} {status} {' '.join(flags)}")


def _save(page, out: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    """The first screen as a reader sees it (NAME.png), and the whole page (NAME.full.png)."""
    page.screenshot(path=str(out / f"{name}.png"))
    page.screenshot(path=str(out / f"{name}.full.png"), full_page=True)


def _login(page, base: str, where: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + where)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("[type=submit]")
    page.wait_for_load_state()


def _interactions(page, base: str, out: Path, report: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Pages reached by a form: the import preview and the bulk return dialog."""
    page.goto(base + "/admin/indicators/actual/import/")
    sample = ROOT / "tools" / "screenshots_import.csv"
    page.set_input_files("#id_import_file", str(sample))
    page.click("#import-upload [type=submit]")
    page.wait_for_load_state()
    _save(page, out, "import-preview")
    report.append(f"{out.name:10} {'import-preview':26} {_summary(page)}")
    page.goto(base + "/admin/indicators/actual/?status__exact=submitted")
    boxes = page.locator("input.action-select")
    offered = page.locator("select[name=action] option[value=return_selected]").count()
    if boxes.count() and offered:
        boxes.nth(0).check()
        if boxes.count() > 1:
            boxes.nth(1).check()
        page.select_option("select[name=action]", "return_selected")
        page.click("button[name=index]")
        page.wait_for_load_state()
        _save(page, out, "return-dialog")
        report.append(f"{out.name:10} {'return-dialog':26} {_summary(page)}")


def _summary(page) -> str:  # type: ignore[no-untyped-def]
    found = _check(page, Shot("", "", admin=True))
    flags = [f"SIDEWAYS {found['sideways_px']}px"] if found["sideways_px"] else []
    return " ".join([*flags, *([f"ENGLISH {found['english']}"] if found["english"] else [])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "test-artefacts" / "screenshots")
    parser.add_argument("--only", help="only pages whose name contains this text")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="kpi-shots-"))
    base_env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "DEBUG": "true",
    }
    base_env.pop("CSP_REPORT_ONLY", None)
    ids = _prepare(base_env)
    _manage(
        base_env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('{SUPERUSER[0]}', 'kanri@example.jp', '{SUPERUSER[1]}')",
    )
    passwords = {**ids["passwords"], SUPERUSER[0]: SUPERUSER[1]}  # type: ignore[dict-item]
    public_env = {
        **base_env,
        "DEBUG": "false",
        "SECRET_KEY": "screenshots-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "KPI_PUBLIC_DASHBOARDS": "true",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(scratch / "static"),
    }
    _manage(public_env, "collectstatic", "--noinput", "-v0")
    outage_env = {**public_env, "DATABASE_URL": "postgres://nobody:x@127.0.0.1:9/nothing"}
    servers = [_server(base_env), _server(public_env), _server(outage_env)]
    (_, debug_url), (_, public_url), (_, outage_url) = servers
    report: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for role, (username, where) in ROLES.items():
                out = args.out / role
                out.mkdir(parents=True, exist_ok=True)
                context = browser.new_context(
                    viewport={"width": 1366, "height": 900}, locale="ja-JP"
                )
                page = context.new_page()
                _login(page, debug_url, where, username, str(passwords[username]))
                for shot in _shots(ids, role):
                    if not args.only or args.only in shot.name:
                        _visit(page, debug_url, shot, out, report)
                if role != "etsuran" and (not args.only or args.only in "import-preview"):
                    _interactions(page, debug_url, out, report)
                context.close()
            out = args.out / "anonymous"
            out.mkdir(parents=True, exist_ok=True)
            page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="ja-JP")
            for shot in _shots(ids, "anonymous"):
                if not args.only or args.only in shot.name:
                    _visit(page, public_url, shot, out, report)
            for shot in (Shot("outage-503", "/"), Shot("outage-admin-503", "/admin/")):
                _visit(page, outage_url, shot, out, report)
            browser.close()
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait()
    print("\n".join(report))
    print(f"\nscreenshots in {args.out}; scratch database in {scratch}")


if __name__ == "__main__":
    main()
