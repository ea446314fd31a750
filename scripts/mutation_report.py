"""The figures of the last ``make mutate`` run, per module: mutants, killed, survived, timeout, score.

Reads what mutmut 3 leaves in ``mutants/<module>.meta`` for each module of ``[tool.mutmut] only_mutate``
in pyproject.toml. The score counts a mutant as caught when a test failed (killed) or it ran past the
time limit (timeout: the mutant broke the code's termination); a mutant no test reached counts against
it. ``--survivors`` also lists every surviving mutant's name (``mutmut show NAME`` prints its diff).

    .venv/bin/python scripts/mutation_report.py [--survivors] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# mutmut's exit codes (mutmut/stats.py): 1 and 3 a test failed, 0 survived, 5 and 33 no test ran it.
KILLED, SURVIVED, NO_TESTS = {1, 3}, {0}, {5, 33}
TIMEOUT = {36, 24, -24, 152, 255}
NOT_CHECKED = {None, 2}


def status(code) -> str:
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    if code in TIMEOUT:
        return "timeout"
    if code in NOT_CHECKED:
        return "not checked"
    return "suspicious"


def modules(root: Path) -> list[str]:
    config = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    return config["only_mutate"]


def figures(root: Path, module: str) -> tuple[dict, list[str]]:
    meta = root / "mutants" / f"{module}.meta"
    if not meta.exists():
        return {}, []
    codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    counts = Counter(status(code) for code in codes.values())
    counted = sum(counts.values()) - counts["not checked"]
    caught = counts["killed"] + counts["timeout"]
    row = {
        "mutants": sum(counts.values()), "killed": counts["killed"], "survived": counts["survived"],
        "no tests": counts["no tests"], "timeout": counts["timeout"], "not checked": counts["not checked"],
        "suspicious": counts["suspicious"], "score": (100.0 * caught / counted) if counted else 0.0,
    }
    survivors = sorted(name for name, code in codes.items() if status(code) in {"survived", "no tests"})
    return row, survivors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table (for docs/security.md)")
    parser.add_argument("--min-score", type=float, default=0.0, help="exit 1 if a module scores below this")
    parser.add_argument("--root", type=Path, default=ROOT, help="the tree mutmut ran in (default: this one)")
    args = parser.parse_args()
    columns = ["mutants", "killed", "survived", "no tests", "timeout", "not checked", "score"]
    rows = {module: figures(args.root, module) for module in modules(args.root)}
    if args.markdown:
        print("| module | " + " | ".join(columns) + " |")
        print("|---|" + "---:|" * len(columns))
    else:
        print(f"{'module':42}" + "".join(f"{c:>12}" for c in columns))
    failing = []
    for module, (row, _survivors) in rows.items():
        if not row:
            print(f"{module}: no results (run `make mutate` first)")
            failing.append(module)
            continue
        cells = [str(row[c]) if c != "score" else f"{row[c]:.1f}%" for c in columns]
        if args.markdown:
            print(f"| `{module}` | " + " | ".join(cells) + " |")
        else:
            print(f"{module:42}" + "".join(f"{cell:>12}" for cell in cells))
        if row["score"] < args.min_score:
            failing.append(module)
    if args.survivors:
        for _row, survivors in rows.values():
            for name in survivors:
                print(name)
    return 1 if failing and args.min_score else 0


if __name__ == "__main__":
    sys.exit(main())
