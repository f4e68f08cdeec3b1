"""Load with wrk against gunicorn, beside a bare-Django baseline served the same way in the
same run. Not a benchmark itself (the leading underscore keeps `make bench` off it).

`wrk` is Debian's package (`apt-get install -y wrk`); `ensure_wrk()` installs it when missing
and running as root, or says how. Lua scripts in `benchmarks/wrk/`: `report.lua` (appended to
each: one JSON line with totals and latency percentiles), `tokens.lua` (an API token per
connection), `board_poll.lua` (a viewer polling the live board with its last ETag),
`answers.lua` (each connection answers its own users' running attempts, question after
question), `users.lua` (each request from another user: likes, "my rank"), `session.lua` (a
signed-in browser: its session cookie on every request, over several pages); `per_thread.lua`,
the code those with one connection per wrk thread share (its thread id, its share of a file,
counting answers), which a script takes in with a line `-- include: per_thread.lua`.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _practice_harness as h

ROOT = h.ROOT
LUA = Path(__file__).resolve().parent / "wrk"
BARE_PORT = int(os.environ.get("BENCH_BARE_PORT", "8092"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
# A small database of its own (kept between runs; BENCH_FRESH=1 rebuilds it), Redis as the harness.
DATABASE_URL = os.environ.get("BENCH_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/deltaunion_load_bench")
# A Redis database of its own too: the boards, cached pages and versions of one benchmark database
# must not be read by another's server (the same quiz and user ids exist in both).
REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/13")
ENV = {**h.ENV, "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL}


def django_setup() -> None:
    """Create and migrate the benchmark database if needed; Django set up against it."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and os.environ.get("BENCH_FRESH") == "1":
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DEBUG", "STATIC_MANIFEST", "CONN_MAX_AGE"):
        os.environ[key] = ENV[key]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def api_tokens(n: int) -> list[str]:
    """n users with an API token each (deterministic raw tokens, written once)."""
    import hashlib

    from deltaunion.accounts.models import ApiToken, User

    raws = [f"du_load_{i:05d}_" + hashlib.sha256(f"load-{i}".encode()).hexdigest()[:24] for i in range(n)]
    for i, raw in enumerate(raws):
        digest = hashlib.sha256(raw.encode()).hexdigest()
        if not ApiToken.objects.filter(digest=digest).exists():
            user, _ = User.objects.get_or_create(
                username=f"load{i:05d}", defaults={"full_name": f"压测用户{i}（演示）"}
            )
            ApiToken.objects.create(user=user, name="load", prefix=raw[:10], digest=digest)
    return raws


def ensure_wrk(name: str) -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, stdout=subprocess.DEVNULL)
        path = shutil.which("wrk")
        if path:
            return path
    h.skip(name, "wrk is not installed: run `sudo apt-get install -y wrk` (Debian/Ubuntu package wrk)")
    return ""


def gunicorn_cmd(app: str, port: int, connections: int | None = None) -> list[str]:
    """The same gunicorn settings for the project and the baseline (harness: WORKERS × THREADS).

    connections: how many keep-alive connections the load will open. A gthread worker accepts
    until it holds --worker-connections, and wrk opens its few connections at once and keeps
    them: with room for 2,000 a worker, one worker sometimes took all 16 and the other idled
    for the whole run (the bare app then did 1,330–1,430 requests/s with one core idle, against
    3,400–4,800 with both busy). So each worker holds at most its share plus its threads (each
    gets at least connections − that, enough to keep its threads busy). None (an audience of
    1,500 arriving over seconds): 2,000."""
    per_worker = 2000 if connections is None else -(-connections // h.WORKERS) + h.THREADS
    return [
        str(ROOT / ".venv/bin/gunicorn"),
        app,
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(h.WORKERS),
        "-k",
        "gthread",
        "--threads",
        str(h.THREADS),
        "--keep-alive",
        "30",
        "--worker-connections",
        str(per_worker),
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]


def _wait_up(port: int, path: str) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn on {port} did not start")


def _port_free(port: int) -> None:
    """Refuse to start when something already listens on the port: gunicorn would fail to bind
    and the benchmark would measure that other server (another session's benchmark, say)."""
    import socket

    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        raise RuntimeError(
            f"port {port} is already in use (another benchmark running?): set BENCH_PORT / BENCH_BARE_PORT to free ones"
        )


@contextlib.contextmanager
def serve(*, bare: bool, env: dict | None = None, folder: bool = False, connections: int | None = None):
    """gunicorn serving the project (config.wsgi, harness environment) or the bare baseline.

    env: the project's environment (default: the load database; the practice benchmarks pass
    the harness's, with the 1,000,000-member quiz). folder: also run the counter folder
    (`manage.py fold_counters --every 1`), as a deployment does beside the web servers.
    connections: the load's keep-alive connections (gunicorn_cmd)."""
    if bare:
        cmd, port, env = gunicorn_cmd("_bare_app:application", BARE_PORT, connections), BARE_PORT, {**os.environ}
        cmd += ["--chdir", str(Path(__file__).resolve().parent)]
    else:
        cmd, port, env = gunicorn_cmd("config.wsgi:application", h.PORT, connections), h.PORT, env or ENV
    # BENCH_PROJECT_ROOT: serve the project from another checkout (`git archive <commit>`), to
    # compare two commits with the same database, Redis and load.
    cwd = ROOT if bare else Path(os.environ.get("BENCH_PROJECT_ROOT") or ROOT)
    _port_free(port)
    server = subprocess.Popen(cmd, cwd=cwd, env=env)
    helpers = []
    if folder and not bare:
        helpers.append(
            subprocess.Popen(
                [str(ROOT / ".venv/bin/python"), "manage.py", "fold_counters", "--every", "1"],
                cwd=cwd,
                env=env,
                stdout=subprocess.DEVNULL,
            )
        )
    try:
        _wait_up(port, "/healthz")
        yield server
    finally:
        for p in (server, *helpers):
            p.terminate()
        for p in (server, *helpers):
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=10)


def worker_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) of gunicorn's master and workers so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        pids += [int(p) for p in children]
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wrk(
    url: str,
    *,
    script: str | None = None,
    connections: int = 8,
    threads: int = 1,
    seconds: float = SECONDS,
    env: dict | None = None,
    timeout_s: int = 10,
) -> dict:
    """Run wrk and return its figures: rate, latency percentiles (ms), errors, script counts."""
    source = (LUA / "report.lua").read_text()
    if script:
        text = (LUA / script).read_text()
        # `-- include: <file>` lines: shared code (per_thread.lua) put before the script
        for line in text.splitlines():
            if line.startswith("-- include: "):
                source += "\n" + (LUA / line.split(":", 1)[1].strip()).read_text()
        source += "\n" + text
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(source)
        lua = f.name
    try:
        cmd = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={timeout_s}s",
            "-s",
            lua,
            url,
        ]
        out = subprocess.run(cmd, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=True)
    finally:
        os.unlink(lua)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
    raw = json.loads(line[len("WRKJSON ") :])
    seconds_run = raw["duration_us"] / 1e6
    q = next((x for x in out.stdout.splitlines() if x.startswith("WRKQUANTILES ")), None)
    quantiles = json.loads(q[len("WRKQUANTILES ") :])["latency_us"] if q else None
    return {
        "requests": raw["requests"],
        "rate": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": sum(raw["errors"].values()),
        "error_kinds": {k: v for k, v in raw["errors"].items() if v},
        "counts": raw["counts"],
        "quantiles": quantiles,
    }


def merged_percentile(runs: list[dict], p: float) -> float:
    """The p-th percentile (ms) of the requests of several wrk runs together, from each run's
    evenly spaced percentiles (WRK_QUANTILES=n): each of a run's n values stands for 1/n of its
    requests. Exact to within one of those steps of each run (1,000 steps: 0.1 % of its requests)."""
    points = sorted(
        (latency, run["requests"] / len(run["quantiles"]))
        for run in runs
        if run["requests"]
        for latency in run["quantiles"]
    )
    total = sum(weight for _latency, weight in points)
    if not total:
        return 0.0
    seen = 0.0
    for latency, weight in points:
        seen += weight
        if seen >= total * p / 100:
            return round(latency / 1000, 2)
    return round(points[-1][0] / 1000, 2)


def bare_rate(connections: int, seconds: float = SECONDS) -> dict:
    """The baseline: the bare app at the same connections (started and stopped here)."""
    with serve(bare=True, connections=connections):
        wrk(f"http://127.0.0.1:{BARE_PORT}/", connections=connections, seconds=2)  # warm-up
        return wrk(f"http://127.0.0.1:{BARE_PORT}/", connections=connections, seconds=seconds)


def tokens_recently_used() -> None:
    """The practice harness's load users as active users: their API tokens used within the
    minute (so a request does not also write `last_used_at`, which happens once a minute per
    token); their cached authentication is left as it is (cold unless used in the last 60 s)."""
    from django.utils import timezone

    from deltaunion.accounts.models import ApiToken

    ApiToken.objects.filter(name="bench").update(last_used_at=timezone.now())


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def tokens_file(tokens: list[str]) -> str:
    f = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    f.write("\n".join(tokens) + "\n")
    f.close()
    return f.name


def note(text: str) -> None:
    sys.stderr.write(text + "\n")
