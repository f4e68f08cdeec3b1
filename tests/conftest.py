"""Fixtures shared by the suite-level tests, and the order the slow tests run in.

`collected_static`: `collectstatic` with the production storage, once per pytest run — the
xdist workers share it through a file lock in the run's common temporary folder (the pattern
of pytest-xdist's documentation), so the static-compression tests and the data-budget server
do not each spend minutes compressing the same files.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


def shared_tmp_dir(tmp_path_factory) -> Path:
    """A folder every xdist worker of this run sees (the run's own base folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production start (DEBUG off, collected static files), SQLite and no
    Redis unless `extra` says otherwise."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "STATIC_MANIFEST": "1", **extra}
    for key in ("DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)
    return env


def manage(*command: str, env: dict[str, str]) -> None:
    """`manage.py <command>` in a fresh process; its output is shown when it fails."""
    base_dir = Path(settings.BASE_DIR)
    done = subprocess.run(
        [sys.executable, str(base_dir / "manage.py"), *command], env=env, cwd=base_dir, capture_output=True, text=True
    )
    if done.returncode:
        raise AssertionError(f"manage.py {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """STATIC_ROOT after `collectstatic` with STATIC_MANIFEST=1 (the compressed manifest storage:
    hashed names, .br and .gz copies), run in a fresh process as a production start would;
    read-only for the tests."""
    shared = shared_tmp_dir(tmp_path_factory)
    root = shared / "collected-static"
    done = shared / "collected-static.done"
    with open(shared / "collected-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            manage("collectstatic", "--noinput", "-v", "0", env=production_env(STATIC_ROOT=str(root)))
            done.touch()
    return root


def _slow_first(item: pytest.Item) -> int:
    names = set(getattr(item, "fixturenames", ()))
    if "collected_static" in names or "production_server" in names:
        return 0
    if item.get_closest_marker("browser") or "demo_data" in names:
        return 1
    return 2


def pytest_collection_modifyitems(config, items):
    """The slow tests (a production server, a browser, the demo data) first, each module's tests
    kept together: started last, one of them alone on a worker would make the whole run wait.
    The sort is stable, so every worker of xdist collects the same order."""
    items.sort(key=_slow_first)
