"""`make mutation`: run mutmut over the rule modules listed in pyproject.toml ([tool.mutmut]
only_mutate), then print one JSON line with each module's score — killed mutants over all
mutants that could change behaviour (equivalent ones, in mutation/equivalent.toml or recognised
as message-only, are left out) — and exit 1 if a module is under the target.

Usage: .venv/bin/python mutation/report.py [--no-run] [--target 95] [--children 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = [str(Path(sys.executable).with_name("mutmut"))]
KILLED = {1, 3, -24, 24, 36, 152, -9}  # test failure, error, timeout, killed by the OS (resource limits)
TIMEOUTS = {-24, 24, 36, 152}  # reported apart: on a loaded machine a timeout may hide a survivor
SURVIVED = {0}
STRING = re.compile(r"""(?:[rbuf]{0,2})("([^"\\]|\\.)*"|'([^'\\]|\\.)*')""")


def _diff(name: str) -> tuple[list[str], list[str]]:
    out = subprocess.run([*MUTMUT, "show", name], cwd=ROOT, capture_output=True, text=True).stdout
    minus = [line[1:] for line in out.splitlines() if line.startswith("-") and not line.startswith("---")]
    plus = [line[1:] for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return minus, plus


def message_only(minus: list[str], plus: list[str]) -> bool:
    """A mutant that changes only the words of an error message (or drops them)."""
    if len(minus) != 1 or len(plus) != 1:
        return False
    before, after = minus[0], plus[0]
    in_message = "Error(" in before or "_(" in before or before.strip().startswith(('"', "'"))
    if not in_message:
        return False
    if STRING.sub('""', before) == STRING.sub('""', after):
        return True
    return STRING.sub("None", before) == after


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-run", action="store_true", help="report on the last run's results")
    parser.add_argument("--target", type=float, default=95.0)
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    modules = config["only_mutate"]
    equivalent = {
        e["mutant"]: e["reason"]
        for e in tomllib.loads((ROOT / "mutation" / "equivalent.toml").read_text()).get("equivalent", [])
    }
    started = time.monotonic()
    if not args.no_run:
        subprocess.run(["rm", "-rf", "mutants"], cwd=ROOT, check=True)
        subprocess.run(
            [*MUTMUT, "run", "--max-children", str(args.children)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
    report: dict[str, object] = {"benchmark": "mutation", "target_percent": args.target, "modules": {}}
    ok, stale, survivors = True, [], {}
    seen = set()
    for module in modules:
        meta = ROOT / "mutants" / (module + ".meta")
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        killed = sum(1 for c in codes.values() if c in KILLED)
        alive = [name for name, c in codes.items() if c in SURVIVED]
        other = len(codes) - killed - len(alive)
        left_out, real = 0, []
        for name in alive:
            seen.add(name)
            if name in equivalent or message_only(*_diff(name)):
                left_out += 1
            else:
                real.append(name)
        counted = len(codes) - left_out - other
        score = round(100.0 * killed / counted, 1) if counted else 100.0
        report["modules"][module] = {
            "mutants": len(codes),
            "killed": killed,
            "of_which_timeouts": sum(1 for c in codes.values() if c in TIMEOUTS),
            "equivalent": left_out,
            "not_run": other,
            "surviving": len(real),
            "score_percent": score,
        }
        survivors.update({name: module for name in real})
        ok = ok and score >= args.target
    prefixes = tuple(m.removesuffix(".py").replace("/", ".") + ".x_" for m in modules)
    stale = sorted(name for name in set(equivalent) - seen if name.startswith(prefixes))
    report["ok"] = ok
    report["seconds"] = round(time.monotonic() - started, 1)
    if stale:
        report["stale_equivalents"] = stale
    if survivors:
        report["surviving_mutants"] = sorted(survivors)
    print(json.dumps(report, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
